/**
 * Names and tags shared by every bundle, so a resource in any cloud can be traced back to the recovery that made it.
 */
import type { RecoveryConfig } from "./schema";

/** Labels every taggable resource carries. Keys and values are lower-case so they are valid GCP labels too. */
export function recoveryTags(config: RecoveryConfig): Record<string, string> {
  return {
    application: "medplum",
    environment: config.environment,
    "managed-by": "medplum-dr",
    purpose: config.purpose === "drill" ? "disaster-recovery-drill" : "disaster-recovery",
    // A drill left running costs money and looks like a recovery; its last day is on every resource (config/drill.ts).
    ...(config.purpose === "drill" && config.drill?.expiresOn !== undefined ? { "drill-expires": config.drill.expiresOn } : {}),
  };
}

/** `<environment>-<suffix>`: short, deterministic, and valid as a name in every cloud we target. */
export function resourceName(config: RecoveryConfig, suffix: string): string {
  return `${config.environment}-${suffix}`;
}
