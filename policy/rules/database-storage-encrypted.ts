import { trueOrUnknown } from "../json";
import { nonCompliant, type PolicyRule } from "../types";

/** RDS and Aurora storage is encrypted. (Cloud SQL and Azure flexible servers are always encrypted at rest.) */
export const DatabaseStorageEncrypted: PolicyRule = {
  id: "DatabaseStorageEncrypted",
  description: "RDS/Aurora database storage is encrypted at rest.",
  severity: "error",
  appliesTo: ["aws_rds_cluster", "aws_db_instance"],
  check: ({ body }) =>
    trueOrUnknown(body.storage_encrypted) ??
    nonCompliant("storage_encrypted is not true; set storage_encrypted = true (with kms_key_id naming a recovery-region key) so PHI at rest is encrypted"),
};
