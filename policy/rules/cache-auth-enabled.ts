import { at, isFalse, isSet, trueOrUnknown } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** Clients authenticate to Redis. (Azure Managed Redis always requires access keys or Entra ID.) */
export const CacheAuthEnabled: PolicyRule = {
  id: "CacheAuthEnabled",
  description: "Redis requires clients to authenticate.",
  severity: "error",
  appliesTo: ["aws_elasticache_replication_group", "google_redis_instance", "azurerm_redis_cache"],
  check: ({ type, body }) => {
    switch (type) {
      case "aws_elasticache_replication_group":
        return isSet(body.auth_token) || isSet(body.user_group_ids)
          ? COMPLIANT
          : nonCompliant("neither auth_token nor user_group_ids is set; give an AUTH token (from a secret, never a literal) or RBAC user groups");
      case "google_redis_instance":
        return trueOrUnknown(body.auth_enabled) ?? nonCompliant("auth_enabled is not true; set it to true");
      case "azurerm_redis_cache":
        return isFalse(at(body, "redis_configuration", "authentication_enabled"))
          ? nonCompliant("redis_configuration.authentication_enabled is false; remove it or set it to true")
          : COMPLIANT;
      default:
        return NOT_APPLICABLE;
    }
  },
};
