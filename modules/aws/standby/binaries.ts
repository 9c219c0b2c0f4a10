/**
 * Medplum's binaries replicated into the recovery region. standby-aws owns the replica bucket (versioned, encrypted
 * with the standby key, private, TLS only: the bucket the recovery adopts as `targets.aws.storage` mode existing) and
 * attaches a replication configuration to the primary's bucket without owning that bucket.
 *
 * What this changes on the primary bucket: `aws_s3_bucket_replication_configuration` calls PutBucketReplication, which
 * replaces the bucket's whole replication configuration (a bucket has one), and its destroy calls
 * DeleteBucketReplication (internal/service/s3/bucket_replication_configuration.go in hashicorp/terraform-provider-aws).
 * Versioning, encryption and policy of the primary bucket are not touched; S3 refuses replication from an unversioned
 * bucket, so versioning must already be on there
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html).
 *
 * With `targets.aws.standby.cloudfront`, the replica is also made ready to be the storage distribution's origin, so the
 * switch on the day is one UpdateDistribution (docs/standby.md, "AWS: the storage and app hostnames"): an origin access
 * control, and the replica's policy letting that distribution read (the standby key's grant is in key.ts).
 */
import { CloudfrontOriginAccessControl } from "@cdktf/provider-aws/lib/cloudfront-origin-access-control";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { Construct } from "constructs";
import type { AwsStandbyConfig } from "../../../config/schema";
import type { ReplicatedBinaries } from "../../standby-contracts";
import { hardenPrivateBucket } from "../private-bucket";

/** The replication rule's id, which the S3 replication metrics carry as their RuleId dimension. */
export const REPLICATION_RULE_ID = "medplum-dr-standby";

/** Replication Time Control's one threshold (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html). */
export const RTC_MINUTES = 15;

export interface StandbyBinariesProps {
  readonly primary: AwsProvider;
  readonly recovery: AwsProvider;
  readonly storage: AwsStandbyConfig["storage"];
  /** The replica the recovery adopts (targets.aws.storage, mode existing). */
  readonly replicaBucketName: string;
  readonly namePrefix: string;
  readonly primaryRegion: string;
  readonly partition: string;
  /** The standby key of the recovery region: the replica's default encryption and the replicas' encryption. */
  readonly kmsKeyArn: string;
  /** Keep the replica (Terraform `prevent_destroy`): it holds the only copy of the binaries outside the primary region. */
  readonly preventDestroy: boolean;
  /**
   * The storage distribution that may read the replica through the origin access control created here.
   * @default - nothing is prepared for CloudFront
   */
  readonly storageDistributionArn?: string;
}

/** What the origin switch needs from the replica: the origin's domain name and the origin access control's id. */
export interface CloudfrontOrigin {
  readonly originAccessControlId: string;
  /** `<bucket>.s3.<region>.amazonaws.com`, the S3 REST endpoint CloudFront uses for an S3 origin with OAC. */
  readonly domainName: string;
}

/**
 * The replica bucket's grant to the storage distribution: CloudFront's service principal, reading objects only, and
 * only on behalf of that distribution (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html,
 * "Grant the origin access control permission to access the S3 bucket"). No s3:ListBucket: a missing key then answers
 * 403, not 404, and nobody lists patient documents through the distribution.
 */
export function cloudfrontReadsReplica(replicaArn: string, distributionArn: string) {
  return {
    Sid: "CloudFrontReadsForTheStorageDistribution",
    Effect: "Allow",
    Principal: { Service: "cloudfront.amazonaws.com" },
    Action: "s3:GetObject",
    Resource: `${replicaArn}/*`,
    Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
  };
}

export class StandbyBinaries extends Construct {
  readonly binaries: ReplicatedBinaries;
  readonly primaryBucketName: string;
  readonly replicaBucketName: string;
  readonly cloudfront: CloudfrontOrigin | undefined;

  constructor(scope: Construct, id: string, props: StandbyBinariesProps) {
    super(scope, id);
    const { storage, partition, recovery } = props;
    const sourceArn = `arn:${partition}:s3:::${storage.primaryBucketName}`;
    const replicaArn = `arn:${partition}:s3:::${props.replicaBucketName}`;

    // No force_destroy: a teardown must never delete the copy of patient documents along with the bucket.
    const replica = new S3Bucket(this, "replica", {
      provider: recovery,
      bucket: props.replicaBucketName,
      forceDestroy: false,
      lifecycle: { preventDestroy: props.preventDestroy },
    });
    const distribution = props.storageDistributionArn;
    const { versioning } = hardenPrivateBucket(this, {
      provider: recovery,
      bucket: replica.id,
      arn: replicaArn,
      kmsKeyArn: props.kmsKeyArn,
      statements: distribution === undefined ? [] : [cloudfrontReadsReplica(replicaArn, distribution)],
    });
    // CloudFront has one control-plane endpoint, in us-east-1, whatever region the provider is configured with
    // (https://docs.aws.amazon.com/general/latest/gr/cf_region.html), so the alias decides only which provider block
    // owns the resource: the recovery's, like the replica it is for. Always sign with SigV4, the only protocol for S3
    // origins (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_OriginAccessControlConfig.html).
    this.cloudfront =
      distribution === undefined
        ? undefined
        : {
            originAccessControlId: new CloudfrontOriginAccessControl(this, "originAccess", {
              provider: recovery,
              name: `${props.namePrefix}-standby-replica`,
              description: `${props.namePrefix}: the storage distribution reads the binaries replica ${props.replicaBucketName}`,
              originAccessControlOriginType: "s3",
              signingBehavior: "always",
              signingProtocol: "sigv4",
            }).id,
            domainName: replica.bucketRegionalDomainName,
          };

    // The role S3 assumes to replicate (https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html).
    const role = new IamRole(this, "role", {
      provider: props.primary,
      name: `${props.namePrefix}-standby-replication`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    });
    const sourceKey = storage.primaryBucketKmsKeyArn;
    new IamRolePolicy(this, "replicate", {
      provider: props.primary,
      role: role.name,
      name: "replicate-binaries",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: sourceArn },
          {
            Effect: "Allow",
            Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
            Resource: `${sourceArn}/*`,
          },
          { Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: `${replicaArn}/*` },
          // SSE-KMS replicas: encrypt with the standby key through S3 in the recovery region only.
          { Effect: "Allow", Action: ["kms:Encrypt", "kms:GenerateDataKey"], Resource: props.kmsKeyArn },
          ...(sourceKey === undefined
            ? []
            : [
                {
                  Effect: "Allow",
                  Action: ["kms:Decrypt"],
                  Resource: sourceKey,
                  Condition: {
                    StringLike: { "kms:ViaService": `s3.${props.primaryRegion}.amazonaws.com`, "kms:EncryptionContext:aws:s3:arn": `${sourceArn}/*` },
                  },
                },
              ]),
        ],
      }),
    });

    const rtc = storage.replicationTimeControl;
    new S3BucketReplicationConfigurationA(this, "replication", {
      provider: props.primary,
      bucket: storage.primaryBucketName,
      role: role.arn,
      // S3 needs the destination versioned before it accepts the configuration.
      dependsOn: [versioning],
      rule: [
        {
          id: REPLICATION_RULE_ID,
          status: "Enabled",
          // An empty filter selects every object (replication configuration V2, which RTC and metrics require).
          filter: {},
          // A delete in the primary, mistaken or malicious, does not reach the copy; the replica keeps every object.
          deleteMarkerReplication: { status: "Disabled" },
          ...(sourceKey === undefined ? {} : { sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } } }),
          destination: {
            bucket: replica.arn,
            storageClass: "STANDARD",
            // Replicas of SSE-KMS objects are re-encrypted with the standby key; S3 takes a replica key only together
            // with the SSE-KMS source selection (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html).
            // SSE-S3 objects replicate as SSE-S3.
            ...(sourceKey === undefined ? {} : { encryptionConfiguration: { replicaKmsKeyId: props.kmsKeyArn } }),
            // Replication metrics feed the failure and latency alarms (watches.ts); RTC adds its 15-minute threshold.
            metrics: rtc ? { status: "Enabled", eventThreshold: { minutes: RTC_MINUTES } } : { status: "Enabled" },
            ...(rtc ? { replicationTime: { status: "Enabled", time: { minutes: RTC_MINUTES } } } : {}),
          },
        },
      ],
    });

    this.primaryBucketName = storage.primaryBucketName;
    this.replicaBucketName = props.replicaBucketName;
    this.binaries = {
      source: storage.primaryBucketName,
      replica: replica.bucket,
      lag: rtc
        ? `S3 Replication Time Control (99.99% within ${RTC_MINUTES} minutes)`
        : "S3 replication without a time guarantee (most objects within 15 minutes, some hours)",
    };
  }
}
