/**
 * The two roles of the Medplum task, each allowed exactly what it needs:
 *  - the execution role (used by ECS before the container starts): pull the image, write the log group, and read the
 *    secrets the task definition references, nothing else;
 *  - the task role (used by Medplum itself): read and write objects in the binaries bucket.
 * KMS decryption for secrets and objects whose keys the recovery does not own is allowed only through Secrets Manager
 * or S3 and only for the named secrets and bucket (encryption-context conditions), so no key ARN has to be known.
 *
 * recovery-aws creates them in the backup-restore tier. In the pilot-light and warm-standby tiers standby-aws creates
 * them in peacetime with everything the day needs, and recovery-aws only names them (adopted.ts): every IAM API call,
 * reads included, goes to IAM's control plane in us-east-1, which may be the region being recovered from
 * (https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/global-services.html).
 */
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { standingNames } from "./standing-names";

export interface TaskRolesProps {
  /** Prefix for role names, e.g. `medplum-dr`. */
  readonly namePrefix: string;
  /** The recovery region, for the `kms:ViaService` conditions. */
  readonly region: string;
  /** `aws`, `aws-us-gov` or `aws-cn`, for ARNs built here. */
  readonly partition: string;
  /** ARN of the server's log group. */
  readonly logGroupArn: string;
  /** Every Secrets Manager secret the task definition references (without JSON keys). */
  readonly secretArns: readonly string[];
  /** The recovery key, which encrypts the database's managed master secret and a new bucket. */
  readonly kmsKeyArn: string;
  /** ARN of the binaries bucket. */
  readonly bucketArn: string;
  /** The server image; an ECR image also needs pull permissions on its repository. */
  readonly image: string;
  /**
   * standby-aws, when the recovery will restore a database: the master secret RDS creates for it on the day, granted
   * in peacetime by what is known of it already (futureMasterSecretStatements).
   * @default - none
   */
  readonly futureMasterSecret?: FutureMasterSecret;
}

/** The master secret RDS will create, and keep, for the database the recovery restores (`manage_master_user_password`). */
export interface FutureMasterSecret {
  readonly accountId: string;
  /** Whether the recovery restores an Aurora cluster or an RDS instance: the secret's tag names one or the other. */
  readonly database: "aws_rds_cluster" | "aws_db_instance";
  /** The identifier it restores the database under (standing-names.ts `restoredDatabase`). */
  readonly identifier: string;
  /**
   * The key RDS encrypts the secret with: `targets.aws.database.kmsKeyArn` when the config names one, else the alias
   * of the recovery key recovery-aws creates on the day (encryption-key.ts), whose ARN nobody knows before.
   */
  readonly key: { readonly arn: string } | { readonly alias: string };
}

/**
 * GetSecretValue on the database's RDS-managed master secret, and the decryption Secrets Manager does for it, before
 * either the secret or (usually) its key exists. RDS names the secrets it manages `rds!...` and tags each with the ARN
 * of its database, `aws:rds:primaryDBClusterArn` or `aws:rds:primaryDBInstanceArn` (RDS's service-linked role may set
 * only those two tags on `rds!*` secrets: AmazonRDSServiceRolePolicy,
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonRDSServiceRolePolicy.html); `aws:` tags cannot
 * be set by anyone else, so the tag names this environment's database alone. Secrets Manager supports the secret's
 * tags as condition keys of GetSecretValue
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html).
 *
 * The decryption is allowed only through Secrets Manager of this region and only for `rds!` secrets, so it adds
 * nothing beyond the GetSecretValue above. A key the recovery creates is matched by its alias (kms:ResourceAliases,
 * https://docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html). An alias takes up to five minutes
 * to count for authorization; recovery-aws creates it with the key, before the restore, which takes far longer, and
 * the servers start only once the database has a writer.
 */
export function futureMasterSecretStatements(region: string, partition: string, secret: FutureMasterSecret): object[] {
  const { accountId } = secret;
  const cluster = secret.database === "aws_rds_cluster";
  const databaseArn = `arn:${partition}:rds:${region}:${accountId}:${cluster ? "cluster" : "db"}:${secret.identifier}`;
  const rdsSecrets = `arn:${partition}:secretsmanager:${region}:${accountId}:secret:rds!*`;
  const key = secret.key;
  return [
    {
      Sid: "ReadDatabaseMasterSecretOfTheDay",
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue"],
      Resource: [rdsSecrets],
      Condition: { StringEquals: { [`secretsmanager:ResourceTag/aws:rds:${cluster ? "primaryDBClusterArn" : "primaryDBInstanceArn"}`]: databaseArn } },
    },
    {
      Sid: "DecryptDatabaseMasterSecretOfTheDay",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: ["arn" in key ? key.arn : `arn:${partition}:kms:${region}:${accountId}:key/*`],
      Condition: {
        StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` },
        StringLike: { "kms:EncryptionContext:SecretARN": rdsSecrets },
        ...("alias" in key ? { "ForAnyValue:StringEquals": { "kms:ResourceAliases": key.alias } } : {}),
      },
    },
  ];
}

const ECS_TASKS_TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

export class TaskRoles extends Construct {
  readonly executionRoleArn: string;
  readonly taskRoleArn: string;

  constructor(scope: Construct, id: string, props: TaskRolesProps) {
    super(scope, id);
    const { namePrefix, region, partition } = props;

    const names = standingNames(namePrefix);
    const execution = new IamRole(this, "execution", { name: names.executionRole, assumeRolePolicy: ECS_TASKS_TRUST });
    const uniqueSecrets = [...new Set(props.secretArns)];
    const executionStatements: object[] = [
      { Sid: "WriteServerLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [`${props.logGroupArn}:*`] },
      { Sid: "ReadReferencedSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: uniqueSecrets },
      { Sid: "DecryptWithRecoveryKey", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [props.kmsKeyArn] },
      {
        // Replicated secrets keep the key chosen in the primary account setup; allow it only for these secrets.
        Sid: "DecryptReferencedSecretsWithTheirKeys",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: "*",
        Condition: {
          StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` },
          "ForAnyValue:StringEquals": { "kms:EncryptionContext:SecretARN": uniqueSecrets },
        },
      },
      ...(props.futureMasterSecret === undefined ? [] : futureMasterSecretStatements(region, partition, props.futureMasterSecret)),
    ];
    const ecrRepository = ecrRepositoryArn(props.image, partition);
    if (ecrRepository !== undefined) {
      executionStatements.push(
        { Sid: "AuthenticateToEcr", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
        { Sid: "PullServerImage", Effect: "Allow", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], Resource: [ecrRepository] },
      );
    }
    new IamRolePolicy(this, "executionPolicy", {
      role: execution.id,
      name: "start-medplum-server",
      policy: JSON.stringify({ Version: "2012-10-17", Statement: executionStatements }),
    });

    const task = new IamRole(this, "task", { name: names.taskRole, assumeRolePolicy: ECS_TASKS_TRUST });
    new IamRolePolicy(this, "taskPolicy", {
      role: task.id,
      name: "medplum-binaries",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "ListBinaries", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [props.bucketArn] },
          { Sid: "ReadWriteBinaries", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: [`${props.bucketArn}/*`] },
          {
            Sid: "EncryptBinaries",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: "*",
            Condition: {
              StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` },
              StringLike: { "kms:EncryptionContext:aws:s3:arn": [props.bucketArn, `${props.bucketArn}/*`] },
            },
          },
        ],
      }),
    });

    this.executionRoleArn = execution.arn;
    this.taskRoleArn = task.arn;
  }
}

/** `<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>` -> the repository ARN; anything else -> undefined. */
export function ecrRepositoryArn(image: string, partition: string): string | undefined {
  const match = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/.exec(image);
  if (!match) return undefined;
  const [, account, region, repository] = match;
  return `arn:${partition}:ecr:${region}:${account}:repository/${repository}`;
}
