import { at, block, isReference, isSet, literalString } from "../json";
import { CANNOT_TELL, COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** Binary storage is encrypted with a customer-managed key, whose use is audited and whose access can be revoked. */
export const BucketCustomerManagedKey: PolicyRule = {
  id: "BucketCustomerManagedKey",
  description: "Object storage is encrypted with a customer-managed key.",
  severity: "warning",
  appliesTo: ["aws_s3_bucket_server_side_encryption_configuration", "google_storage_bucket", "azurerm_storage_account"],
  check: (subject, stack) => {
    const { type, body } = subject;
    switch (type) {
      case "aws_s3_bucket_server_side_encryption_configuration": {
        const defaults = block(at(body, "rule", "apply_server_side_encryption_by_default"));
        const algorithm = literalString(defaults?.sse_algorithm);
        if (!isReference(defaults?.sse_algorithm) && algorithm !== "aws:kms" && algorithm !== "aws:kms:dsse") {
          return nonCompliant(`sse_algorithm is ${algorithm ?? "not set"}; use aws:kms with kms_master_key_id`);
        }
        if (!isSet(defaults?.kms_master_key_id))
          return nonCompliant("kms_master_key_id is not set, so the AWS-managed aws/s3 key is used; give a customer-managed KMS key");
        return isReference(defaults?.sse_algorithm) ? CANNOT_TELL : COMPLIANT;
      }
      case "google_storage_bucket":
        return isSet(at(body, "encryption", "default_kms_key_name"))
          ? COMPLIANT
          : nonCompliant("encryption.default_kms_key_name is not set; give a Cloud KMS key");
      case "azurerm_storage_account":
        return isSet(at(body, "customer_managed_key", "key_vault_key_id")) ||
          isSet(at(body, "customer_managed_key", "managed_hsm_key_id")) ||
          stack.referencing("azurerm_storage_account_customer_managed_key", "storage_account_id", subject).length > 0
          ? COMPLIANT
          : nonCompliant("no customer-managed key is configured; add customer_managed_key or an azurerm_storage_account_customer_managed_key");
      default:
        return NOT_APPLICABLE;
    }
  },
};
