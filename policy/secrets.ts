/**
 * What looks like a secret, shared by NoSecretLiterals and SensitiveOutputs. Deliberately simple word matching: a
 * false positive costs one explicit `${...}` reference or a renamed key; a false negative leaks PHI credentials.
 */

/** Words that make a name secret-looking. `key` counts only in environment-variable style names (MEDPLUM_SIGNING_KEY). */
const SECRET_WORDS = new Set(["password", "passwd", "pwd", "secret", "token", "passphrase", "credential", "credentials"]);
/** Compound endings that are secret even in snake_case attributes (`private_key`, `access_key`, `api_key`...). */
const SECRET_KEY_PREFIXES = new Set([
  "private",
  "access",
  "secret",
  "api",
  "auth",
  "client",
  "account",
  "primary",
  "secondary",
  "signing",
  "master",
  "encryption",
]);
/** A last word that names something about a secret rather than the secret itself (`kms_key_id`, `secret_name`, `password_length`). */
const DESCRIPTIVE_ENDINGS = new Set([
  "id",
  "ids",
  "arn",
  "arns",
  "name",
  "names",
  "file",
  "path",
  "url",
  "uri",
  "ref",
  "version",
  "type",
  "length",
  "enabled",
  "algorithm",
  "strategy",
  "mode",
  "identifier",
  "policy",
  "hash",
  "size",
  "days",
  "count",
  "ttl",
  "location",
  "rotation",
  "period",
  "store",
  "field",
  "spec",
]);

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== "")
    .map((word) => word.toLowerCase());
}

/** Names that point at a secret rather than hold one: Secret Manager's `secret` argument is the secret's id. */
const NAMES_OF_SECRETS = new Set(["secret"]);

/** Whether a name (attribute, environment variable, output, variable) looks like it holds a secret. */
export function isSecretName(name: string): boolean {
  if (NAMES_OF_SECRETS.has(name)) return false;
  const parts = words(name);
  const last = parts[parts.length - 1];
  if (last === undefined || DESCRIPTIVE_ENDINGS.has(last)) return false;
  const environmentStyle = /^[A-Z0-9_]+$/.test(name) && /[A-Z]/.test(name);
  return parts.some((word, position) => SECRET_WORDS.has(word) || (word === "key" && (environmentStyle || SECRET_KEY_PREFIXES.has(parts[position - 1] ?? ""))));
}

/** Attributes of other resources whose value is a secret: referencing one from an output makes the output sensitive. */
export const SECRET_ATTRIBUTE =
  /\.(password|master_password|auth_token|secret_string|secret_binary|primary_access_key|secondary_access_key|primary_connection_string|secondary_connection_string|connection_string|kube_config(_raw)?|kube_admin_config(_raw)?|client_key|client_secret|private_key(_pem|_openssh)?|secret_access_key|access_key|token)\b/;

const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;
const AWS_ACCESS_KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/;

/** Why a literal string is a secret whatever its name, or undefined. */
export function secretShape(value: string): string | undefined {
  if (PEM_PRIVATE_KEY.test(value)) return "a PEM private key";
  if (AWS_ACCESS_KEY_ID.test(value)) return "an AWS access key id";
  return undefined;
}
