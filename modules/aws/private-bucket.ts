/**
 * What every bucket this project creates for Medplum's binaries carries, whichever stack creates it: no public access,
 * owner-enforced objects (no ACLs), versioning (S3 replication needs it on both sides, and it keeps overwritten
 * documents), default SSE-KMS with a bucket key, and a policy that refuses plain HTTP. The resources are created under
 * fixed construct ids in the caller's scope, so their Terraform addresses are the caller's to keep.
 */
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import type { Construct } from "constructs";

export interface PrivateBucketProps {
  /** The bucket's id (its name), usually `bucket.id`. */
  readonly bucket: string;
  /** `arn:<partition>:s3:::<name>`, for the TLS-only policy. */
  readonly arn: string;
  readonly kmsKeyArn: string;
  /** @default - the stack's default aws provider */
  readonly provider?: AwsProvider;
  /**
   * More statements for the bucket's policy. The policy is written here, whole (PutBucketPolicy replaces it), so
   * whatever else needs a grant on the bucket adds it here rather than through a second aws_s3_bucket_policy.
   * @default - none
   */
  readonly statements?: ReadonlyArray<Record<string, unknown>>;
}

export function hardenPrivateBucket(scope: Construct, props: PrivateBucketProps): { readonly versioning: S3BucketVersioningA } {
  const { bucket, arn } = props;
  const provider = props.provider === undefined ? {} : { provider: props.provider };
  new S3BucketPublicAccessBlock(scope, "publicAccess", {
    ...provider,
    bucket,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketOwnershipControls(scope, "ownership", { ...provider, bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
  const versioning = new S3BucketVersioningA(scope, "versioning", { ...provider, bucket, versioningConfiguration: { status: "Enabled" } });
  new S3BucketServerSideEncryptionConfigurationA(scope, "encryption", {
    ...provider,
    bucket,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }],
  });
  new S3BucketPolicy(scope, "policy", {
    ...provider,
    bucket,
    policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [arn, `${arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        ...(props.statements ?? []),
      ],
    }),
  });
  return { versioning };
}
