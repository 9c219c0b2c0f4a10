import { isFalse, isReference, isTrue, preventsDestroy } from "../json";
import { CANNOT_TELL, COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/**
 * A database with deletion protection also carries `lifecycle.prevent_destroy`, so a plan that would replace it (a
 * ForceNew change) fails at plan time instead of failing half-way through an apply against the API-side guard.
 */
export const DatabasePreventDestroy: PolicyRule = {
  id: "DatabasePreventDestroy",
  description: "A deletion-protected database also has lifecycle.prevent_destroy.",
  severity: "error",
  appliesTo: ["aws_rds_cluster", "aws_db_instance", "google_sql_database_instance"],
  check: ({ type, body }) => {
    // Whether deletion protection is on is known only at apply time.
    if (isReference(body.deletion_protection)) return CANNOT_TELL;
    const protectedFromDeletion = type === "google_sql_database_instance" ? !isFalse(body.deletion_protection) : isTrue(body.deletion_protection);
    if (!protectedFromDeletion) return NOT_APPLICABLE;
    return preventsDestroy(body)
      ? COMPLIANT
      : nonCompliant("deletion protection is on but lifecycle.prevent_destroy is not true; add lifecycle { prevent_destroy = true }");
  },
};
