/**
 * In the pilot-light and warm-standby tiers the recovery's servers run with the roles standby-aws keeps standing, and
 * recovery-aws calls IAM for nothing (IAM's control plane is in us-east-1, the example's lost region). So whatever the
 * servers need on the day must already be granted by standby-aws: these tests synthesize both stacks from one config
 * and check each secret, key, bucket, log group and role the recovery's task definition names against standby-aws's
 * policies, including the master secret RDS creates only on the day.
 */
import type { RecoveryConfig } from "../../config/schema";
import { futureMasterSecretStatements } from "../../modules/aws/iam";
import { standingNames } from "../../modules/aws/standing-names";
import { standbyConfig, synthStandby, WARM_MASTER_SECRET, type SynthesizedStandby } from "../standby/helpers";
import { synthAws, type Resource, type SynthesizedStack } from "./helpers";
import { RDS_SNAPSHOT_RESTORE } from "../support/config";

const ACCOUNT = "111122223333";
const names = standingNames("medplum-dr");
const RDS_SNAPSHOT = {
  engine: "postgres",
  restore: RDS_SNAPSHOT_RESTORE,
};
const OWN_KEY = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

describe("futureMasterSecretStatements", () => {
  it("reads an Aurora cluster's secret by its tag and decrypts it with the recovery key found by alias, through Secrets Manager only", () => {
    expect(
      futureMasterSecretStatements("us-west-2", "aws", {
        accountId: ACCOUNT,
        database: "aws_rds_cluster",
        identifier: "medplum-dr-db",
        key: { alias: "alias/medplum-dr-recovery" },
      }),
    ).toEqual([
      {
        Sid: "ReadDatabaseMasterSecretOfTheDay",
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue"],
        Resource: ["arn:aws:secretsmanager:us-west-2:111122223333:secret:rds!*"],
        Condition: { StringEquals: { "secretsmanager:ResourceTag/aws:rds:primaryDBClusterArn": "arn:aws:rds:us-west-2:111122223333:cluster:medplum-dr-db" } },
      },
      {
        Sid: "DecryptDatabaseMasterSecretOfTheDay",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: ["arn:aws:kms:us-west-2:111122223333:key/*"],
        Condition: {
          StringEquals: { "kms:ViaService": "secretsmanager.us-west-2.amazonaws.com" },
          StringLike: { "kms:EncryptionContext:SecretARN": "arn:aws:secretsmanager:us-west-2:111122223333:secret:rds!*" },
          "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/medplum-dr-recovery" },
        },
      },
    ]);
  });

  it("names an RDS instance by the instance tag, and a key the config names by its ARN, with no alias condition", () => {
    const [read, decrypt] = futureMasterSecretStatements("eu-west-1", "aws-us-gov", {
      accountId: "444455556666",
      database: "aws_db_instance",
      identifier: "prod-db",
      key: { arn: OWN_KEY },
    }) as Resource[];
    expect(read!.Resource).toEqual(["arn:aws-us-gov:secretsmanager:eu-west-1:444455556666:secret:rds!*"]);
    expect(read!.Condition).toEqual({
      StringEquals: { "secretsmanager:ResourceTag/aws:rds:primaryDBInstanceArn": "arn:aws-us-gov:rds:eu-west-1:444455556666:db:prod-db" },
    });
    expect(decrypt!.Resource).toEqual([OWN_KEY]);
    expect(decrypt!.Condition).toEqual({
      StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" },
      StringLike: { "kms:EncryptionContext:SecretARN": "arn:aws-us-gov:secretsmanager:eu-west-1:444455556666:secret:rds!*" },
    });
  });
});

/** The statements of standby-aws's inline policy of this name, by Sid. */
function standbyStatements(standby: SynthesizedStandby, policyName: string): Record<string, Resource> {
  const policy = Object.values(standby.resources("aws_iam_role_policy")).find((candidate) => candidate.name === policyName);
  expect(policy, policyName).toBeDefined();
  return Object.fromEntries(JSON.parse(policy!.policy).Statement.map((statement: Resource) => [statement.Sid, statement]));
}

/** Every check of what the recovery's servers use against what standby-aws granted, for one config. */
function expectGrantedInPeacetime(config: RecoveryConfig): { recovery: SynthesizedStack; execution: Record<string, Resource> } {
  const recovery = synthAws(config);
  const standby = synthStandby(config);
  const execution = standbyStatements(standby, "start-medplum-server");
  const task = standbyStatements(standby, "medplum-binaries");
  const taskDefinition = recovery.only("aws_ecs_task_definition");

  // The roles: the ARNs name the roles standby-aws creates, in its account.
  const roleNames = Object.values(standby.resources("aws_iam_role")).map((role) => role.name);
  for (const arn of [taskDefinition.execution_role_arn, taskDefinition.task_role_arn]) {
    const [, name] = /^arn:aws:iam::111122223333:role\/([\w+=,.@-]+)$/.exec(arn) ?? [];
    expect(roleNames, arn).toContain(name);
  }

  const container = JSON.parse(taskDefinition.container_definitions)[0];
  const secretIds = [...new Set<string>(container.secrets.map((secret: Resource) => String(secret.valueFrom).replace(/:[^:]+::$/, "")))];
  expect(secretIds.length).toBeGreaterThanOrEqual(3);
  for (const id of secretIds) {
    const managed = /^\$\{(aws_rds_cluster|aws_db_instance)\.(\w+)\.master_user_secret\[0\]\.secret_arn\}$/.exec(id);
    if (managed === null) {
      // Known before the day: granted by ARN, and its key through Secrets Manager for that ARN.
      expect(execution.ReadReferencedSecrets!.Resource, id).toContain(id);
      expect(execution.DecryptReferencedSecretsWithTheirKeys!.Condition["ForAnyValue:StringEquals"]["kms:EncryptionContext:SecretARN"], id).toContain(id);
      continue;
    }
    // Created by RDS on the day: granted by its database's tag, which must name the database the recovery restores.
    const [, type, logicalId] = managed;
    const database = recovery.resources(type!)[logicalId!]!;
    const [kind, tag, identifier] =
      type === "aws_rds_cluster" ? ["cluster", "primaryDBClusterArn", database.cluster_identifier] : ["db", "primaryDBInstanceArn", database.identifier];
    expect(execution.ReadDatabaseMasterSecretOfTheDay!.Condition).toEqual({
      StringEquals: { [`secretsmanager:ResourceTag/aws:rds:${tag}`]: `arn:aws:rds:us-west-2:111122223333:${kind}:${identifier}` },
    });
    // And its key: the one the config names, or the recovery's own key, by the alias the recovery gives it.
    const decrypt = execution.DecryptDatabaseMasterSecretOfTheDay!;
    const keyReference = /^\$\{aws_kms_key\.(\w+)\.arn\}$/.exec(database.master_user_secret_kms_key_id);
    if (keyReference === null) {
      expect(decrypt.Resource).toEqual([database.master_user_secret_kms_key_id]);
      expect(decrypt.Condition["ForAnyValue:StringEquals"]).toBeUndefined();
    } else {
      const alias = Object.values(recovery.resources("aws_kms_alias")).find(
        (candidate) => candidate.target_key_id === `\${aws_kms_key.${keyReference[1]}.key_id}`,
      );
      expect(alias).toBeDefined();
      expect(decrypt.Condition["ForAnyValue:StringEquals"]).toEqual({ "kms:ResourceAliases": alias!.name });
    }
  }

  // The log group the servers write to is the one standby-aws grants.
  const logGroup = /^\$\{data\.aws_cloudwatch_log_group\.(\w+)\.name\}$/.exec(container.logConfiguration.options["awslogs-group"]);
  expect(logGroup).not.toBeNull();
  expect(recovery.json.data.aws_cloudwatch_log_group[logGroup![1]!].name).toBe(names.serverLogGroup);
  const standbyLogGroup = /^\$\{aws_cloudwatch_log_group\.(\w+)\.arn\}:\*$/.exec(execution.WriteServerLogs!.Resource[0]);
  expect(standby.resources("aws_cloudwatch_log_group")[standbyLogGroup![1]!]!.name).toBe(names.serverLogGroup);

  // The bucket the servers are told to use (Medplum's `s3:<bucket>` storage setting) is the one the task role may use.
  const storage = container.environment.find((variable: Resource) => variable.name === "MEDPLUM_BINARY_STORAGE");
  const [, bucket] = /^s3:(.+)$/.exec(storage?.value ?? "") ?? [];
  expect(bucket).toBe(config.targets.aws!.storage.bucketName);
  expect(task.ListBinaries!.Resource).toEqual([`arn:aws:s3:::${bucket}`]);
  expect(task.ReadWriteBinaries!.Resource).toEqual([`arn:aws:s3:::${bucket}/*`]);
  return { recovery, execution };
}

describe("what the recovery's servers need on the day, granted by standby-aws in peacetime", () => {
  it("pilot-light, Aurora restored with the recovery key: the master secret by the cluster's tag, the key by its alias", () => {
    const { execution } = expectGrantedInPeacetime(standbyConfig({ tier: "pilot-light" }));
    expect(execution.ReadDatabaseMasterSecretOfTheDay).toBeDefined();
  });

  it("pilot-light, RDS instance restored from a snapshot: the instance's tag", () => {
    const { execution } = expectGrantedInPeacetime(standbyConfig({ tier: "pilot-light" }, { targets: { aws: { database: RDS_SNAPSHOT } } }));
    expect(Object.keys(execution.ReadDatabaseMasterSecretOfTheDay!.Condition.StringEquals)).toEqual([
      "secretsmanager:ResourceTag/aws:rds:primaryDBInstanceArn",
    ]);
  });

  it("pilot-light with the config's own key: that key by ARN", () => {
    const { recovery, execution } = expectGrantedInPeacetime(
      standbyConfig({ tier: "pilot-light" }, { targets: { aws: { database: { kmsKeyArn: OWN_KEY } } } }),
    );
    expect(recovery.resources("aws_kms_key")).toEqual({});
    expect(execution.DecryptDatabaseMasterSecretOfTheDay!.Resource).toEqual([OWN_KEY]);
  });

  it("pilot-light adopting another bucket than the replica: that bucket", () => {
    expectGrantedInPeacetime(standbyConfig({ tier: "pilot-light" }, { targets: { aws: { storage: { mode: "existing", bucketName: "medplum-drill-copy" } } } }));
  });

  it.each([
    ["Aurora", {}],
    ["RDS", { targets: { aws: { database: { engine: "postgres" } } } }],
  ])("warm-standby, %s promoted: the primary's master secret replica by ARN, and no grant for a secret RDS would create", (_, overrides) => {
    const { execution } = expectGrantedInPeacetime(standbyConfig({ tier: "warm-standby" }, overrides));
    expect(execution.ReadReferencedSecrets!.Resource).toContain(WARM_MASTER_SECRET);
    expect(Object.keys(execution).filter((sid) => sid.endsWith("OfTheDay"))).toEqual([]);
  });
});
