import { isObject, literalString } from "../json";
import { isSecretName, secretShape } from "../secrets";
import { COMPLIANT, nonCompliant, type PolicyRule } from "../types";

/** Where, in a body, a secret value is written literally; each entry names the location, never the value. */
function findLiterals(value: unknown, location: string, found: string[]): void {
  if (typeof value === "string") {
    const shape = secretShape(value);
    if (shape !== undefined) found.push(`${location} holds ${shape}`);
    // ECS container definitions and similar are JSON inside a string: look inside too.
    if (/^\s*[[{]/.test(value)) {
      try {
        findLiterals(JSON.parse(value), `${location} (JSON)`, found);
      } catch {
        // Not JSON after all (e.g. an interpolation): the shapes above were already checked.
      }
    }
    return;
  }
  if (Array.isArray(value)) {
    for (const [position, item] of value.entries()) findLiterals(item, `${location}[${position}]`, found);
    return;
  }
  if (!isObject(value)) return;
  // A name/value pair: an environment variable in Kubernetes, ECS, Cloud Run, App Service...
  const pairName = literalString(value.name);
  if (pairName !== undefined && isSecretName(pairName) && isLiteralSecret(value.value)) found.push(`${location} sets ${pairName} to a literal`);
  for (const [key, child] of Object.entries(value)) {
    if (key === "//") continue;
    const childLocation = location === "" ? key : `${location}.${key}`;
    if (isSecretName(key) && isLiteralSecret(child)) found.push(`${childLocation} is a literal`);
    else findLiterals(child, childLocation, found);
  }
}

/** Attributes that hold a secret store's value whatever they are called: anything literal there is a secret in clear. */
const SECRET_STORE_VALUES: Readonly<Record<string, readonly string[]>> = {
  aws_secretsmanager_secret_version: ["secret_string", "secret_binary"],
  google_secret_manager_secret_version: ["secret_data"],
  azurerm_key_vault_secret: ["value"],
  kubernetes_secret_v1: ["data", "binary_data"],
  kubernetes_secret: ["data", "binary_data"],
};

function literalStrings(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(literalStrings);
  if (isObject(value)) return Object.values(value).some(literalStrings);
  return isLiteralSecret(value);
}

function isLiteralSecret(value: unknown): boolean {
  const literal = literalString(value);
  return literal !== undefined && literal.trim() !== "";
}

/**
 * No secret is written into the configuration: it would sit in clear in cdk.tf.json, the plan, the state and the repo.
 * Secrets come from a secret store by reference (Secrets Manager, Secret Manager, Key Vault, a Kubernetes Secret
 * created outside Terraform) or from `manage_master_user_password`-style managed credentials.
 */
export const NoSecretLiterals: PolicyRule = {
  id: "NoSecretLiterals",
  description: "No password, token, key or other secret is written literally into the configuration.",
  severity: "error",
  appliesTo: "*",
  check: ({ kind, type, name, body }) => {
    const found: string[] = [];
    const storeValues = kind === "resource" ? [...(SECRET_STORE_VALUES[type] ?? [])] : [];
    // An SSM SecureString is a secret by declaration, whatever its name.
    if (type === "aws_ssm_parameter" && body.type === "SecureString") storeValues.push("value");
    for (const attribute of storeValues) if (literalStrings(body[attribute])) found.push(`${attribute} holds a literal secret value`);
    if (kind === "variable") {
      if (isSecretName(name) && isLiteralSecret(body.default)) found.push(`the default of variable ${name} is a literal`);
    } else {
      findLiterals(body, "", found);
    }
    return found.length === 0
      ? COMPLIANT
      : nonCompliant(`${found.join("; ")}; read the value from a secret store (a reference, or an environment variable sourced from a secret) instead`);
  },
};
