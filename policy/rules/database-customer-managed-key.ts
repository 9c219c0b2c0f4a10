import { at, isSet } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";
import { DATABASE_RESOURCE_TYPES } from "../../facts/database-types";

/** The database is encrypted with a customer-managed key held in the recovery location, not the provider's default key. */
export const DatabaseCustomerManagedKey: PolicyRule = {
  id: "DatabaseCustomerManagedKey",
  description: "Database storage is encrypted with a customer-managed key in the recovery location.",
  severity: "warning",
  appliesTo: DATABASE_RESOURCE_TYPES,
  check: ({ type, body }) => {
    switch (type) {
      case "aws_rds_cluster":
      case "aws_db_instance":
        return isSet(body.kms_key_id)
          ? COMPLIANT
          : nonCompliant("kms_key_id is not set; give a KMS key in the recovery region so key use is audited and access can be revoked");
      case "google_sql_database_instance":
        return isSet(body.encryption_key_name) ? COMPLIANT : nonCompliant("encryption_key_name is not set; give a Cloud KMS key (CMEK) in the recovery region");
      case "azurerm_postgresql_flexible_server":
        return isSet(at(body, "customer_managed_key", "key_vault_key_id"))
          ? COMPLIANT
          : nonCompliant("customer_managed_key.key_vault_key_id is not set; give a Key Vault key in the recovery region");
      default:
        return NOT_APPLICABLE;
    }
  },
};
