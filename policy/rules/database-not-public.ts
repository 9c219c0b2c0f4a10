import { at, falseOrUnknown, isReference, isTrue } from "../json";
import { CANNOT_TELL, COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** The recovered database is reachable only from the private network. */
export const DatabaseNotPublic: PolicyRule = {
  id: "DatabaseNotPublic",
  description: "The database is not reachable from the internet.",
  severity: "error",
  appliesTo: ["aws_db_instance", "aws_rds_cluster_instance", "google_sql_database_instance", "azurerm_postgresql_flexible_server"],
  check: ({ type, body }) => {
    switch (type) {
      case "aws_db_instance":
      case "aws_rds_cluster_instance":
        if (isTrue(body.publicly_accessible))
          return nonCompliant("publicly_accessible is true; set it to false (or omit it) and reach the database from private subnets");
        return isReference(body.publicly_accessible) ? CANNOT_TELL : COMPLIANT;
      case "google_sql_database_instance":
        // ipv4_enabled defaults to true: omitting it gives the instance a public IP.
        return (
          falseOrUnknown(at(body, "settings", "ip_configuration", "ipv4_enabled")) ??
          nonCompliant("settings.ip_configuration.ipv4_enabled is not false (it defaults to true); set it to false and use private_network")
        );
      case "azurerm_postgresql_flexible_server":
        // public_network_access_enabled defaults to true.
        return (
          falseOrUnknown(body.public_network_access_enabled) ??
          nonCompliant("public_network_access_enabled is not false (it defaults to true); set it to false and use delegated_subnet_id or a private endpoint")
        );
      default:
        return NOT_APPLICABLE;
    }
  },
};
