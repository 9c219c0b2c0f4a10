import { anyReference, at, isReference, isTrue, literalString } from "../json";
import { CANNOT_TELL, COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** Redis traffic (which carries cached FHIR resources) is encrypted in transit, with no plaintext fallback. */
export const CacheEncryptedInTransit: PolicyRule = {
  id: "CacheEncryptedInTransit",
  description: "Redis accepts only TLS connections.",
  severity: "error",
  appliesTo: ["aws_elasticache_replication_group", "google_redis_instance", "azurerm_managed_redis", "azurerm_redis_cache"],
  check: ({ type, body }) => {
    switch (type) {
      case "aws_elasticache_replication_group":
        if (!isTrue(body.transit_encryption_enabled) && !isReference(body.transit_encryption_enabled))
          return nonCompliant("transit_encryption_enabled is not true; set it to true");
        if (literalString(body.transit_encryption_mode) === "preferred") {
          return nonCompliant('transit_encryption_mode is "preferred", which still accepts plaintext; set it to "required"');
        }
        return anyReference(body.transit_encryption_enabled, body.transit_encryption_mode) ? CANNOT_TELL : COMPLIANT;
      case "google_redis_instance":
        if (literalString(body.transit_encryption_mode) === "SERVER_AUTHENTICATION") return COMPLIANT;
        return isReference(body.transit_encryption_mode)
          ? CANNOT_TELL
          : nonCompliant(
              `transit_encryption_mode is ${literalString(body.transit_encryption_mode) ?? "not set (defaults to DISABLED)"}; set it to SERVER_AUTHENTICATION`,
            );
      case "azurerm_managed_redis":
        if (literalString(at(body, "default_database", "client_protocol")) === "Plaintext") {
          return nonCompliant('default_database.client_protocol is "Plaintext"; set it to "Encrypted" (the default)');
        }
        return isReference(at(body, "default_database", "client_protocol")) ? CANNOT_TELL : COMPLIANT;
      case "azurerm_redis_cache": {
        if (isTrue(body.non_ssl_port_enabled)) return nonCompliant("non_ssl_port_enabled is true; set it to false so only port 6380 (TLS) is open");
        const tls = literalString(body.minimum_tls_version);
        if (tls !== undefined && tls !== "1.2") return nonCompliant(`minimum_tls_version is ${tls}; set it to "1.2"`);
        return anyReference(body.non_ssl_port_enabled, body.minimum_tls_version) ? CANNOT_TELL : COMPLIANT;
      }
      default:
        return NOT_APPLICABLE;
    }
  },
};
