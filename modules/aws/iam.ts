/**
 * The two roles of the Medplum task, each allowed exactly what it needs:
 *  - the execution role (used by ECS before the container starts): pull the image, write the log group, and read the
 *    secrets the task definition references, nothing else;
 *  - the task role (used by Medplum itself): read and write objects in the binaries bucket.
 * KMS decryption for secrets and objects whose keys the recovery does not own is allowed only through Secrets Manager
 * or S3 and only for the named secrets and bucket (encryption-context conditions), so no key ARN has to be known.
 */
import { DataAwsIamRole } from "@cdktf/provider-aws/lib/data-aws-iam-role";
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
   * Adopt the two roles standby-aws keeps standing (pilot-light and warm-standby tiers, by the names in
   * standing-names.ts) instead of creating them. Their own policies stay standby-aws's; the recovery adds policies of
   * its own names for what exists only from the day on (the database's managed master secret, the recovery key).
   * @default false
   */
  readonly adoptStanding?: boolean;
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
    const adopt = props.adoptStanding === true;
    // An inline policy name is unique per role: the recovery's must differ from the ones standby-aws put on the roles.
    const policyName = (name: string) => (adopt ? `${name}-recovery` : name);
    const execution = adopt
      ? new DataAwsIamRole(this, "adoptedExecution", { name: names.executionRole })
      : new IamRole(this, "execution", { name: names.executionRole, assumeRolePolicy: ECS_TASKS_TRUST });
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
    ];
    const ecrRepository = ecrRepositoryArn(props.image, partition);
    if (ecrRepository !== undefined) {
      executionStatements.push(
        { Sid: "AuthenticateToEcr", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
        { Sid: "PullServerImage", Effect: "Allow", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], Resource: [ecrRepository] },
      );
    }
    new IamRolePolicy(this, "executionPolicy", {
      role: adopt ? execution.name : execution.id,
      name: policyName("start-medplum-server"),
      policy: JSON.stringify({ Version: "2012-10-17", Statement: executionStatements }),
    });

    const task = adopt
      ? new DataAwsIamRole(this, "adoptedTask", { name: names.taskRole })
      : new IamRole(this, "task", { name: names.taskRole, assumeRolePolicy: ECS_TASKS_TRUST });
    new IamRolePolicy(this, "taskPolicy", {
      role: adopt ? task.name : task.id,
      name: policyName("medplum-binaries"),
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
