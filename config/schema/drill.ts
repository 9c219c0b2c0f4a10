/**
 * `drill`: how `npm run drill` (and `npm run synth -- --drill`) turns this recovery config into a drill of it. A drill
 * is the same recovery stack, built from a variant of this config: its own environment name (so every resource name
 * differs from a real recovery's), its own Terraform state, deletion protection off so it can be torn down, drill tags
 * with an expiry, and the hosts, DNS zone, certificate and alert destination a drill uses instead of production's,
 * given in `overrides`. docs/drills.md.
 */
import { z } from "zod";
import { calendarDate } from "./common";

export const drillConfig = z.strictObject({
  /** Appended to `environment` for the drill: `medplum-dr` becomes `medplum-dr-drill`. @default drill */
  suffix: z
    .string()
    .regex(/^[a-z0-9]{1,8}$/, "is not a drill suffix of 1-8 lower-case letters and digits such as drill")
    .default("drill"),
  /**
   * Deep-merged over this config for the drill (lists replaced, `null` removes a key, a different `mode`/`type`
   * replaces its object whole): at least `medplum.baseUrl` and
   * `medplum.hostnames` under a drill domain, and each target's DNS zone and certificate for it. The drill is refused
   * while any production host remains in it. Validated like the config itself once merged.
   */
  overrides: z.record(z.string(), z.unknown()).default({}),
  /**
   * The last day the drill may exist, written into its tags (`drill-expires`). `npm run drill` sets it from
   * `--expires-on` (default: three days after the drill starts); a drill synthesized with `--drill` needs it here.
   */
  expiresOn: calendarDate.optional(),
});

export type DrillConfig = z.infer<typeof drillConfig>;
