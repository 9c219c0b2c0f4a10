import { at, isSet } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/**
 * S3 buckets declare their default encryption explicitly. (GCS and Azure Storage always encrypt; which key they use is
 * BucketCustomerManagedKey's concern.)
 */
export const BucketEncrypted: PolicyRule = {
  id: "BucketEncrypted",
  description: "S3 buckets have an explicit default server-side encryption configuration.",
  severity: "error",
  appliesTo: ["aws_s3_bucket", "aws_s3_bucket_server_side_encryption_configuration"],
  check: (subject, stack) => {
    const { type, body } = subject;
    switch (type) {
      case "aws_s3_bucket":
        return stack.referencing("aws_s3_bucket_server_side_encryption_configuration", "bucket", subject, [body.bucket]).length > 0
          ? COMPLIANT
          : nonCompliant(
              "no aws_s3_bucket_server_side_encryption_configuration points at this bucket; add one (sse_algorithm aws:kms with a recovery-region key)",
            );
      case "aws_s3_bucket_server_side_encryption_configuration":
        return isSet(at(body, "rule", "apply_server_side_encryption_by_default", "sse_algorithm"))
          ? COMPLIANT
          : nonCompliant("rule.apply_server_side_encryption_by_default.sse_algorithm is not set; set it to aws:kms");
      default:
        return NOT_APPLICABLE;
    }
  },
};
