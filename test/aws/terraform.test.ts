/**
 * Real Terraform on the synthesized `recovery-aws` stack, one run per restore mode plus the cheap network and routing
 * variants: `terraform init` from the offline provider mirror, `validate`, and a plan with fake credentials through
 * `terraform test` (report/terraform-plan.ts). Then the human-readable plan is read once more to prove no secret
 * value is ever printed. Without Terraform this skips loudly, and fails in CI.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planStackOffline, type PlanStackResult } from "../../report/terraform-plan";
import { buildRecoveryApp } from "../../stacks/app";
import { findPluginDir } from "../../report/terraform-plan";
import { skipWithoutTerraform } from "../report/terraform-helpers";
import { onlyAws } from "./helpers";
import { rerunWithNewerRestoreSource, terraform } from "./terraform-rerun";
import { exampleConfig, type ConfigOverrides } from "../support/config";

/** Visibly fake; a real token is 16-128 characters, so is this one. */
const FAKE_REDIS_TOKEN = "fake-token-for-offline-plan-0000";

const RDS = { engine: "postgres", instanceClass: "db.r6g.large", multiAz: true, allocatedStorageGiB: 200 };
const VARIANTS: ReadonlyArray<{ name: string; overrides: ConfigOverrides; database: string }> = [
  { name: "aurora from a cluster snapshot (the example)", overrides: {}, database: "aws_rds_cluster" },
  {
    name: "rds from a snapshot",
    overrides: { targets: { aws: { database: { ...RDS, restore: { mode: "snapshot", snapshotIdentifier: "arn:aws:rds:us-west-2:111122223333:snapshot:medplum-prod-copy" } } } } },
    database: "aws_db_instance",
  },
  {
    name: "rds to the latest restorable time from replicated backups",
    overrides: { targets: { aws: { database: { ...RDS, restore: { mode: "point-in-time", automatedBackupsArn: "arn:aws:rds:us-west-2:111122223333:auto-backup:ab-example", time: "latest" } } } } },
    database: "aws_db_instance",
  },
  {
    name: "rds to a given time from replicated backups",
    overrides: {
      targets: { aws: { database: { ...RDS, restore: { mode: "point-in-time", automatedBackupsArn: "arn:aws:rds:us-west-2:111122223333:auto-backup:ab-example", time: "2026-11-22T08:30:00Z" } } } },
    },
    database: "aws_db_instance",
  },
  {
    name: "an existing VPC and a new bucket",
    overrides: {
      targets: {
        aws: {
          network: { mode: "existing", vpcId: "vpc-0abc1234", publicSubnetIds: ["subnet-0a1000a1", "subnet-0b1000b1"], privateSubnetIds: ["subnet-0a2000a2", "subnet-0b2000b2"] },
          storage: { mode: "new", bucketName: "medplum-dr-drill-binaries" },
        },
      },
    },
    database: "aws_rds_cluster",
  },
  {
    name: "failover routing with one NAT gateway",
    overrides: { targets: { aws: { dns: { routing: { mode: "failover" } }, network: { natGatewayPerZone: false } } } },
    database: "aws_rds_cluster",
  },
];

describe("terraform validate and an offline plan of the recovery-aws stack", () => {
  if (skipWithoutTerraform("test/aws/terraform.test.ts (terraform init/validate/plan of recovery-aws)")) {
    it.skip("needs Terraform and the aws provider mirror", () => undefined);
    return;
  }
  const started = Date.now();
  afterAll(() => console.log(`terraform init + validate + plan of ${VARIANTS.length} variants took ${Math.round((Date.now() - started) / 1000)} s`));

  it.each(VARIANTS)("$name: validates, plans the restore, and prints no secret", async ({ overrides, database }) => {
    const outdir = mkdtempSync(join(tmpdir(), "medplum-dr-tf-"));
    let result: PlanStackResult | undefined;
    try {
      const { app } = buildRecoveryApp(onlyAws(exampleConfig(overrides)), outdir);
      app.synth();
      const stackDir = join(outdir, "stacks", "recovery-aws");
      const dataSource = Object.keys(JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")).data.aws_secretsmanager_secret_version)[0];

      result = await planStackOffline(stackDir, {
        dataOverrides: { [`data.aws_secretsmanager_secret_version.${dataSource}`]: { secret_string: FAKE_REDIS_TOKEN } },
        keepWorkDir: true,
      });

      expect(result.validate).toMatchObject({ valid: true, errorCount: 0 });
      expect(result.summary.changes.filter((change) => change.type === database).map((change) => change.action)).toEqual(["create"]);
      expect(result.summary).toMatchObject({ change: 0, destroy: 0 });
      expect(result.overriddenData).toEqual([`data.aws_secretsmanager_secret_version.${dataSource}`]);

      // The human-readable plan, as an operator would see it in a CI log.
      const shown = await terraform(["test", "-verbose", "-no-color"], result.workDir!, { ...process.env, TF_IN_AUTOMATION: "1" });
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain("Plan:");
      expect(shown.stdout).not.toContain(FAKE_REDIS_TOKEN);
      expect(shown.stdout).toMatch(/auth_token\s+= \(sensitive value\)/);
      // No attribute named like a password carries a literal value; only flags such as manage_master_user_password = true.
      expect(shown.stdout).not.toMatch(/password\w*\s+= "/);
    } finally {
      if (result?.workDir) rmSync(result.workDir, { recursive: true, force: true });
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 600_000);
});

const RERUNS: ReadonlyArray<{ name: string; variant: number; database: "aws_rds_cluster" | "aws_db_instance"; inputPath: string[]; newerValue: string }> = [
  { name: "aurora, newer cluster snapshot", variant: 0, database: "aws_rds_cluster", inputPath: ["snapshot_identifier"], newerValue: "arn:aws:rds:us-west-2:111122223333:cluster-snapshot:newer" },
  { name: "rds, newer snapshot", variant: 1, database: "aws_db_instance", inputPath: ["snapshot_identifier"], newerValue: "arn:aws:rds:us-west-2:111122223333:snapshot:newer" },
  {
    name: "rds point-in-time latest, other replicated backups",
    variant: 2,
    database: "aws_db_instance",
    inputPath: ["restore_to_point_in_time", "source_db_instance_automated_backups_arn"],
    newerValue: "arn:aws:rds:us-west-2:111122223333:auto-backup:ab-other",
  },
  { name: "rds point-in-time, a later time", variant: 3, database: "aws_db_instance", inputPath: ["restore_to_point_in_time", "restore_time"], newerValue: "2026-11-22T09:45:00Z" },
];

describe("a second terraform run that names a newer restore source (mocked aws provider, apply then plan)", () => {
  if (skipWithoutTerraform("test/aws/terraform.test.ts (re-run of recovery-aws with terraform test and a mocked provider)")) {
    it.skip("needs Terraform and the aws provider mirror", () => undefined);
    return;
  }
  const synthesized = new Map<number, string>();
  let pluginDir = "";
  beforeAll(async () => {
    pluginDir = (await findPluginDir()) ?? "";
  });
  afterAll(() => {
    for (const dir of synthesized.values()) rmSync(dir, { recursive: true, force: true });
  });
  const stackDirFor = (variant: number): string => {
    const existing = synthesized.get(variant);
    if (existing) return join(existing, "stacks", "recovery-aws");
    const outdir = mkdtempSync(join(tmpdir(), "medplum-dr-tf-rerun-"));
    buildRecoveryApp(onlyAws(exampleConfig(VARIANTS[variant]!.overrides)), outdir).app.synth();
    synthesized.set(variant, outdir);
    return join(outdir, "stacks", "recovery-aws");
  };

  it.each(RERUNS)("$name: never changes the recovered database, and teardown is refused while it is protected", async ({ variant, database, inputPath, newerValue }) => {
    const result = await rerunWithNewerRestoreSource({ stackDir: stackDirFor(variant), pluginDir, database, inputPath, newerValue, fakeRedisToken: FAKE_REDIS_TOKEN });
    expect(result.runStatuses).toEqual({ restore: "pass", rerun: "pass" });
    expect(result.rerunChanges).toEqual([]);
    // deletionProtection is on in these configs: Terraform refuses the test's own teardown of the database.
    expect(result.errors).toEqual(["Instance cannot be destroyed"]);
  }, 600_000);

  it("control: without ignore_changes the same rerun would change the database", async () => {
    const result = await rerunWithNewerRestoreSource({
      stackDir: stackDirFor(0),
      pluginDir,
      database: "aws_rds_cluster",
      inputPath: ["snapshot_identifier"],
      newerValue: "arn:aws:rds:us-west-2:111122223333:cluster-snapshot:newer",
      fakeRedisToken: FAKE_REDIS_TOKEN,
      withoutIgnoreChanges: true,
    });
    expect(result.rerunChanges).toEqual([{ address: expect.stringMatching(/^aws_rds_cluster\./), actions: ["update"] }]);
  }, 600_000);
});
