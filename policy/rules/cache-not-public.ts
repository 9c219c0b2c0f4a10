import { isFalse, isReference, isSet, literalString } from "../json";
import { CANNOT_TELL, COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/**
 * Redis (which holds cached FHIR resources) is reachable only from the private network. ElastiCache and Memorystore
 * live inside the VPC by construction; Azure's Redis services default to a public endpoint.
 */
export const CacheNotPublic: PolicyRule = {
  id: "CacheNotPublic",
  description: "Redis is not reachable from the internet.",
  severity: "error",
  appliesTo: ["azurerm_managed_redis", "azurerm_redis_cache"],
  check: ({ type, body }) => {
    switch (type) {
      case "azurerm_managed_redis":
        if (literalString(body.public_network_access) === "Disabled") return COMPLIANT;
        return isReference(body.public_network_access)
          ? CANNOT_TELL
          : nonCompliant(
              `public_network_access is ${literalString(body.public_network_access) ?? "not set (defaults to Enabled)"}; set it to "Disabled" and use a private endpoint`,
            );
      case "azurerm_redis_cache":
        // A cache injected into a subnet (Premium) has no public endpoint.
        if (isFalse(body.public_network_access_enabled) || isSet(body.subnet_id)) return COMPLIANT;
        return isReference(body.public_network_access_enabled)
          ? CANNOT_TELL
          : nonCompliant("public_network_access_enabled is not false (it defaults to true); set it to false and use a private endpoint");
      default:
        return NOT_APPLICABLE;
    }
  },
};
