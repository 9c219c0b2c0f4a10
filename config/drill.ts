/**
 * A drill of a recovery config: the same recovery stacks, built from a variant of the config that cannot touch what a
 * real recovery (or production) owns. The variant is derived here, from the config's `drill` section, and validated
 * like any config; docs/drills.md lists what a drill changes and why.
 *
 * What the derivation enforces, whatever the overrides say:
 *   - its own environment name (`<environment>-<drill.suffix>`), so every cloud resource name differs from a recovery's;
 *   - its own Terraform state (a different local path, S3/azurerm key or GCS prefix), so a drill never plans against
 *     the state of a real recovery, and `--destroy` never tears one down;
 *   - deletion protection off, so the drill can be torn down (the policy pack's DatabaseDeletionProtection finding is
 *     suppressed for the drill only, with that reason, and shows as suppressed in the summary);
 *   - `purpose: drill` and the expiry date, which become tags on every resource;
 *   - no standby stack: the standby that feeds a recovery is production's, and a drill must not build a second one;
 *   - no production host: the drill's baseUrl and hostnames must differ from the config's (checked here, and the
 *     synthesized stacks are scanned for the production hosts before anything is written).
 */
import type { RecoveryConfig, TargetName } from "./schema";
import { readRecoveryDocument, RecoveryConfigError, validateRecoveryDocument } from "./load";
import { STACK_NAMES } from "../modules/stack-names";
import { defaultLocalStatePath } from "../providers/backend";

export interface DrillOptions {
  /** The drill's last day (YYYY-MM-DD), instead of `drill.expiresOn`. */
  readonly expiresOn?: string;
  /** The last day when neither `expiresOn` nor `drill.expiresOn` gives one (npm run drill: three days on). */
  readonly defaultExpiresOn?: string;
}

export interface DrillVariant {
  /** The drill's config, validated. */
  readonly config: RecoveryConfig;
  /** The hosts the drill must never name: production's api, app and storage hosts and baseUrl's host. */
  readonly productionHosts: readonly string[];
}

/** Findings a drill is expected to raise, suppressed for the drill only. */
export const DRILL_SUPPRESSIONS = [
  {
    rule: "DatabaseDeletionProtection",
    resource: "*",
    reason: "a drill is torn down again (npm run drill -- --destroy); a recovery from this config keeps deletion protection on",
  },
] as const;

export type Document = Record<string, unknown>;

export const isObject = (value: unknown): value is Document => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Promoting a replica detaches it from its primary for good: a drill that still promotes the replica the production
 * recovery would promote (the same instance or server) takes production's standby away. The drill must restore
 * something of its own (a backup, a point in time) through its overrides.
 */
function refuseProductionReplica(name: string, target: Document, production: unknown, fail: (problem: string) => never): void {
  const restoreOf = (section: unknown) =>
    isObject(section) && isObject(section.database) && isObject(section.database.restore) ? section.database.restore : undefined;
  const drill = restoreOf(target);
  const real = restoreOf(production);
  if (drill?.mode !== "replica-promotion" || real?.mode !== "replica-promotion") return;
  for (const field of ["replicaInstance", "replicaServerId"]) {
    if (drill[field] !== undefined && drill[field] === real[field]) {
      fail(
        `drill.overrides.targets.${name}.database.restore: (not set) leaves the drill promoting production's replica ${String(drill[field])}, which would detach it from the primary for good; restore a backup or a point in time in the drill instead`,
      );
    }
  }
}

/**
 * A variant without the standby section cannot route through standby-aws's failover pair: unless the overrides name
 * a routing of their own, its api record is a plain cut-over to its own load balancer (the drill's host, or for a
 * failback the api host switched back).
 */
export function withoutStandbyRouting(target: Document, overrides: unknown): void {
  const dns = isObject(target.dns) ? target.dns : undefined;
  const routing = dns !== undefined && isObject(dns.routing) ? dns.routing : undefined;
  if (routing?.mode !== "standby-failover") return;
  const given = isObject(overrides) && isObject(overrides.dns) && overrides.dns.routing !== undefined;
  if (!given) dns!.routing = { mode: "cut-over" };
}

/**
 * `overrides` merged over `base`: objects key by key; lists and other values replaced; `null` removes a key. An object
 * whose `mode` or `type` differs from the base's replaces it whole, so switching a variant (a backend's type, a
 * routing mode) does not drag along the other variant's fields.
 */
export function deepMerge(base: unknown, overrides: unknown): unknown {
  if (!isObject(base) || !isObject(overrides)) return structuredClone(overrides);
  if (["mode", "type"].some((key) => key in overrides && overrides[key] !== base[key])) return structuredClone(overrides);
  const merged: Document = structuredClone(base);
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null) delete merged[key];
    else merged[key] = key in merged ? deepMerge(merged[key], value) : structuredClone(value);
  }
  return merged;
}

export function loadDrillConfig(path: string, options: DrillOptions = {}): DrillVariant {
  return deriveDrillConfig(readRecoveryDocument(path), path, options);
}

export function deriveDrillConfig(raw: unknown, source: string, options: DrillOptions = {}): DrillVariant {
  const production = validateRecoveryDocument(raw, source);
  const fail = (problem: string): never => {
    throw new RecoveryConfigError(`${source} (drill)`, [problem]);
  };
  if (production.purpose === "drill") fail("purpose: is drill already; derive a drill from the recovery config itself");
  const drill = production.drill ?? fail("drill: is not set; add a drill section with the drill's hosts in drill.overrides (docs/drills.md)");
  const expiresOn =
    options.expiresOn ??
    drill.expiresOn ??
    options.defaultExpiresOn ??
    fail("drill.expiresOn: is not set; npm run drill sets it (--expires-on), npm run synth -- --drill needs it in the config");

  const { drill: _drill, ...base } = raw as Document;
  const document = deepMerge(base, drill.overrides) as Document;
  const environment = `${production.environment}-${drill.suffix}`;
  if (environment.length > 20) {
    fail(
      `drill.suffix: "${drill.suffix}" makes the drill's environment ${environment} (${environment.length} characters), above the 20 every cloud's names allow; give a shorter suffix`,
    );
  }
  document.environment = environment;
  document.purpose = "drill";
  document.drill = { suffix: drill.suffix, expiresOn };
  const policy = isObject(document.policy) ? document.policy : {};
  document.policy = { ...policy, suppressions: [...(Array.isArray(policy.suppressions) ? policy.suppressions : []), ...DRILL_SUPPRESSIONS] };

  const targets = isObject(document.targets) ? document.targets : {};
  for (const [name, target] of Object.entries(targets)) {
    if (!isObject(target)) continue;
    const stack = STACK_NAMES[name as TargetName];
    if (stack === undefined) continue;
    turnOffDeletionProtection(name as TargetName, target);
    refuseProductionReplica(name, target, (raw as { targets?: Record<string, unknown> }).targets?.[name], fail);
    refuseProductionCertificateMap(name, target, (raw as { targets?: Record<string, unknown> }).targets?.[name], fail);
    // A drill rehearses the recovery; the peacetime standby that feeds it is production's and stays as it is.
    delete target.standby;
    withoutStandbyRouting(target, (drill.overrides as { targets?: Record<string, unknown> }).targets?.[name]);
    const productionBackend = (raw as { targets?: Record<string, { backend?: unknown }> }).targets?.[name]?.backend;
    const overridden = (drill.overrides as { targets?: Record<string, { backend?: unknown }> }).targets?.[name]?.backend;
    if (overridden === undefined) target.backend = variantBackend(target.backend, stack, drill.suffix);
    else if (JSON.stringify(overridden) === JSON.stringify(productionBackend))
      fail(`drill.overrides.targets.${name}.backend: is the recovery's own backend; a drill keeps its own state`);
  }

  // Checked before validation: a production host left in the drill is the problem to name, not what it breaks.
  const productionHosts = hostsOf(production);
  const medplum = isObject(document.medplum) ? document.medplum : {};
  const hostnames = isObject(medplum.hostnames) ? medplum.hostnames : {};
  const baseUrlHost = typeof medplum.baseUrl === "string" && URL.canParse(medplum.baseUrl) ? new URL(medplum.baseUrl).hostname : undefined;
  for (const [field, host] of [
    ["medplum.baseUrl", baseUrlHost],
    ["medplum.hostnames.api", hostnames.api],
    ["medplum.hostnames.app", hostnames.app],
    ["medplum.hostnames.storage", hostnames.storage],
  ] as const) {
    if (typeof host === "string" && productionHosts.includes(host)) {
      fail(
        `drill.overrides.${field}: is still the production host ${host}; a drill must not touch production DNS: give a drill host, e.g. under drill.${host.split(".").slice(1).join(".")}`,
      );
    }
  }
  const config = validateRecoveryDocument(document, `${source} (drill)`);
  return { config, productionHosts };
}

/** baseUrl's host first, then the api, app and storage hosts. */
function hostsOf(config: RecoveryConfig): string[] {
  return [new URL(config.medplum.baseUrl).hostname, config.medplum.hostnames.api, config.medplum.hostnames.app, config.medplum.hostnames.storage];
}

/** Every deletion guard the target's schema has, set off; absent keys default to on, so they are written. */
function turnOffDeletionProtection(target: TargetName, body: Document): void {
  const off = (key: string) => {
    const section = body[key];
    if (isObject(section)) section.deletionProtection = false;
  };
  switch (target) {
    case "aws":
    case "azure":
      off("database");
      return;
    case "gcp":
      off("database");
      off("cluster");
      return;
    case "kubernetes":
      // Only the restored StatefulSet has a guard; an existing database is not the stack's to delete.
      if (isObject(body.database) && body.database.mode === "restore-from-dump") off("database");
      return;
  }
}

/**
 * A certificate map serves the hosts its entries name: production's map holds production's api host, so a drill
 * that attaches it serves its own host no valid certificate (the plan would fail on the certificate check).
 */
function refuseProductionCertificateMap(name: string, target: Document, production: unknown, fail: (problem: string) => never): void {
  const mapOf = (section: unknown) =>
    isObject(section) && isObject(section.tls) && section.tls.mode === "certificate-map" && typeof section.tls.mapName === "string"
      ? section.tls.mapName
      : undefined;
  const drill = mapOf(target);
  if (drill !== undefined && drill === mapOf(production)) {
    fail(
      `drill.overrides.targets.${name}.tls: attaches production's certificate map ${drill}, whose certificate covers production's api host, not the drill's; give the drill a map of its own, or mode google-managed`,
    );
  }
}

/** The same backend kind, at a state location of the variant's own (a drill's, a failback's). */
export function variantBackend(backend: unknown, stack: string, suffix: string): unknown {
  if (!isObject(backend)) return backend;
  switch (backend.type) {
    case "local": {
      const path = typeof backend.path === "string" ? backend.path : defaultLocalStatePath(stack);
      return { ...backend, path: path.replace(/(\.tfstate)?$/, `.${suffix}.tfstate`) };
    }
    case "s3":
    case "azurerm":
      return typeof backend.key === "string" ? { ...backend, key: `${suffix}/${backend.key}` } : backend;
    case "gcs":
      return typeof backend.prefix === "string" ? { ...backend, prefix: `${backend.prefix}-${suffix}` } : backend;
    default:
      return backend;
  }
}
