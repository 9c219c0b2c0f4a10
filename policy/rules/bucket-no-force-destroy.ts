import { isTrue } from "../json";
import { COMPLIANT, nonCompliant, type PolicyRule } from "../types";

/** `terraform destroy` of a drill must never empty a bucket holding PHI: it fails on a non-empty bucket instead. */
export const BucketNoForceDestroy: PolicyRule = {
  id: "BucketNoForceDestroy",
  description: "Buckets holding PHI are not force-destroyed with their objects.",
  severity: "error",
  appliesTo: ["aws_s3_bucket", "google_storage_bucket"],
  check: ({ body }) =>
    isTrue(body.force_destroy) ? nonCompliant("force_destroy is true; remove it so destroying the stack cannot delete Medplum's binaries") : COMPLIANT,
};
