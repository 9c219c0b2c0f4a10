/**
 * Customer-managed KMS keys of the standby stack, one per region and purpose: the recovery region's key encrypts the
 * backup vault's copies, the replicated automated backups and the binaries replica (what the recovery restores from);
 * an alerts key per region encrypts that region's alert topic. Never the primary's keys, and never a multi-Region key:
 * a recovery must not depend on a key of the region it replaces.
 *
 * The policy names the account root (IAM decides who uses the key, as with AWS's default key policy; the backup and
 * replication roles get their grants in IAM), plus, for alert keys, the two services that publish to an encrypted
 * topic without an IAM identity of ours: CloudWatch alarms and EventBridge
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services); and, when
 * `targets.aws.standby.cloudfront` names the primary's distributions, CloudFront decrypting the replica's SSE-KMS
 * objects for those distributions only (cloudfrontDecrypts below).
 */
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { accountAdministersKey } from "../encryption-key";

export interface StandbyKeyProps {
  readonly provider: AwsProvider;
  /** `alias/<aliasName>`; distinct from the recovery stack's `alias/<prefix>-recovery` in the same region. */
  readonly aliasName: string;
  readonly description: string;
  readonly accountId: string;
  readonly partition: string;
  /** Let CloudWatch alarms and EventBridge publish to topics encrypted with this key. */
  readonly forAlerts: boolean;
  /** Refuse to destroy the key (Terraform `prevent_destroy`): the copies are unreadable without it. */
  readonly preventDestroy: boolean;
  /**
   * Let CloudWatch Logs of this region encrypt this account's log groups with the key (the standing tiers' server and
   * replica log groups). @default - no log group uses the key
   */
  readonly logsRegion?: string;
  /**
   * CloudFront distributions that may decrypt with the key when they read through an origin access control.
   * @default - none
   */
  readonly cloudfrontDistributionArns?: readonly string[];
}

/**
 * The key policy statement that lets CloudFront, reading an S3 origin through an origin access control, decrypt the
 * SSE-KMS objects it serves: the service principal, conditioned on the distribution's ARN so no other distribution
 * (of any account) can use it (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html,
 * "SSE-KMS"). Decrypt only: AWS's example adds kms:Encrypt and kms:GenerateDataKey* for uploads through CloudFront,
 * and Medplum writes its binaries to S3 directly, never through the distribution. A list under StringEquals matches
 * any of its values (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html).
 */
export function cloudfrontDecrypts(distributionArns: readonly string[]) {
  return {
    Sid: "CloudFrontDecryptsForTheStandbyDistributions",
    Effect: "Allow",
    Principal: { Service: "cloudfront.amazonaws.com" },
    Action: "kms:Decrypt",
    Resource: "*",
    Condition: { StringEquals: { "AWS:SourceArn": [...distributionArns] } },
  };
}

export class StandbyKey extends Construct {
  readonly arn: string;

  constructor(scope: Construct, id: string, props: StandbyKeyProps) {
    super(scope, id);
    const { accountId, partition } = props;
    const publishers = props.forAlerts
      ? [
          {
            Sid: "AlarmsAndEventsPublishToEncryptedTopic",
            Effect: "Allow",
            Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
          },
        ]
      : [];
    // CloudWatch Logs encrypts with the key as its regional service principal, with the log group in the context
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
    const logs =
      props.logsRegion === undefined
        ? []
        : [
            {
              Sid: "CloudWatchLogsEncryptsStandingLogGroups",
              Effect: "Allow",
              Principal: { Service: `logs.${props.logsRegion}.amazonaws.com` },
              Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
              Resource: "*",
              Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${props.logsRegion}:${accountId}:log-group:*` } },
            },
          ];
    const cloudfront = (props.cloudfrontDistributionArns ?? []).length === 0 ? [] : [cloudfrontDecrypts(props.cloudfrontDistributionArns ?? [])];
    const key = new KmsKey(this, "key", {
      provider: props.provider,
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      lifecycle: { preventDestroy: props.preventDestroy },
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [accountAdministersKey(partition, accountId), ...publishers, ...logs, ...cloudfront],
      }),
    });
    new KmsAlias(this, "alias", { provider: props.provider, name: `alias/${props.aliasName}`, targetKeyId: key.keyId });
    this.arn = key.arn;
  }
}
