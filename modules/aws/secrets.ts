/**
 * Medplum's signing key and friends. They already live in a Secrets Manager secret replicated into the recovery region
 * in peacetime (the same key as the primary, so CloudFront keeps accepting the binary URLs the servers sign), so
 * nothing is created: the servers read the values at run time through ECS secrets, and no value passes through
 * Terraform.
 */
import type { AwsTargetConfig } from "../../config/schema";
import type { ApplicationSecrets, SecretReference } from "../contracts";
import { MEDPLUM_VARIABLES } from "../medplum";

/** Medplum environment variable -> JSON key in the application secret. */
export const APPLICATION_SECRET_KEYS: Readonly<Record<string, string>> = {
  [MEDPLUM_VARIABLES.signingKey]: "signingKey",
  [MEDPLUM_VARIABLES.signingKeyId]: "signingKeyId",
  [MEDPLUM_VARIABLES.signingKeyPassphrase]: "signingKeyPassphrase",
};

/** JSON key of the SMTP password in the application secret, read only when medplum.smtp is set. */
export const SMTP_PASSWORD_KEY = "smtpPassword";

export function awsApplicationSecrets(secrets: AwsTargetConfig["secrets"], options: { smtp: boolean } = { smtp: false }): ApplicationSecrets {
  const environment: Record<string, SecretReference> = {};
  for (const [variable, key] of Object.entries(APPLICATION_SECRET_KEYS)) {
    environment[variable] = { store: "aws-secrets-manager", id: secrets.applicationSecretArn, key };
  }
  if (options.smtp) environment[MEDPLUM_VARIABLES.smtpPassword] = { store: "aws-secrets-manager", id: secrets.applicationSecretArn, key: SMTP_PASSWORD_KEY };
  return { environment };
}
