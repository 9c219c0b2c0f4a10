/**
 * The recovery's customer-managed KMS key in the recovery region. It encrypts the restored database (Aurora re-encrypts
 * on restore), the database's master secret, Redis at rest, the log groups, the alert topic and a new binaries bucket.
 *
 * A key of the recovery region, never the primary's: a multi-Region key or a key in the lost region would tie the
 * recovery to the region it replaces. The key policy names the account root (IAM decides who uses the key, as with
 * AWS's default policy) plus the two services that act without an IAM identity of ours: CloudWatch Logs encrypting log
 * groups, and CloudWatch alarms publishing to the encrypted SNS topic.
 */
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";

export interface RecoveryKeyProps {
  /** Prefix for the alias, e.g. `medplum-dr`. */
  readonly namePrefix: string;
  /** The recovery region. */
  readonly region: string;
  /** The account the recovery runs in (read from the config's ARNs, so the plan needs no AWS reads). */
  readonly accountId: string;
  /** `aws`, `aws-us-gov` or `aws-cn`. */
  readonly partition: string;
  /**
   * Days a scheduled key deletion waits; the maximum, because deleting this key makes the database unreadable.
   * @default 30
   */
  readonly deletionWindowDays?: number;
  /**
   * Refuse to destroy the key (Terraform `prevent_destroy`): the database, its final snapshot and its backups are
   * unreadable without it. On whenever the database is deletion-protected.
   * @default false
   */
  readonly preventDestroy?: boolean;
}

/**
 * The key policy statement that leaves the key to the account's IAM policies (AWS's default key policy,
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html): without it no IAM policy grants use.
 */
export function accountAdministersKey(partition: string, accountId: string) {
  return {
    Sid: "AccountAdministersThroughIam",
    Effect: "Allow",
    Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
    Action: "kms:*",
    Resource: "*",
  };
}

export class RecoveryKey extends Construct {
  readonly arn: string;

  constructor(scope: Construct, id: string, props: RecoveryKeyProps) {
    super(scope, id);
    const { accountId, partition, region } = props;
    const key = new KmsKey(this, "key", {
      description: `${props.namePrefix}: Medplum disaster recovery data in ${region}`,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowDays ?? 30,
      lifecycle: { preventDestroy: props.preventDestroy ?? false },
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          accountAdministersKey(partition, accountId),
          {
            Sid: "CloudWatchLogsEncryptsRecoveryLogGroups",
            Effect: "Allow",
            Principal: { Service: `logs.${region}.amazonaws.com` },
            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resource: "*",
            Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${region}:${accountId}:log-group:*` } },
          },
          {
            Sid: "CloudWatchAlarmsPublishToEncryptedTopic",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
          },
        ],
      }),
    });
    new KmsAlias(this, "alias", { name: recoveryKeyAlias(props.namePrefix), targetKeyId: key.keyId });
    this.arn = key.arn;
  }
}

/**
 * The recovery key's alias. standby-aws grants the standing execution role decryption with the key by this alias
 * before the key exists (iam.ts, futureMasterSecretStatements): a new alias here needs standby-aws applied first.
 */
export function recoveryKeyAlias(namePrefix: string): string {
  return `alias/${namePrefix}-recovery`;
}

/** Account and partition of an ARN such as `arn:aws:secretsmanager:us-west-2:111122223333:secret:x`. */
export function arnAccount(arn: string): { partition: string; accountId: string } {
  const [prefix, partition, , , accountId] = arn.split(":");
  if (prefix !== "arn" || !partition || !accountId || !/^\d{12}$/.test(accountId)) {
    throw new Error(`${JSON.stringify(arn)} is not an ARN with a 12-digit account id`);
  }
  return { partition, accountId };
}
