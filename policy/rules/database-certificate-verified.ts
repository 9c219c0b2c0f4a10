import { at, isObject, literalString } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** Literal `MEDPLUM_DATABASE_SSL` values in an ECS task definition's containers or a ConfigMap's data. */
function databaseSslValues(type: string, body: Readonly<Record<string, unknown>>): Array<Record<string, unknown>> {
  const literals: string[] = [];
  if (type === "aws_ecs_task_definition") {
    try {
      // The definitions are JSON with references inside its strings (secret ARNs), so not a literal, but parseable.
      const definitions = body.container_definitions;
      const containers = JSON.parse(typeof definitions === "string" ? definitions : "[]") as Array<{ environment?: Array<{ name: string; value: string }> }>;
      for (const container of containers)
        for (const entry of container.environment ?? []) if (entry.name === "MEDPLUM_DATABASE_SSL") literals.push(entry.value);
    } catch {
      // Not literal JSON (interpolated): nothing to inspect.
    }
  } else {
    const value = literalString(at(body, "data", "MEDPLUM_DATABASE_SSL"));
    if (value !== undefined) literals.push(value);
  }
  return literals.flatMap((literal) => {
    try {
      const parsed: unknown = JSON.parse(literal);
      return isObject(parsed) ? [parsed as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });
}

/**
 * Medplum's servers verify the database's certificate: with `rejectUnauthorized: false` the connection is encrypted
 * but not authenticated, so the servers send PHI to whatever answers on the database's address.
 */
export const DatabaseCertificateVerified: PolicyRule = {
  id: "DatabaseCertificateVerified",
  description: "Medplum's servers verify the database's TLS certificate (MEDPLUM_DATABASE_SSL has no rejectUnauthorized: false).",
  severity: "warning",
  appliesTo: ["aws_ecs_task_definition", "kubernetes_config_map_v1", "kubernetes_config_map"],
  check: ({ type, body }) => {
    const values = databaseSslValues(type, body);
    if (values.length === 0) return NOT_APPLICABLE;
    return values.some((ssl) => ssl.rejectUnauthorized === false)
      ? nonCompliant(
          "MEDPLUM_DATABASE_SSL has rejectUnauthorized: false: the connection is encrypted, but the servers do not verify the database's certificate; " +
            "give the database's CA (on AWS: targets.aws.database.caBundleFile, the RDS CA bundle of the recovery region)",
        )
      : COMPLIANT;
  },
};
