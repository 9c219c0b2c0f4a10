import { Testing, TerraformOutput, TerraformStack } from "cdktf";
import { AwsDatabase, restoreProvenance } from "../../modules/aws/database";
import { arnAccount } from "../../modules/aws/encryption-key";
import { ecsSecretValueFrom } from "../../modules/aws/medplum-container";
import { exampleConfig } from "../support/config";
import { synthAws } from "./helpers";

describe("what the AWS bundle tells the rest of the recovery", () => {
  it("describes the restored database by endpoint, port 5432, database medplum and the managed master secret", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const aws = exampleConfig().targets.aws!;
    const database = new AwsDatabase(stack, "database", {
      database: aws.database,
      namePrefix: "medplum-dr",
      privateSubnetIds: ["subnet-a", "subnet-b"],
      securityGroupId: "sg-db",
      kmsKeyArn: "arn:aws:kms:us-west-2:111122223333:key/k",
      // The example restores standby-aws's newest recovery point (restore.source: standby).
      ...(aws.standby !== undefined ? { standbySourceIdentifier: aws.standby.database.identifier } : {}),
    }).restored;
    // Tokens resolve to Terraform references only on synth: route them through outputs.
    new TerraformOutput(stack, "host", { value: database.host });
    new TerraformOutput(stack, "passwordSecret", { value: database.password.id });
    new TerraformOutput(stack, "usernameSecret", { value: typeof database.username === "string" ? database.username : database.username.id });
    const outputs = JSON.parse(Testing.synth(stack)).output;
    expect(outputs.host.value).toMatch(/^\$\{aws_rds_cluster\.\w+\.endpoint\}$/);
    expect(outputs.passwordSecret.value).toMatch(/^\$\{aws_rds_cluster\.\w+\.master_user_secret\[0\]\.secret_arn\}$/);
    expect(outputs.usernameSecret.value).toBe(outputs.passwordSecret.value);
    expect(database).toMatchObject({
      port: 5432,
      databaseName: "medplum",
      engine: "aurora-postgresql 16",
      username: { store: "aws-secrets-manager", key: "username" },
      password: { store: "aws-secrets-manager", key: "password" },
    });
  });

  it.each([
    [
      { mode: "snapshot", snapshotIdentifier: "snap-1" },
      { mode: "snapshot", source: "snap-1", point: "as of snapshot snap-1" },
    ],
    [
      { mode: "snapshot", snapshotIdentifier: "snap-1", snapshotTakenAt: "2026-11-22T03:00:00Z" },
      { mode: "snapshot", source: "snap-1", point: "2026-11-22T03:00:00Z", sourceTakenAt: "2026-11-22T03:00:00Z" },
    ],
    [
      { mode: "point-in-time", automatedBackupsArn: "arn:backups", time: "latest" },
      { mode: "point-in-time", source: "arn:backups", point: "latest" },
    ],
    [
      { mode: "point-in-time", automatedBackupsArn: "arn:backups", time: "2026-11-22T08:30:00Z" },
      { mode: "point-in-time", source: "arn:backups", point: "2026-11-22T08:30:00Z" },
    ],
  ] as const)("reports restore provenance for %j", (restore, expected) => {
    expect(restoreProvenance(restore)).toEqual(expected);
  });

  it("reports the snapshot time as the restore point when the config gives it", () => {
    const stack = synthAws({
      targets: {
        aws: {
          database: {
            restore: {
              source: null,
              snapshotIdentifier: "arn:aws:rds:us-west-2:111122223333:cluster-snapshot:medplum-prod-copy-2026-11-22",
              snapshotTakenAt: "2026-11-22T03:00:00Z",
            },
          },
        },
      },
    });
    expect(stack.json.output.restore_point.value).toBe("2026-11-22T03:00:00Z");
  });
});

describe("helpers", () => {
  it.each([
    ["arn:aws:secretsmanager:us-west-2:111122223333:secret:x", { partition: "aws", accountId: "111122223333" }],
    ["arn:aws-us-gov:secretsmanager:us-gov-west-1:111122223333:secret:x", { partition: "aws-us-gov", accountId: "111122223333" }],
  ])("reads partition and account from %s", (arn, expected) => {
    expect(arnAccount(arn)).toEqual(expected);
  });

  it.each(["not-an-arn", "arn:aws:s3:::bucket"])("refuses %s as an account source", (arn) => {
    expect(() => arnAccount(arn)).toThrow(/is not an ARN with a 12-digit account id/);
  });

  it.each([
    [{ store: "aws-secrets-manager", id: "arn:s" }, "arn:s"],
    [{ store: "aws-secrets-manager", id: "arn:s", key: "password" }, "arn:s:password::"],
  ] as const)("writes ECS valueFrom for %j", (reference, expected) => {
    expect(ecsSecretValueFrom("X", reference)).toBe(expected);
  });

  it("refuses a secret held outside AWS Secrets Manager, naming the variable", () => {
    expect(() => ecsSecretValueFrom("MEDPLUM_X", { store: "gcp-secret-manager", id: "projects/p/secrets/s" })).toThrow(
      /MEDPLUM_X: lives in gcp-secret-manager; the AWS target reads secrets from AWS Secrets Manager only/,
    );
  });
});
