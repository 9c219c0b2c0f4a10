/**
 * Test configs: the bundled example with overrides, validated like a real config (so a test can never run on a config a
 * user could not write). Overrides merge deeply into the YAML document before validation; arrays replace, `null`
 * deletes a key, and an object whose discriminator (`mode` or `type`) differs from the example's replaces that object
 * whole, so switching e.g. `restore.mode` does not drag along the other mode's fields.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { parseRecoveryConfig, RecoveryConfigError, validateRecoveryDocument } from "../../config/load";
import type { RecoveryConfig } from "../../config/schema";

export const EXAMPLE_CONFIG_PATH = join(__dirname, "..", "..", "config", "example.yaml");

let parsedExample: Record<string, unknown> | undefined;

/**
 * The bundled example as the loader's YAML parse gives it, parsed once per worker (a parse of the example takes about
 * 15 ms, and the helpers build thousands of configs from it); every call returns a copy of its own to edit.
 */
export function exampleYamlDocument(): Record<string, unknown> {
  parsedExample ??= parse(readFileSync(EXAMPLE_CONFIG_PATH, "utf8")) as Record<string, unknown>;
  return structuredClone(parsedExample);
}

const loadedConfigs = new Map<string, RecoveryConfig>();
const synthesizedTexts = new Map<string, string>();

/**
 * `synthesize(config)`'s text, computed once per worker for each distinct config (and key): synthesis is deterministic,
 * which the "byte-identical" tests hold the product to with `fresh` synths, so a repeat would only spend the time again.
 */
export function synthesizedOnce(config: RecoveryConfig, key: string, synthesize: () => string, fresh = false): string {
  if (fresh) return synthesize();
  const cacheKey = `${key}\n${JSON.stringify(config)}`;
  let text = synthesizedTexts.get(cacheKey);
  if (text === undefined) {
    text = synthesize();
    synthesizedTexts.set(cacheKey, text);
  }
  return text;
}

/**
 * A config file's text as the loader reads it (config/load.ts, parseRecoveryConfig), each distinct text parsed once per
 * worker: many tests read the unchanged example, and a parse of it takes about 15 ms. A copy per call, to edit freely.
 */
export function loadedConfig(text: string, source: string): RecoveryConfig {
  const key = `${source}\n${text}`;
  let config = loadedConfigs.get(key);
  if (config === undefined) {
    config = parseRecoveryConfig(text, source);
    loadedConfigs.set(key, config);
  }
  return structuredClone(config);
}

/**
 * What a document a test built would be once written as YAML and read back: keys holding `undefined` left out, list
 * items holding it null, dates as their ISO text. The loader validates exactly that.
 */
function asYamlData(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : asYamlData(item)));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, item]) => item !== undefined)
        .map(([key, item]) => [key, asYamlData(item)]),
    );
  }
  return value;
}

/**
 * A document a test built, validated as the loader validates a file's (config/load.ts, validateRecoveryDocument after
 * the YAML parse), without writing and re-reading it as YAML: that round trip costs about 20 ms a config and tests
 * nothing the loader's own tests do not (they give text: test/config/).
 */
export function validatedConfig(document: unknown, source: string): RecoveryConfig {
  return validateRecoveryDocument(asYamlData(document), source);
}

/** A partial YAML document: any subset of the config's fields, `null` to remove one. */
export type ConfigOverrides = { readonly [key: string]: unknown };

const DISCRIMINATORS = ["mode", "type"] as const;

export function exampleDocument(overrides: ConfigOverrides = {}): Record<string, unknown> {
  return merge(exampleYamlDocument(), overrides);
}

export function exampleConfig(overrides: ConfigOverrides = {}): RecoveryConfig {
  return validatedConfig(exampleDocument(overrides), "config/example.yaml with test overrides");
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function merge(base: Record<string, unknown>, overrides: ConfigOverrides): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = result[key];
    if (value === null) {
      delete result[key];
    } else if (isPlainObject(value) && isPlainObject(current) && !switchesVariant(current, value)) {
      result[key] = merge(current, value);
    } else {
      result[key] = value;
    }
  }
  return result;
}

function switchesVariant(current: Record<string, unknown>, override: Record<string, unknown>): boolean {
  return DISCRIMINATORS.some((key) => key in override && override[key] !== current[key]);
}

/**
 * The AWS restore from a named cluster snapshot, for tests of a recovery without standby-aws: the example itself
 * restores the newest copy standby-aws keeps (restore.source: standby).
 */
export const NAMED_SNAPSHOT_RESTORE = {
  mode: "snapshot",
  source: null,
  snapshotIdentifier: "arn:aws:rds:us-west-2:111122223333:cluster-snapshot:medplum-prod-copy-2026-11-22",
} as const;

/** engine postgres's counterpart: an RDS DB snapshot copied into the recovery region. */
export const RDS_SNAPSHOT_RESTORE = {
  mode: "snapshot",
  source: null,
  snapshotIdentifier: "arn:aws:rds:us-west-2:111122223333:snapshot:medplum-prod-copy",
} as const;

/** targets.aws.database fields of an RDS (engine postgres) recovery, with the sizes an RDS restore needs. */
export const RDS = { engine: "postgres", instanceClass: "db.r6g.large", multiAz: true, allocatedStorageGiB: 200 } as const;

/**
 * The example's recovery without its standby stacks, target by target, as it was written before the standby sections:
 * AWS restores a named cluster snapshot, GCP builds its own VPC and restores the primary's backup from a dual-region
 * bucket, Azure reads the primary's GRS account and a vault filled by hand, Kubernetes restores one dump by URL. The
 * tests of the recovery's own fields and steps run on it, so each edit adds only the problem it names; the example
 * itself is tested as it is by the standby and report tests. Edits the plain YAML document in place.
 */
export function withoutStandby(doc: any): void {
  const { aws, gcp, azure, kubernetes } = doc.targets ?? {};
  if (aws !== undefined) {
    delete aws.standby;
    aws.database.restore = { mode: "snapshot", snapshotIdentifier: NAMED_SNAPSHOT_RESTORE.snapshotIdentifier };
  }
  if (gcp !== undefined && gcp.standby !== undefined) {
    gcp.network = { mode: "new", ...gcp.standby.network };
    gcp.database.restore = {
      mode: "backup",
      sourceInstance: "medplum-prod",
      sourceProject: "acme-medplum-prod",
      backupRunId: 1732262400000,
      backupTakenAt: "2026-11-22T08:00:00Z",
    };
    gcp.storage = { mode: "existing", bucketName: "medplum-binaries-acme" };
    delete gcp.standby;
  }
  if (azure !== undefined) {
    delete azure.standby;
    azure.storage = { ...AZURE_WITHOUT_STANDBY.storage };
    azure.secrets.keyVault = { ...AZURE_WITHOUT_STANDBY.secrets.keyVault };
  }
  if (kubernetes !== undefined) {
    delete kubernetes.standby;
    const { manifest: _manifest, ...dump } = kubernetes.database.dump;
    kubernetes.database.dump = {
      ...dump,
      url: "s3://acme-medplum-backups/medplum/medplum-2026-11-22.dump",
      s3Region: "us-west-2",
      credentialsSecret: "medplum-backup-reader",
      intervalMinutes: 60,
    };
  }
}

/** exampleConfig on the example without its standby sections (withoutStandby), for variants of the recovery itself. */
export function exampleConfigWithoutStandby(overrides: ConfigOverrides = {}): RecoveryConfig {
  const example = exampleYamlDocument();
  withoutStandby(example);
  return validatedConfig(merge(example, overrides), "config/example.yaml without its standby sections, with test overrides");
}

const AZURE_SUBSCRIPTION = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups";
export const AZURE_WITHOUT_STANDBY = {
  storage: {
    mode: "existing",
    accountId: `${AZURE_SUBSCRIPTION}/medplum-prod/providers/Microsoft.Storage/storageAccounts/medplumbinaries`,
    containerName: "binaries",
  },
  secrets: { keyVault: { mode: "existing", id: `${AZURE_SUBSCRIPTION}/medplum-dr-secrets/providers/Microsoft.KeyVault/vaults/medplum-dr-kv` } },
} as const;

/** The example's RPO objective in seconds: the threshold of every lag alarm a standby raises. */
export function exampleRpoSeconds(): number {
  return exampleConfig().objectives.rpoMinutes * 60;
}

/** The one-line problem a config step refuses with (its RecoveryConfigError message); fails when it accepts. */
export function configProblem(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof RecoveryConfigError) return error.message;
    throw error;
  }
  throw new Error("accepted; expected a RecoveryConfigError");
}
