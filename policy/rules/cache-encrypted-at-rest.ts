import { trueOrUnknown } from "../json";
import { nonCompliant, type PolicyRule } from "../types";

/** ElastiCache encrypts its data at rest. (Memorystore and Azure Redis always do.) */
export const CacheEncryptedAtRest: PolicyRule = {
  id: "CacheEncryptedAtRest",
  description: "ElastiCache Redis encrypts data at rest.",
  severity: "error",
  appliesTo: ["aws_elasticache_replication_group"],
  check: ({ body }) =>
    trueOrUnknown(body.at_rest_encryption_enabled) ?? nonCompliant("at_rest_encryption_enabled is not true; set it to true (optionally with kms_key_id)"),
};
