import { block, literalString } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/**
 * A clone is created by Instances.Clone(project, source_instance_name): the source is looked up in the clone's own
 * project, and `source_instance_name` is a bare instance id ("This does not include the project ID"). A source in
 * another project, or written `project:instance`, cannot be cloned; restore a backup across projects instead.
 */
export const CloudSqlCloneSourceInProject: PolicyRule = {
  id: "CloudSqlCloneSourceInProject",
  description: "A Cloud SQL clone's source_instance_name is a bare instance id in the clone's own project.",
  severity: "error",
  appliesTo: ["google_sql_database_instance"],
  source:
    "hashicorp/terraform-provider-google v6.50.0 google/services/sql/resource_sql_database_instance.go, resourceSqlDatabaseInstanceCreate (Instances.Clone(project, cloneSource)); https://cloud.google.com/sql/docs/postgres/admin-api/rest/v1/instances/clone",
  check: ({ body }) => {
    const clone = block(body.clone);
    if (clone === undefined) return NOT_APPLICABLE;
    const source = literalString(clone.source_instance_name);
    if (source === undefined) return NOT_APPLICABLE;
    return source.includes(":") || source.includes("/")
      ? nonCompliant(
          `clone.source_instance_name ${JSON.stringify(source)} is not a bare instance id; a clone is made in its own project from a source in that project, so name the instance only (or restore a backup across projects)`,
        )
      : COMPLIANT;
  },
};
