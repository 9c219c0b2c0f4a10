/**
 * Object storage for Medplum binaries. Normally the replica bucket that S3 replication kept in the recovery region:
 * then nothing is created (and nothing is at risk of being destroyed by a teardown), the bucket is only named. A new,
 * empty bucket is for drills and for recoveries that accept losing binaries.
 */
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Construct } from "constructs";
import type { AwsTargetConfig } from "../../config/schema";
import type { BinaryStorage } from "../contracts";
import { hardenPrivateBucket } from "./private-bucket";
import type { AwsBinaryStorage } from "./step-results";

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
  /** What the later steps learn about the bucket. */
  readonly result: AwsBinaryStorage;

  constructor(scope: Construct, id: string, props: AwsStorageProps) {
    super(scope, id);
    const { storage } = props;
    const bucketName =
      storage.mode === "existing"
        ? storage.bucketName
        : this.createBucket(storage.bucketName, props.kmsKeyArn, this.bucketArnOf(storage.bucketName, props.partition));
    this.bucketArn = this.bucketArnOf(storage.bucketName, props.partition);
    this.storage = { name: bucketName, medplumBinaryStorage: `s3:${bucketName}` };
    this.result = { ...this.storage, bucketArn: this.bucketArn };
  }

  private bucketArnOf(name: string, partition: string): string {
    return `arn:${partition}:s3:::${name}`;
  }

  private createBucket(name: string, kmsKeyArn: string, arn: string): string {
    // No force_destroy: a teardown must never delete patient documents along with the bucket.
    const bucket = new S3Bucket(this, "bucket", { bucket: name, forceDestroy: false });
    hardenPrivateBucket(this, { bucket: bucket.id, arn, kmsKeyArn });
    return bucket.bucket;
  }
}
