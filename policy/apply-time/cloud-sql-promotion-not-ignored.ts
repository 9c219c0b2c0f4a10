import { ignoresPath, isSet, literalString } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/**
 * Promoting a Cloud SQL read replica: setting `instance_type = "CLOUD_SQL_INSTANCE"` on the imported replica runs
 * checkPromoteConfigurationsAndUpdateDiff, which refuses ("Replica promote configuration check failed. Please remove
 * master_instance_name / replica_configuration") when the configuration still has either. Terraform puts the state's
 * value of an ignored attribute into the configuration it sends the provider, so ignoring either one, which the
 * replica's state has, fails every promotion. An instance restored from a backup or cloned has neither in state, and
 * ignoring them protects nothing.
 */
export const CloudSqlPromotionNotIgnored: PolicyRule = {
  id: "CloudSqlPromotionNotIgnored",
  description: "A Cloud SQL instance managed as CLOUD_SQL_INSTANCE neither sets nor ignores master_instance_name and replica_configuration.",
  severity: "error",
  appliesTo: ["google_sql_database_instance"],
  source:
    "hashicorp/terraform-provider-google v6.50.0 google/services/sql/resource_sql_database_instance.go, checkPromoteConfigurationsAndUpdateDiff / validatePromoteConfigurations (reads the raw configuration); Terraform applies ignore_changes to the configuration before planning",
  check: ({ body }) => {
    if (literalString(body.instance_type) !== "CLOUD_SQL_INSTANCE") return NOT_APPLICABLE;
    const problems = ["master_instance_name", "replica_configuration"].flatMap((attribute) => [
      ...(isSet(body[attribute]) ? [`${attribute} is set; remove it`] : []),
      ...(ignoresPath(body, attribute) ? [`${attribute} is in lifecycle.ignore_changes; remove it`] : []),
    ]);
    return problems.length === 0
      ? COMPLIANT
      : nonCompliant(
          `instance_type CLOUD_SQL_INSTANCE promotes an imported replica only when neither is in the configuration Terraform sends: ${problems.join("; ")}`,
        );
  },
};
