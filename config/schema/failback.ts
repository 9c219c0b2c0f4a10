/**
 * `failback`: how `npm run synth -- --failback` builds the move back to the primary region once it has returned
 * (docs/failback.md): this recovery config with the regions swapped, a state location of its own, and in `overrides`
 * what only the team knows then: the recovery point of the *recovered* database copied into the old primary region, and
 * that region's network, certificate and DNS.
 */
import { z } from "zod";

export const failbackConfig = z.strictObject({
  /**
   * Appended to `environment`: the old primary region may still hold the lost environment's resources under the
   * original names, so the failback builds beside them. @default fb
   */
  suffix: z
    .string()
    .regex(/^[a-z0-9]{1,8}$/, "is not a failback suffix of 1-8 lower-case letters and digits such as fb")
    .default("fb"),
  /** Deep-merged over the config once the regions are swapped (the same rules as drill.overrides). */
  overrides: z.record(z.string(), z.unknown()).default({}),
});
