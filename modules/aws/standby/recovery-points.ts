/**
 * Database recovery points copied into the recovery region: an AWS Backup plan in the primary region backs up the
 * primary's Aurora cluster or RDS instance on the configured schedule into a vault there and copies every recovery
 * point into a vault in the recovery region (`copy_action`), encrypted with the standby key. For RDS, the instance's
 * automated backups are also replicated into the recovery region
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReplicateBackups.html), which gives point-in-time
 * restore there with an RPO of minutes; Aurora has no such replication, so its RPO is the copy schedule.
 *
 * Nothing here owns the primary database: a backup selection names it by ARN (AWS Backup only reads it), and the
 * automated backups replication is a resource of the recovery region that starts and stops the replication
 * (StartDBInstanceAutomatedBackupsReplication / Stop...). Every argument of aws_db_instance_automated_backups_replication
 * is ForceNew in the provider (internal/service/rds/instance_automated_backups_replication.go), so they come from
 * config only.
 */
import { BackupPlan } from "@cdktf/provider-aws/lib/backup-plan";
import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { BackupVault } from "@cdktf/provider-aws/lib/backup-vault";
import { DbInstanceAutomatedBackupsReplication } from "@cdktf/provider-aws/lib/db-instance-automated-backups-replication";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import type { AwsStandbyConfig, AwsTargetConfig } from "../../../config/schema";
import type { RecoveryPointCopies } from "../../standby-contracts";

export interface StandbyRecoveryPointsProps {
  readonly primary: AwsProvider;
  readonly recovery: AwsProvider;
  readonly engine: AwsTargetConfig["database"]["engine"];
  readonly database: AwsStandbyConfig["database"];
  readonly namePrefix: string;
  readonly primaryRegion: string;
  readonly accountId: string;
  readonly partition: string;
  /** The standby key of the recovery region. */
  readonly kmsKeyArn: string;
  /** Tags every recovery point and copy carries, so the recovery can find the newest one by tag. */
  readonly recoveryPointTags: Readonly<Record<string, string>>;
}

/**
 * AWS Backup's cron: minutes hours day-of-month month day-of-week year, UTC
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/creating-a-backup-plan.html#backup-plan-cron). On the hour,
 * every `hours` hours from midnight.
 */
export function backupSchedule(hours: number): string {
  return hours === 24 ? "cron(0 0 * * ? *)" : `cron(0 0/${hours} * * ? *)`;
}

/** The primary database's ARN (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Tagging.ARN.Constructing.html). */
export function primaryDatabaseArn(props: Pick<StandbyRecoveryPointsProps, "engine" | "partition" | "primaryRegion" | "accountId" | "database">): string {
  const kind = props.engine === "aurora-postgresql" ? "cluster" : "db";
  return `arn:${props.partition}:rds:${props.primaryRegion}:${props.accountId}:${kind}:${props.database.identifier}`;
}

export class StandbyRecoveryPoints extends Construct {
  readonly copies: RecoveryPointCopies;
  readonly primaryVaultName: string;
  readonly recoveryVaultName: string;
  readonly planId: string;

  constructor(scope: Construct, id: string, props: StandbyRecoveryPointsProps) {
    super(scope, id);
    const { database, namePrefix, partition } = props;
    const vaultName = `${namePrefix}-standby`;

    // The copies' vault, in the recovery region with the standby key: what the recovery restores from.
    const recoveryVault = new BackupVault(this, "recoveryVault", {
      provider: props.recovery,
      name: vaultName,
      kmsKeyArn: props.kmsKeyArn,
      forceDestroy: false,
    });
    // Where the plan writes first. RDS and Aurora recovery points are snapshots encrypted with the database's own key
    // (https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html), so this vault needs no key of ours.
    const primaryVault = new BackupVault(this, "primaryVault", { provider: props.primary, name: vaultName, forceDestroy: false });

    const role = new IamRole(this, "role", {
      provider: props.primary,
      name: `${namePrefix}-standby-backup`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    });
    new IamRolePolicyAttachment(this, "backupPolicy", {
      provider: props.primary,
      role: role.name,
      policyArn: `arn:${partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup`,
    });
    // The copy into the recovery vault re-encrypts with the standby key, which the key policy leaves to IAM.
    new IamRolePolicy(this, "copyKey", {
      provider: props.primary,
      role: role.name,
      name: "encrypt-copies-with-standby-key",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: ["kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
            Resource: props.kmsKeyArn,
          },
        ],
      }),
    });

    const schedule = backupSchedule(database.backupEveryHours);
    const plan = new BackupPlan(this, "plan", {
      provider: props.primary,
      name: `${namePrefix}-standby`,
      rule: [
        {
          ruleName: `every-${database.backupEveryHours}h-copied-to-recovery`,
          targetVaultName: primaryVault.name,
          schedule,
          // A job that cannot start within an hour is late for the next one anyway; AWS Backup's default is 8 hours,
          // which would let the RPO slip that far unnoticed (the watch on failed jobs reports an expired one).
          startWindow: 60,
          completionWindow: 180,
          lifecycle: { deleteAfter: database.retentionDays },
          recoveryPointTags: props.recoveryPointTags,
          copyAction: [{ destinationVaultArn: recoveryVault.arn, lifecycle: { deleteAfter: database.copyRetentionDays } }],
        },
      ],
    });
    new BackupSelection(this, "selection", {
      provider: props.primary,
      name: `${namePrefix}-primary-database`,
      planId: plan.id,
      iamRoleArn: role.arn,
      resources: [primaryDatabaseArn(props)],
    });

    const continuous =
      props.engine === "postgres"
        ? new DbInstanceAutomatedBackupsReplication(this, "automatedBackups", {
            provider: props.recovery,
            sourceDbInstanceArn: primaryDatabaseArn(props),
            kmsKeyId: props.kmsKeyArn,
            retentionPeriod: database.automatedBackupsRetentionDays,
          })
        : undefined;

    this.primaryVaultName = primaryVault.name;
    this.recoveryVaultName = recoveryVault.name;
    this.planId = plan.id;
    this.copies = {
      destination: recoveryVault.arn,
      schedule,
      intervalMinutes: database.backupEveryHours * 60,
      retentionDays: database.copyRetentionDays,
      ...(continuous === undefined ? {} : { continuous: { id: continuous.id, retentionDays: database.automatedBackupsRetentionDays } }),
    };
  }
}
