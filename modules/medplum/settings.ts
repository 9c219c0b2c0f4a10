/**
 * What Medplum's server reads from `MEDPLUM_*` environment variables (its `env` config source), per supported server
 * major version. Every variable this project emits is named through `medplumVariable(setting)` and checked with
 * `medplumSettingOf(variable)`, so a name the server would file under a setting that does not exist (the way
 * `MEDPLUM_DATABASE_SSL_REQUIRE` lands in an unused `database.sslRequire`) cannot be written.
 *
 * Read from github.com/medplum/medplum at tags v4.3.9 and v5.0.10:
 *   - packages/server/src/config/loader.ts, `loadEnvConfig`: every variable starting `MEDPLUM_` is read; the prefix is
 *     stripped; a leading `DATABASE_`, `REDIS_`, `SMTP_`, `FISSION_` (and, in 5.x, `BULLMQ_`) is split off once and
 *     selects the nested object; the rest is lower-cased and camelCased (`_x` -> `X`); the value is then parsed by
 *     the *bare* key (after the split): integer, boolean, JSON object, else string.
 *   - packages/server/src/config/utils.ts: the `integerKeys` and `booleanKeys` lists and `isObjectConfig`
 *     (4.3.9: `tls`, `ssl`, `defaultProjectSystemSetting`, `defaultOAuthClients`; 5.0.10 adds `smtp` and
 *     `arrayColumnPadding`). `addDefaults` sets `awsRegion` to `us-east-1` when unset and `emailProvider` to `smtp`
 *     when `smtp` is set, else `awsses`.
 *   - packages/server/src/config/types.ts: `MedplumServerConfig`, `MedplumDatabaseConfig`, `MedplumDatabaseSslConfig`,
 *     `MedplumRedisConfig`, `MedplumSmtpConfig`: the settings that exist.
 */

export const SUPPORTED_MAJOR_VERSIONS = [4, 5] as const;
export type MedplumMajorVersion = (typeof SUPPORTED_MAJOR_VERSIONS)[number];

/** How the env loader turns a variable's value into the setting's value. */
export type ValueKind = "string" | "integer" | "boolean" | "object";

export const MEDPLUM_PREFIX = "MEDPLUM_";

interface ServerVersionSettings {
  /** Nested objects a variable can select with a leading `<GROUP>_`, in the order loadEnvConfig tests them. */
  readonly groups: readonly string[];
  readonly integerKeys: ReadonlySet<string>;
  readonly booleanKeys: ReadonlySet<string>;
  readonly objectKeys: ReadonlySet<string>;
  /** Setting paths that exist: top-level keys, and `<group>.<key>` for the nested objects. */
  readonly settings: ReadonlySet<string>;
}

/** MedplumServerConfig's keys present in both 4.3.9 and 5.0.10 (packages/server/src/config/types.ts). */
const COMMON_TOP_LEVEL = [
  "port",
  "baseUrl",
  "issuer",
  "jwksUrl",
  "authorizeUrl",
  "tokenUrl",
  "userInfoUrl",
  "introspectUrl",
  "registerUrl",
  "appBaseUrl",
  "logLevel",
  "binaryStorage",
  "storageBaseUrl",
  "signingKey",
  "signingKeyId",
  "signingKeyPassphrase",
  "supportEmail",
  "approvedSenderEmails",
  "database",
  "databaseProxyEndpoint",
  "readonlyDatabase",
  "readonlyDatabaseProxyEndpoint",
  "redis",
  "emailProvider",
  "smtp",
  "bullmq",
  "googleClientId",
  "googleClientSecret",
  "recaptchaSiteKey",
  "recaptchaSecretKey",
  "maxJsonSize",
  "maxBatchSize",
  "allowedOrigins",
  "awsRegion",
  "botLambdaRoleArn",
  "botLambdaLayerName",
  "botCustomFunctionsEnabled",
  "logRequests",
  "logAuditEvents",
  "saveAuditEvents",
  "registerEnabled",
  "bcryptHashSalt",
  "introspectionEnabled",
  "keepAliveTimeout",
  "vmContextBotsEnabled",
  "vmContextBaseUrl",
  "shutdownTimeoutMilliseconds",
  "heartbeatMilliseconds",
  "heartbeatEnabled",
  "accurateCountThreshold",
  "maxSearchOffset",
  "defaultBotRuntimeVersion",
  "defaultProjectFeatures",
  "defaultProjectSystemSetting",
  "defaultRateLimit",
  "defaultAuthRateLimit",
  "defaultFhirQuota",
  "maxBotLogLengthForResource",
  "maxBotLogLengthForLogs",
  "transactionAttempts",
  "transactionExpBackoffBaseDelayMs",
  "autoDownloadEnabled",
  "preCommitSubscriptionsEnabled",
  "externalAuthProviders",
  "defaultOAuthClients",
  "mcpEnabled",
  "fission",
];
/** MedplumDatabaseConfig (both versions). */
const DATABASE_KEYS = [
  "host",
  "port",
  "dbname",
  "username",
  "password",
  "ssl",
  "queryTimeout",
  "runMigrations",
  "disableRunPostDeployMigrations",
  "maxConnections",
  "disableConnectionConfiguration",
];
/** MedplumRedisConfig (both versions). */
const REDIS_KEYS = ["host", "port", "password", "db", "tls"];
/** MedplumSmtpConfig (both versions). */
const SMTP_KEYS = ["host", "port", "username", "password"];
/** MedplumBullmqConfig and MedplumFissionConfig (both versions). */
const BULLMQ_KEYS = ["concurrency", "removeOnComplete", "removeOnFail"];
const FISSION_KEYS = ["namespace", "fieldManager", "environmentName", "routerHost", "routerPort"];

const COMMON_INTEGER_KEYS = [
  "accurateCountThreshold",
  "bcryptHashSalt",
  "defaultAuthRateLimit",
  "defaultFhirQuota",
  "defaultRateLimit",
  "heartbeatMilliseconds",
  "keepAliveTimeout",
  "maxBotLogLengthForLogs",
  "maxBotLogLengthForResource",
  "maxSearchOffset",
  "port",
  "shutdownTimeoutMilliseconds",
  "transactionAttempts",
  "transactionExpBackoffBaseDelayMs",
  "database.maxConnections",
  "database.port",
  "database.queryTimeout",
  "readonlyDatabase.maxConnections",
  "readonlyDatabase.port",
  "readonlyDatabase.queryTimeout",
  "redis.db",
  "redis.port",
  "smtp.port",
  "bullmq.concurrency",
  "fission.routerPort",
];
const COMMON_BOOLEAN_KEYS = [
  "botCustomFunctionsEnabled",
  "database.ssl.rejectUnauthorized",
  "database.ssl.require",
  "database.disableConnectionConfiguration",
  "database.disableRunPostDeployMigrations",
  "database.runMigrations",
  "readonlyDatabase.ssl.rejectUnauthorized",
  "readonlyDatabase.ssl.require",
  "readonlyDatabase.disableConnectionConfiguration",
  "logRequests",
  "logAuditEvents",
  "mcpEnabled",
  "registerEnabled",
  "require",
  "rejectUnauthorized",
];

function nested(group: string, keys: readonly string[]): string[] {
  return keys.map((key) => `${group}.${key}`);
}

const COMMON_SETTINGS = [
  ...COMMON_TOP_LEVEL,
  ...nested("database", DATABASE_KEYS),
  ...nested("redis", REDIS_KEYS),
  ...nested("smtp", SMTP_KEYS),
  ...nested("bullmq", BULLMQ_KEYS),
  ...nested("fission", FISSION_KEYS),
];

export const SERVER_SETTINGS: { readonly [V in MedplumMajorVersion]: ServerVersionSettings } = {
  4: {
    groups: ["DATABASE", "REDIS", "SMTP", "FISSION"],
    integerKeys: new Set(COMMON_INTEGER_KEYS),
    booleanKeys: new Set(COMMON_BOOLEAN_KEYS),
    objectKeys: new Set(["tls", "ssl", "defaultProjectSystemSetting", "defaultOAuthClients"]),
    settings: new Set([...COMMON_SETTINGS, "auditEventLogGroup", "auditEventLogStream"]),
  },
  5: {
    groups: ["DATABASE", "REDIS", "SMTP", "BULLMQ", "FISSION"],
    integerKeys: new Set([...COMMON_INTEGER_KEYS, "mfaAuthenticatorWindow", "fhirSearchMinLimit"]),
    booleanKeys: new Set([...COMMON_BOOLEAN_KEYS, "fhirSearchDiscourageSeqScan", "redactAuditEvents"]),
    objectKeys: new Set(["tls", "ssl", "defaultProjectSystemSetting", "defaultOAuthClients", "smtp", "arrayColumnPadding"]),
    settings: new Set([
      ...COMMON_SETTINGS,
      "defaultSuperAdminEmail",
      "defaultSuperAdminPassword",
      "defaultSuperAdminClientId",
      "defaultSuperAdminClientSecret",
      "fhirSearchMinLimit",
      "fhirSearchDiscourageSeqScan",
      "redactAuditEvents",
      "arrayColumnPadding",
      "mfaAuthenticatorWindow",
    ]),
  },
};

/** Where the env loader files one variable, and how it parses the value. */
export interface MedplumSetting {
  /** Dotted setting path, e.g. `database.ssl`, `awsRegion`. */
  readonly path: string;
  readonly parsedAs: ValueKind;
  /** Whether MedplumServerConfig (or the nested config type) has this setting. */
  readonly exists: boolean;
}

/**
 * loadEnvConfig's reading of one variable, for one server major version; undefined when the name does not start with
 * `MEDPLUM_` (the loader ignores it).
 */
export function medplumSettingOf(variable: string, major: MedplumMajorVersion): MedplumSetting | undefined {
  if (!variable.startsWith(MEDPLUM_PREFIX)) return undefined;
  const version = SERVER_SETTINGS[major];
  let key = variable.substring(MEDPLUM_PREFIX.length);
  let group: string | undefined;
  for (const candidate of version.groups) {
    if (key.startsWith(`${candidate}_`)) {
      group = candidate.toLowerCase();
      key = key.substring(candidate.length + 1);
      break;
    }
  }
  key = key.toLowerCase().replace(/_([a-z])/g, (match) => match[1]!.toUpperCase());
  const parsedAs: ValueKind = version.integerKeys.has(key)
    ? "integer"
    : version.booleanKeys.has(key)
      ? "boolean"
      : version.objectKeys.has(key)
        ? "object"
        : "string";
  const path = group === undefined ? key : `${group}.${key}`;
  return { path, parsedAs, exists: version.settings.has(path) };
}

/** The major version of a pinned server image (`medplum/medplum-server:5.0.10`); undefined for a digest. */
export function serverMajorVersion(image: string): number | undefined {
  const tag = /:v?(\d+)\.\d+\.\d+[^:@/]*$/.exec(image)?.[1];
  return tag === undefined ? undefined : Number(tag);
}

/**
 * The versions whose settings an image must satisfy: its own major, or every supported one when the image is pinned
 * by digest (its version is not in the reference).
 */
export function majorVersionsFor(image: string): readonly MedplumMajorVersion[] {
  const versions = knownMajorVersionsFor(image);
  if (versions.length === 0) {
    throw new Error(
      `medplum.image: ${JSON.stringify(image)} is Medplum server ${serverMajorVersion(image)}.x; this project knows the settings of servers ${SUPPORTED_MAJOR_VERSIONS.join(" and ")} only`,
    );
  }
  return versions;
}

/** As majorVersionsFor, but empty for an unsupported major instead of throwing (config rules report that once). */
function knownMajorVersionsFor(image: string): readonly MedplumMajorVersion[] {
  const major = serverMajorVersion(image);
  if (major === undefined) return SUPPORTED_MAJOR_VERSIONS;
  return SUPPORTED_MAJOR_VERSIONS.filter((supported) => supported === major);
}

/** Why a variable is not a Medplum setting for an image, or undefined when it is one (or not a `MEDPLUM_*` name). */
export function unknownSettingProblem(variable: string, image: string): string | undefined {
  for (const major of knownMajorVersionsFor(image)) {
    const setting = medplumSettingOf(variable, major);
    if (setting !== undefined && !setting.exists) {
      return `Medplum ${major}.x reads ${variable} as "${setting.path}", which is not one of its settings (packages/server/src/config/types.ts), so the server ignores it`;
    }
  }
  return undefined;
}

/**
 * The environment variable for a setting path, e.g. `database.ssl` -> `MEDPLUM_DATABASE_SSL`. Throws unless every
 * supported server reads that variable back into that same setting: the one way this project names a variable.
 */
export function medplumVariable(path: string): string {
  const [head, ...rest] = path.split(".");
  const snake = (camel: string) => camel.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase();
  const variable = rest.length === 0 ? `${MEDPLUM_PREFIX}${snake(head!)}` : `${MEDPLUM_PREFIX}${head!.toUpperCase()}_${snake(rest.join("."))}`;
  for (const major of SUPPORTED_MAJOR_VERSIONS) {
    const setting = medplumSettingOf(variable, major);
    if (setting?.path !== path || !setting.exists) {
      throw new Error(`${variable} would be read by Medplum ${major}.x as "${setting?.path}", not as the setting "${path}"`);
    }
  }
  return variable;
}
