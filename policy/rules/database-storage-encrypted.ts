import { trueOrUnknown } from "../json";
import { nonCompliant, type PolicyRule } from "../types";
import { AWS_DATABASE_RESOURCE_TYPES } from "../../facts/database-types";

/** RDS and Aurora storage is encrypted. (Cloud SQL and Azure flexible servers are always encrypted at rest.) */
export const DatabaseStorageEncrypted: PolicyRule = {
  id: "DatabaseStorageEncrypted",
  description: "RDS/Aurora database storage is encrypted at rest.",
  severity: "error",
  appliesTo: AWS_DATABASE_RESOURCE_TYPES,
  check: ({ body }) =>
    trueOrUnknown(body.storage_encrypted) ??
    nonCompliant("storage_encrypted is not true; set storage_encrypted = true (with kms_key_id naming a recovery-region key) so PHI at rest is encrypted"),
};
