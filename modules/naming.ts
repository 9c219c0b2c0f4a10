/**
 * Names and tags shared by every bundle, so a resource in any cloud can be traced back to the recovery that made it.
 */
import type { RecoveryConfig } from "../config/schema";

/** Labels every taggable resource carries. Keys and values are lower-case so they are valid GCP labels too. */
export function recoveryTags(config: RecoveryConfig): Record<string, string> {
  return {
    application: "medplum",
    environment: config.environment,
    "managed-by": "medplum-dr",
    purpose: "disaster-recovery",
  };
}

/** `<environment>-<suffix>`: short, deterministic, and valid as a name in every cloud we target. */
export function resourceName(config: RecoveryConfig, suffix: string): string {
  return `${config.environment}-${suffix}`;
}
