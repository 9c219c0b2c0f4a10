/**
 * Medplum's signing key and friends. They already live in a Secrets Manager secret replicated into the recovery region
 * in peacetime (the same key as the primary, so tokens issued before the disaster stay valid), so nothing is created:
 * the servers read the values at run time through ECS secrets, and no value passes through Terraform.
 */
import type { AwsTargetConfig } from "../../config/schema";
import type { ApplicationSecrets, SecretReference } from "../contracts";

/** Medplum environment variable -> JSON key in the application secret. */
export const APPLICATION_SECRET_KEYS: Readonly<Record<string, string>> = {
  MEDPLUM_SIGNING_KEY: "signingKey",
  MEDPLUM_SIGNING_KEY_ID: "signingKeyId",
  MEDPLUM_SIGNING_KEY_PASSPHRASE: "signingKeyPassphrase",
};

export function awsApplicationSecrets(secrets: AwsTargetConfig["secrets"]): ApplicationSecrets {
  const environment: Record<string, SecretReference> = {};
  for (const [variable, key] of Object.entries(APPLICATION_SECRET_KEYS)) {
    environment[variable] = { store: "aws-secrets-manager", id: secrets.applicationSecretArn, key };
  }
  return { environment };
}
