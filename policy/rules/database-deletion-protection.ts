import { anyReference, at, isFalse, isReference, isTrue, preventsDestroy, trueOrUnknown } from "../json";
import { CANNOT_TELL, COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";
import { DATABASE_RESOURCE_TYPES } from "../../facts/database-types";

/**
 * The recovered database cannot be deleted by a stray `terraform destroy` or console click. A warning, not an error:
 * drills that are torn down again legitimately turn it off.
 */
export const DatabaseDeletionProtection: PolicyRule = {
  id: "DatabaseDeletionProtection",
  description: "The database has deletion protection on.",
  severity: "warning",
  appliesTo: DATABASE_RESOURCE_TYPES,
  check: ({ type, body }) => {
    switch (type) {
      case "aws_rds_cluster":
      case "aws_db_instance":
        return (
          trueOrUnknown(body.deletion_protection) ??
          nonCompliant("deletion_protection is not true; set it to true unless this is a drill that is torn down again")
        );
      case "google_sql_database_instance":
        // deletion_protection (Terraform-side) defaults to true; settings.deletion_protection_enabled is the API-side guard.
        if (isFalse(body.deletion_protection))
          return nonCompliant("deletion_protection is false; set it to true unless this is a drill that is torn down again");
        if (!isTrue(at(body, "settings", "deletion_protection_enabled")) && !isReference(at(body, "settings", "deletion_protection_enabled"))) {
          return nonCompliant("settings.deletion_protection_enabled is not true; set it so the instance cannot be deleted outside Terraform either");
        }
        return anyReference(body.deletion_protection, at(body, "settings", "deletion_protection_enabled")) ? CANNOT_TELL : COMPLIANT;
      case "azurerm_postgresql_flexible_server":
        // Azure has no server-side flag; the lifecycle guard is what stops Terraform from deleting it.
        return preventsDestroy(body)
          ? COMPLIANT
          : nonCompliant("lifecycle.prevent_destroy is not true; flexible servers have no deletion protection flag, so set prevent_destroy");
      default:
        return NOT_APPLICABLE;
    }
  },
};
