import { at, isReference, literalString, trueOrUnknown } from "../json";
import { CANNOT_TELL, COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** Object versions are kept, so an overwrite or delete (or ransomware) can be undone; S3 replication needs it too. */
export const BucketVersioning: PolicyRule = {
  id: "BucketVersioning",
  description: "Object storage keeps object versions.",
  severity: "error",
  appliesTo: ["aws_s3_bucket", "aws_s3_bucket_versioning", "google_storage_bucket", "azurerm_storage_account"],
  check: (subject, stack) => {
    const { type, body } = subject;
    switch (type) {
      case "aws_s3_bucket":
        return stack.referencing("aws_s3_bucket_versioning", "bucket", subject, [body.bucket]).length > 0
          ? COMPLIANT
          : nonCompliant('no aws_s3_bucket_versioning points at this bucket; add one with versioning_configuration.status = "Enabled"');
      case "aws_s3_bucket_versioning": {
        const status = literalString(at(body, "versioning_configuration", "status"));
        if (isReference(at(body, "versioning_configuration", "status"))) return CANNOT_TELL;
        return status === "Enabled" ? COMPLIANT : nonCompliant(`versioning_configuration.status is ${status ?? "not set"}; set it to "Enabled"`);
      }
      case "google_storage_bucket":
        return trueOrUnknown(at(body, "versioning", "enabled")) ?? nonCompliant("versioning.enabled is not true; add versioning { enabled = true }");
      case "azurerm_storage_account":
        return (
          trueOrUnknown(at(body, "blob_properties", "versioning_enabled")) ?? nonCompliant("blob_properties.versioning_enabled is not true; set it to true")
        );
      default:
        return NOT_APPLICABLE;
    }
  },
};
