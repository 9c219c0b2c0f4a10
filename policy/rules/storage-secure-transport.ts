import { isFalse, isReference, literalString } from "../json";
import { CANNOT_TELL, COMPLIANT, nonCompliant, type PolicyRule } from "../types";

/** Azure storage accounts accept HTTPS with TLS 1.2 or newer only. (GCS and S3 endpoints used by Medplum are HTTPS.) */
export const StorageSecureTransport: PolicyRule = {
  id: "StorageSecureTransport",
  description: "Storage accounts accept only HTTPS with TLS 1.2 or newer.",
  severity: "error",
  appliesTo: ["azurerm_storage_account"],
  check: ({ body }) => {
    if (isFalse(body.https_traffic_only_enabled)) return nonCompliant("https_traffic_only_enabled is false; set it to true");
    if (isReference(body.min_tls_version)) return CANNOT_TELL;
    const tls = literalString(body.min_tls_version) ?? "TLS1_2";
    return tls === "TLS1_2" || tls === "TLS1_3" ? COMPLIANT : nonCompliant(`min_tls_version is ${tls}; set it to TLS1_2`);
  },
};
