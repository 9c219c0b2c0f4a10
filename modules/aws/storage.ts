/**
 * Object storage for Medplum binaries. Normally the replica bucket that S3 replication kept in the recovery region:
 * then nothing is created (and nothing is at risk of being destroyed by a teardown), the bucket is only named. A new,
 * empty bucket is for drills and for recoveries that accept losing binaries.
 */
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import type { AwsTargetConfig } from "../../config/schema";
import type { BinaryStorage } from "../contracts";

export interface AwsStorageProps {
  /** `targets.aws.storage` from the config. */
  readonly storage: AwsTargetConfig["storage"];
  /** `aws`, `aws-us-gov` or `aws-cn`, for the bucket ARN. */
  readonly partition: string;
  /** KMS key of the recovery region for a new bucket's default encryption. */
  readonly kmsKeyArn: string;
}

export class AwsStorage extends Construct {
  readonly storage: BinaryStorage;
  readonly bucketArn: string;

  constructor(scope: Construct, id: string, props: AwsStorageProps) {
    super(scope, id);
    const { storage } = props;
    const bucketName = storage.mode === "existing" ? storage.bucketName : this.createBucket(storage.bucketName, props.kmsKeyArn, this.bucketArnOf(storage.bucketName, props.partition));
    this.bucketArn = this.bucketArnOf(storage.bucketName, props.partition);
    this.storage = { name: bucketName, medplumBinaryStorage: `s3:${bucketName}` };
  }

  private bucketArnOf(name: string, partition: string): string {
    return `arn:${partition}:s3:::${name}`;
  }

  private createBucket(name: string, kmsKeyArn: string, arn: string): string {
    // No force_destroy: a teardown must never delete patient documents along with the bucket.
    const bucket = new S3Bucket(this, "bucket", { bucket: name, forceDestroy: false });
    new S3BucketPublicAccessBlock(this, "publicAccess", {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketVersioningA(this, "versioning", { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: kmsKeyArn }, bucketKeyEnabled: true }],
    });
    new S3BucketPolicy(this, "policy", {
      bucket: bucket.id,
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
        ],
      }),
    });
    return bucket.bucket;
  }
}
