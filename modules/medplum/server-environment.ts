/**
 * The Medplum server's settings as `MEDPLUM_*` environment variables: the one place that decides which variables the
 * servers get, used by the ECS task (modules/aws/medplum-container.ts) and by the shared Kubernetes workload
 * (modules/kubernetes/workload/configuration.ts) alike. Plain settings come back as values; sensitive ones as
 * whatever the caller uses to point at a secret (an ECS `valueFrom`, a Kubernetes Secret key), never as values.
 *
 * Names come from settings.ts (`medplumVariable`), which refuses any name the server would not read back into the
 * intended setting.
 */
import type { RecoveryConfig } from "../../config/schema";
import type { BinaryStorage, RecoveredCache, RestoredDatabase } from "../contracts";
import { databaseSslSetting, jsonSettingValue, type DatabaseTls } from "./database-tls";
import { majorVersionsFor, medplumVariable, unknownSettingProblem } from "./settings";

/** Every variable this project sets, by the Medplum setting it fills. */
export const MEDPLUM_VARIABLES = {
  baseUrl: medplumVariable("baseUrl"),
  port: medplumVariable("port"),
  appBaseUrl: medplumVariable("appBaseUrl"),
  storageBaseUrl: medplumVariable("storageBaseUrl"),
  binaryStorage: medplumVariable("binaryStorage"),
  awsRegion: medplumVariable("awsRegion"),
  supportEmail: medplumVariable("supportEmail"),
  databaseHost: medplumVariable("database.host"),
  databasePort: medplumVariable("database.port"),
  databaseName: medplumVariable("database.dbname"),
  databaseUsername: medplumVariable("database.username"),
  databasePassword: medplumVariable("database.password"),
  databaseSsl: medplumVariable("database.ssl"),
  redisHost: medplumVariable("redis.host"),
  redisPort: medplumVariable("redis.port"),
  redisPassword: medplumVariable("redis.password"),
  redisTls: medplumVariable("redis.tls"),
  smtpHost: medplumVariable("smtp.host"),
  smtpPort: medplumVariable("smtp.port"),
  smtpUsername: medplumVariable("smtp.username"),
  smtpPassword: medplumVariable("smtp.password"),
  signingKey: medplumVariable("signingKey"),
  signingKeyId: medplumVariable("signingKeyId"),
  signingKeyPassphrase: medplumVariable("signingKeyPassphrase"),
} as const;

/** Variables that hold credentials: they come from a secret store, never from plain configuration. */
export const SENSITIVE_MEDPLUM_VARIABLES: readonly string[] = [
  MEDPLUM_VARIABLES.databaseUsername,
  MEDPLUM_VARIABLES.databasePassword,
  MEDPLUM_VARIABLES.redisPassword,
  MEDPLUM_VARIABLES.smtpPassword,
  MEDPLUM_VARIABLES.signingKey,
  MEDPLUM_VARIABLES.signingKeyId,
  MEDPLUM_VARIABLES.signingKeyPassphrase,
];

export interface MedplumServerInputs {
  /** `medplum` from the config: URLs, host names, support e-mail, SMTP. */
  readonly medplum: RecoveryConfig["medplum"];
  /** The port the server listens on (`port`). */
  readonly port: number;
  readonly database: RestoredDatabase;
  /** How the servers reach the database over TLS (`database.ssl`). */
  readonly databaseTls: DatabaseTls;
  readonly cache: RecoveredCache;
  readonly storage: BinaryStorage;
  /**
   * Region of Medplum's S3 and SES clients (`awsRegion`). They use this setting, not `AWS_REGION`, and default to
   * us-east-1, so an `s3:` bucket anywhere else is unreachable without it.
   * @default - unset: required with `s3:` binary storage
   */
  readonly awsRegion?: string;
}

/** The non-sensitive settings, in a fixed order so the output is byte-identical run to run. */
export function medplumServerEnvironment(inputs: MedplumServerInputs): Record<string, string> {
  const { medplum, database, cache, storage } = inputs;
  const v = MEDPLUM_VARIABLES;
  if (storage.medplumBinaryStorage.startsWith("s3:") && inputs.awsRegion === undefined) {
    throw new Error(
      `${v.awsRegion}: is not set, but binary storage is ${storage.medplumBinaryStorage}; Medplum's S3 client would address the bucket in us-east-1`,
    );
  }
  const environment: Record<string, string> = {
    [v.baseUrl]: medplum.baseUrl,
    [v.port]: String(inputs.port),
    [v.appBaseUrl]: `https://${medplum.hostnames.app}/`,
    [v.storageBaseUrl]: `https://${medplum.hostnames.storage}/binary/`,
    [v.binaryStorage]: storage.medplumBinaryStorage,
    ...(inputs.awsRegion !== undefined ? { [v.awsRegion]: inputs.awsRegion } : {}),
    [v.databaseHost]: database.host,
    [v.databasePort]: String(database.port),
    [v.databaseName]: database.databaseName,
    // A user name given as a plain string is not a secret; a SecretReference goes to the sensitive settings instead.
    ...(typeof database.username === "string" ? { [v.databaseUsername]: database.username } : {}),
  };
  const ssl = databaseSslSetting(inputs.databaseTls);
  if (ssl !== undefined) environment[v.databaseSsl] = ssl;
  environment[v.redisHost] = cache.host;
  environment[v.redisPort] = String(cache.port);
  // ioredis TLS options as JSON: `{}` verifies against Node's bundled roots; a private CA (Memorystore signs with a
  // per-instance one) must be named or verification could never succeed.
  if (cache.tls) {
    const ca = cache.serverCaCertificate;
    environment[v.redisTls] = jsonSettingValue(ca === undefined ? {} : { ca });
  }
  if (medplum.supportEmail !== undefined) environment[v.supportEmail] = medplum.supportEmail;
  // With no smtp setting Medplum sends mail through Amazon SES (medplum/medplum packages/server/src/config/utils.ts, addDefaults: emailProvider).
  if (medplum.smtp !== undefined) {
    environment[v.smtpHost] = medplum.smtp.host;
    environment[v.smtpPort] = String(medplum.smtp.port);
    environment[v.smtpUsername] = medplum.smtp.username;
  }
  return environment;
}

/** Where each sensitive setting's value lives, in the caller's terms (an ECS secret reference, a Secret key...). */
export interface MedplumSecretSources<S> {
  /** Required when the restored database's user name is itself a secret. */
  readonly databaseUsername?: S;
  readonly databasePassword: S;
  readonly redisPassword: S;
  /** Required exactly when `medplum.smtp` is set. */
  readonly smtpPassword?: S;
  /**
   * Medplum's signing key: used only for CloudFront-signed URLs of `s3:` binaries; Medplum ignores it for `gs:` and
   * `azure:` storage, and tokens are signed with the key restored in the database.
   * @default - none
   */
  readonly signingKey?: { readonly key: S; readonly keyId: S; readonly passphrase?: S };
}

/** The sensitive settings by variable name, sorted by name. */
export function medplumSecretEnvironment<S>(
  inputs: { medplum: RecoveryConfig["medplum"]; database: RestoredDatabase },
  sources: MedplumSecretSources<S>,
): Record<string, S> {
  const v = MEDPLUM_VARIABLES;
  if (typeof inputs.database.username !== "string" && sources.databaseUsername === undefined) {
    throw new Error(`${v.databaseUsername}: the restored database's user name is a secret, but no secret source for it was given`);
  }
  if ((inputs.medplum.smtp !== undefined) !== (sources.smtpPassword !== undefined)) {
    throw new Error(
      inputs.medplum.smtp !== undefined
        ? `${v.smtpPassword}: medplum.smtp is set, but the target names no secret holding the SMTP password`
        : `${v.smtpPassword}: an SMTP password source was given, but medplum.smtp is not set`,
    );
  }
  const secrets: Record<string, S> = {
    ...(typeof inputs.database.username !== "string" ? { [v.databaseUsername]: sources.databaseUsername! } : {}),
    [v.databasePassword]: sources.databasePassword,
    [v.redisPassword]: sources.redisPassword,
    ...(sources.smtpPassword !== undefined ? { [v.smtpPassword]: sources.smtpPassword } : {}),
    ...(sources.signingKey !== undefined
      ? {
          [v.signingKey]: sources.signingKey.key,
          [v.signingKeyId]: sources.signingKey.keyId,
          ...(sources.signingKey.passphrase !== undefined ? { [v.signingKeyPassphrase]: sources.signingKey.passphrase } : {}),
        }
      : {}),
  };
  return Object.fromEntries(
    Object.keys(secrets)
      .sort()
      .map((name) => [name, secrets[name]!]),
  );
}

/** One line per `MEDPLUM_*` name among `names` that the image's server would not file under a real setting. */
export function unknownMedplumVariables(names: Iterable<string>, image: string): string[] {
  majorVersionsFor(image);
  return [...names].flatMap((name) => unknownSettingProblem(name, image) ?? []);
}
