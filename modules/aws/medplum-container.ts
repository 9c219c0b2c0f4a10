/**
 * What the Medplum server container is told: the `env` config source, plain settings as environment variables, and
 * every sensitive setting as an ECS secret that ECS resolves from Secrets Manager when the task starts. No secret
 * value is ever part of the task definition, the plan or the state.
 */
import type { RecoveryConfig } from "../../config/schema";
import type { ApplicationSecrets, BinaryStorage, RecoveredCache, RestoredDatabase, SecretReference } from "../contracts";
import { MEDPLUM_PORT } from "./security-groups";

export interface MedplumContainerInputs {
  readonly medplum: RecoveryConfig["medplum"];
  readonly database: RestoredDatabase;
  readonly cache: RecoveredCache;
  readonly storage: BinaryStorage;
  readonly secrets: ApplicationSecrets;
}

/** Plain settings, sorted by name so the task definition is stable. */
export function medplumEnvironment(inputs: MedplumContainerInputs): Array<{ name: string; value: string }> {
  const { medplum, database, cache, storage } = inputs;
  const variables: Record<string, string> = {
    MEDPLUM_BASE_URL: medplum.baseUrl,
    MEDPLUM_PORT: String(MEDPLUM_PORT),
    MEDPLUM_APP_BASE_URL: `https://${medplum.hostnames.app}/`,
    MEDPLUM_STORAGE_BASE_URL: `https://${medplum.hostnames.storage}/binary/`,
    MEDPLUM_BINARY_STORAGE: storage.medplumBinaryStorage,
    MEDPLUM_DATABASE_HOST: database.host,
    MEDPLUM_DATABASE_PORT: String(database.port),
    MEDPLUM_DATABASE_DBNAME: database.databaseName,
    // A user name given as a plain string is not a secret; a SecretReference goes to medplumSecrets instead.
    ...(typeof database.username === "string" ? { MEDPLUM_DATABASE_USERNAME: database.username } : {}),
    // The parameter group refuses plain connections; the client must not try one.
    MEDPLUM_DATABASE_SSL_REQUIRE: "true",
    MEDPLUM_REDIS_HOST: cache.host,
    MEDPLUM_REDIS_PORT: String(cache.port),
    ...(cache.tls ? { MEDPLUM_REDIS_TLS: "{}" } : {}),
    ...(medplum.supportEmail !== undefined ? { MEDPLUM_SUPPORT_EMAIL: medplum.supportEmail } : {}),
  };
  return Object.keys(variables)
    .sort()
    .map((name) => ({ name, value: variables[name]! }));
}

/** Sensitive settings as ECS secrets, sorted by name. */
export function medplumSecrets(inputs: MedplumContainerInputs): Array<{ name: string; valueFrom: string }> {
  const { database, cache, secrets } = inputs;
  const references: Record<string, SecretReference> = {
    ...(typeof database.username === "string" ? {} : { MEDPLUM_DATABASE_USERNAME: database.username }),
    MEDPLUM_DATABASE_PASSWORD: database.password,
    MEDPLUM_REDIS_PASSWORD: cache.password,
    ...secrets.environment,
  };
  return Object.keys(references)
    .sort()
    .map((name) => ({ name, valueFrom: ecsSecretValueFrom(name, references[name]!) }));
}

/** ECS's `valueFrom` for Secrets Manager: the ARN, or `<arn>:<json key>::` (version stage and id left to AWSCURRENT). */
export function ecsSecretValueFrom(variable: string, reference: SecretReference): string {
  if (reference.store !== "aws-secrets-manager") {
    throw new Error(`${variable}: lives in ${reference.store}; the AWS target reads secrets from AWS Secrets Manager only`);
  }
  return reference.key === undefined ? reference.id : `${reference.id}:${reference.key}::`;
}

/** Every secret ARN the container references, for the execution role. */
export function referencedSecretArns(inputs: MedplumContainerInputs): string[] {
  const { database, cache, secrets } = inputs;
  const references = [database.password, cache.password, ...Object.values(secrets.environment)];
  if (typeof database.username !== "string") references.push(database.username);
  return [...new Set(references.map((reference) => reference.id))];
}
