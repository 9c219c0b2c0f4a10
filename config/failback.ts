/**
 * The failback of a recovery config: once the primary region has returned, the same recovery stacks built in the
 * other direction, restoring the *recovered* database (a recovery point taken after the switch, copied into the old
 * primary region) so nothing written during the outage is lost. docs/failback.md has the order of steps per cloud.
 *
 * What the derivation does, before the overrides apply:
 *   - swaps `region` and `primaryRegion` of every cloud target: the failback recovers into the old primary region, from
 *     the region the recovery runs in (so the region rules that refuse recovering into the lost region still hold);
 *   - gives the failback its own environment name and Terraform state: the running recovery keeps its state until the
 *     switch back, and the old primary region may still hold the lost environment's resources under their names.
 * What it requires of the overrides: every target restores from something other than the recovery's own source.
 * Deletion protection and production's hosts stay: a failback is production's next home, not a drill.
 */
import type { RecoveryConfig, TargetName } from "./schema";
import { deepMerge, isObject, variantBackend, withoutStandbyRouting, type Document } from "./drill";
import { readRecoveryDocument, RecoveryConfigError, validateRecoveryDocument } from "./load";
import { STACK_NAMES } from "../modules/stack-names";

/** The cloud targets whose config names a recovery region and the region that was lost. */
const REGIONAL: readonly TargetName[] = ["aws", "gcp", "azure"];

export function loadFailbackConfig(path: string): RecoveryConfig {
  return deriveFailbackConfig(readRecoveryDocument(path), path);
}

export function deriveFailbackConfig(raw: unknown, source: string): RecoveryConfig {
  const recovery = validateRecoveryDocument(raw, source);
  const fail = (problem: string): never => {
    throw new RecoveryConfigError(`${source} (failback)`, [problem]);
  };
  const failback =
    recovery.failback ??
    fail("failback: is not set; add a failback section with the restore source in the old primary region in failback.overrides (docs/failback.md)");
  if (recovery.purpose === "drill") fail("purpose: is drill; fail back from the recovery config, not a drill's");

  const { failback: _failback, drill: _drill, ...base } = raw as Document;
  const swapped = structuredClone(base);
  const targets = isObject(swapped.targets) ? swapped.targets : {};
  for (const name of REGIONAL) {
    const target = targets[name];
    if (!isObject(target)) continue;
    [target.region, target.primaryRegion] = [target.primaryRegion, target.region];
  }
  const document = deepMerge(swapped, failback.overrides) as Document;
  const environment = `${recovery.environment}-${failback.suffix}`;
  if (environment.length > 20) {
    fail(
      `failback.suffix: "${failback.suffix}" makes the failback's environment ${environment} (${environment.length} characters), above the 20 every cloud's names allow; give a shorter suffix`,
    );
  }
  document.environment = environment;

  const overrides = failback.overrides as { targets?: Record<string, { backend?: unknown; database?: { restore?: unknown; dump?: unknown } }> };
  for (const [name, target] of Object.entries(isObject(document.targets) ? document.targets : {})) {
    if (!isObject(target)) continue;
    const stack = STACK_NAMES[name as TargetName];
    if (stack === undefined) continue;
    if (overrides.targets?.[name]?.backend === undefined) target.backend = variantBackend(target.backend, stack, failback.suffix);
    // The standby section protects the old primary towards the recovery region; re-protecting the failback is a standby
    // of its own, in the other direction (docs/failback.md, step 1), not this one.
    if (overrides.targets?.[name] === undefined || !("standby" in (overrides.targets[name] as object))) {
      delete target.standby;
      withoutStandbyRouting(target, overrides.targets?.[name]);
    }
    const given = overrides.targets?.[name]?.database;
    const restoreField = name === "kubernetes" ? "dump" : "restore";
    if (given?.[restoreField] === undefined) {
      fail(
        `failback.overrides.targets.${name}.database.${restoreField}: is not set; the failback must restore the recovered database (a recovery point taken after the switch, in the old primary region), not the recovery's own source from before the disaster`,
      );
    }
  }
  return validateRecoveryDocument(document, `${source} (failback)`);
}
