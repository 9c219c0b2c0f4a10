import { block, isSet, trueOrUnknown } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** Customer-managed keys that protect PHI rotate automatically. */
export const KmsKeyRotation: PolicyRule = {
  id: "KmsKeyRotation",
  description: "Customer-managed encryption keys rotate automatically.",
  severity: "warning",
  appliesTo: ["aws_kms_key", "google_kms_crypto_key", "azurerm_key_vault_key"],
  check: ({ type, body }) => {
    switch (type) {
      case "aws_kms_key":
        return trueOrUnknown(body.enable_key_rotation) ?? nonCompliant("enable_key_rotation is not true; set it to true");
      case "google_kms_crypto_key":
        return isSet(body.rotation_period) ? COMPLIANT : nonCompliant('rotation_period is not set; set it, e.g. "7776000s" (90 days)');
      case "azurerm_key_vault_key":
        return isSet(block(body.rotation_policy)?.automatic) ? COMPLIANT : nonCompliant("rotation_policy.automatic is not set; add a rotation policy");
      default:
        return NOT_APPLICABLE;
    }
  },
};
