/**
 * What the Medplum server container is told: the `env` config source, plain settings as environment variables, and
 * every sensitive setting as an ECS secret that ECS resolves from Secrets Manager when the task starts. No secret
 * value is ever part of the task definition, the plan or the state. Which variables exist is modules/medplum's call.
 */
import type { RecoveryConfig } from "../../config/schema";
import type { ApplicationSecrets, BinaryStorage, RecoveredCache, RestoredDatabase, SecretReference } from "../contracts";
import { MEDPLUM_VARIABLES, medplumSecretEnvironment, medplumServerEnvironment, unknownMedplumVariables, type DatabaseTls } from "../medplum";
import { MEDPLUM_PORT } from "./security-groups";

export interface MedplumContainerInputs {
  /** `medplum` from the config: URLs, host names, support e-mail, SMTP. */
  readonly medplum: RecoveryConfig["medplum"];
  /** The restored database. */
  readonly database: RestoredDatabase;
  /** How the servers verify the database's server certificate (database-tls.ts). */
  readonly databaseTls: DatabaseTls;
  /** The recovery Redis. */
  readonly cache: RecoveredCache;
  /** The binaries bucket. */
  readonly storage: BinaryStorage;
  /** Medplum's signing-key settings (and the SMTP password when medplum.smtp is set). */
  readonly secrets: ApplicationSecrets;
  /** The recovery region: Medplum's S3 and SES clients take their region from `awsRegion`, not from AWS_REGION. */
  readonly region: string;
}

/** Plain settings, sorted by name so the task definition is stable. */
export function medplumEnvironment(inputs: MedplumContainerInputs): Array<{ name: string; value: string }> {
  const variables = medplumServerEnvironment({
    medplum: inputs.medplum,
    port: MEDPLUM_PORT,
    database: inputs.database,
    databaseTls: inputs.databaseTls,
    cache: inputs.cache,
    storage: inputs.storage,
    awsRegion: inputs.region,
  });
  return Object.keys(variables)
    .sort()
    .map((name) => ({ name, value: variables[name]! }));
}

/** Sensitive settings as ECS secrets, sorted by name. */
export function medplumSecrets(inputs: MedplumContainerInputs): Array<{ name: string; valueFrom: string }> {
  const references = secretReferences(inputs);
  return Object.keys(references).map((name) => ({ name, valueFrom: ecsSecretValueFrom(name, references[name]!) }));
}

function secretReferences(inputs: MedplumContainerInputs): Record<string, SecretReference> {
  const { database, cache, secrets } = inputs;
  const V = MEDPLUM_VARIABLES;
  const application = secrets.environment;
  const references = medplumSecretEnvironment<SecretReference>(
    { medplum: inputs.medplum, database },
    {
      ...(typeof database.username === "string" ? {} : { databaseUsername: database.username }),
      databasePassword: database.password,
      redisPassword: cache.password,
      ...(application[V.smtpPassword] !== undefined ? { smtpPassword: application[V.smtpPassword] } : {}),
      ...(application[V.signingKey] !== undefined && application[V.signingKeyId] !== undefined
        ? {
            signingKey: {
              key: application[V.signingKey],
              keyId: application[V.signingKeyId],
              ...(application[V.signingKeyPassphrase] !== undefined ? { passphrase: application[V.signingKeyPassphrase] } : {}),
            },
          }
        : {}),
    },
  );
  const unknown = unknownMedplumVariables([...Object.keys(references), ...Object.keys(application)], inputs.medplum.image);
  if (unknown.length > 0) throw new Error(`ECS task: ${unknown.join("; ")}`);
  return references;
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
  return [...new Set(Object.values(secretReferences(inputs)).map((reference) => reference.id))];
}
