import { ignoresChanges, isSet } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/**
 * An Aurora cluster or RDS instance the stack adopts by an import block is a replica it promotes
 * (modules/aws/replica-promotion.ts), and the first apply must promote it in one go:
 *   - it names no replication source: with `global_cluster_identifier` (Aurora) or `replicate_source_db` (RDS) set,
 *     the import keeps a read-only replica and the servers fail on their first write;
 *   - Aurora: `replication_source_identifier` is ignored, since AWS reports it on a global secondary and removing it
 *     calls PromoteReadReplicaDBCluster, which is not the detach; and the master password is not handed to Secrets
 *     Manager (`manage_master_user_password`) nor set (`master_password`): resourceClusterUpdate calls ModifyDBCluster
 *     before RemoveFromGlobalCluster, and Aurora refuses Secrets Manager management for a global database member.
 * Keeping it from destruction is DatabasePreventDestroy's (prevent_destroy with deletion protection; a drill without
 * either must stay destroyable), and its ForceNew arguments RestoredDatabaseForceNewIgnored's.
 */
export const AwsReplicaPromotionImported: PolicyRule = {
  id: "AwsReplicaPromotionImported",
  description: "An imported Aurora cluster or RDS instance is promoted by the first apply, with nothing its secondary state refuses.",
  severity: "error",
  appliesTo: ["aws_rds_cluster", "aws_db_instance"],
  source:
    "hashicorp/terraform-provider-aws internal/service/rds/cluster.go (resourceClusterUpdate) and instance.go (resourceInstanceUpdate); https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-secrets-manager.html",
  check: ({ address, type, body }, stack) => {
    if (stack.importIds(address).length === 0) return NOT_APPLICABLE;
    const problems: string[] = [];
    const source = type === "aws_rds_cluster" ? "global_cluster_identifier" : "replicate_source_db";
    if (isSet(body[source])) problems.push(`${source} is set, so the imported replica stays read-only; leave it out to promote it`);
    if (type === "aws_rds_cluster") {
      if (!ignoresChanges(body, "replication_source_identifier"))
        problems.push(
          'replication_source_identifier is not in lifecycle.ignore_changes, so its removal calls PromoteReadReplicaDBCluster before the detach; add "replication_source_identifier"',
        );
      for (const attribute of ["manage_master_user_password", "master_password"])
        if (isSet(body[attribute]))
          problems.push(`${attribute} is set, which ModifyDBCluster sends before the detach and Aurora refuses on a global database member; leave it out`);
    }
    return problems.length === 0 ? COMPLIANT : nonCompliant(`imported ${type}: ${problems.join("; ")}`);
  },
};
