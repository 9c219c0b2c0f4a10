import { at, blocks, isReference, literalString } from "../json";
import { CANNOT_TELL, COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule, type PolicySubject, type RuleResult, type StackIndex } from "../types";

const TLS_SSL_MODES = ["ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"];

/** Finds the parameter group a database names (by reference or by literal name) and checks it forces TLS. */
function awsParameterGroupForcesSsl(subject: PolicySubject, stack: StackIndex, attribute: string, groupType: string): RuleResult {
  const value = subject.body[attribute];
  if (value === undefined) {
    return nonCompliant(
      `${attribute} is not set, so the engine's default parameter group applies and TLS is not enforced; use a ${groupType} with rds.force_ssl = 1`,
    );
  }
  const group = stack.referenced(value) ?? stack.resources(groupType).find((candidate) => literalString(candidate.body.name) === literalString(value));
  if (group === undefined) {
    return nonCompliant(
      `${attribute} names a parameter group outside this stack, so TLS enforcement cannot be verified; define the ${groupType} in the stack with rds.force_ssl = 1`,
    );
  }
  const forceSsl = blocks(group.body.parameter).find((parameter) => parameter.name === "rds.force_ssl");
  if (forceSsl !== undefined && String(forceSsl.value) === "1") return COMPLIANT;
  return isReference(forceSsl?.value) || isReference(group.body.parameter)
    ? CANNOT_TELL
    : nonCompliant(`parameter group ${group.address} does not set rds.force_ssl = 1; add parameter { name = "rds.force_ssl", value = "1" }`);
}

/** Clients must use TLS to reach the database. */
export const DatabaseTlsRequired: PolicyRule = {
  id: "DatabaseTlsRequired",
  description: "The database refuses connections that do not use TLS.",
  severity: "error",
  appliesTo: ["aws_rds_cluster", "aws_db_instance", "google_sql_database_instance", "azurerm_postgresql_flexible_server_configuration"],
  check: (subject, stack) => {
    const { type, body } = subject;
    switch (type) {
      case "aws_rds_cluster":
        return awsParameterGroupForcesSsl(subject, stack, "db_cluster_parameter_group_name", "aws_rds_cluster_parameter_group");
      case "aws_db_instance":
        return awsParameterGroupForcesSsl(subject, stack, "parameter_group_name", "aws_db_parameter_group");
      case "google_sql_database_instance": {
        const mode = literalString(at(body, "settings", "ip_configuration", "ssl_mode"));
        if (mode !== undefined && TLS_SSL_MODES.includes(mode)) return COMPLIANT;
        return isReference(at(body, "settings", "ip_configuration", "ssl_mode"))
          ? CANNOT_TELL
          : nonCompliant(`settings.ip_configuration.ssl_mode is ${mode ?? "not set"}; set it to ENCRYPTED_ONLY (or TRUSTED_CLIENT_CERTIFICATE_REQUIRED)`);
      }
      case "azurerm_postgresql_flexible_server_configuration":
        // require_secure_transport is on by default; only an explicit "off" weakens it.
        if (literalString(body.name) !== "require_secure_transport") return NOT_APPLICABLE;
        return String(body.value).toLowerCase() === "off"
          ? nonCompliant('require_secure_transport is "off"; set it to "on" (or remove this configuration)')
          : COMPLIANT;
      default:
        return NOT_APPLICABLE;
    }
  },
};
