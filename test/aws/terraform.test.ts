/**
 * Real Terraform on the synthesized `recovery-aws` stack, one run per restore mode plus the cheap network and routing
 * variants: `terraform init` from the offline provider mirror and a plan with fake credentials through `terraform test`
 * (report/terraform-plan.ts, planStacksOffline: one run block per variant, and `terraform test` validates each run's
 * configuration before planning it). Then the human-readable plans are printed once more to prove no secret value is
 * ever shown. Without Terraform this skips loudly, and fails in CI.
 *
 * Every Terraform process loads the aws provider's schema (~3 s of CPU), so the variants share processes: one init and
 * one `terraform test` for all plans, one more for their text, and one init and one test for all re-runs; the plans and
 * the re-runs go on side by side (two processes, one per core). Each variant is synthesized once for both.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findPluginDir, planStacksOffline, type PlanStackResult } from "../../report/terraform-plan";
import { buildRecoveryApp } from "../../stacks/app";
import { MEDPLUM_VARIABLES } from "../../modules/medplum/server-environment";
import { skipWithoutTerraform } from "../report/terraform-helpers";
import { onlyAws } from "./helpers";
import { planPromotionOffline } from "./terraform-promotion";
import { rerunsWithNewerRestoreSource, terraform, type RerunResult } from "./terraform-rerun";
import { exampleConfig, NAMED_SNAPSHOT_RESTORE, type ConfigOverrides, RDS_SNAPSHOT_RESTORE, RDS } from "../support/config";
import { standbyConfig } from "../standby/helpers";
import type { RecoveryConfig } from "../../config/schema";

/** Visibly fake; a real token is 16-128 characters, so is this one. */
const FAKE_REDIS_TOKEN = "fake-token-for-offline-plan-0000";

/** What the offline plan's AWS Backup copy lookup returns (restore.source standby); a real one is read at plan time. */
const NEWEST_POINT = {
  db_cluster_snapshot_arn: "arn:aws:rds:us-west-2:111122223333:cluster-snapshot:awsbackup:copyjob-0000aaaa-0000-4000-8000-000000000001",
  status: "available",
  snapshot_create_time: "2026-12-01T03:00:00Z",
};
/** The offline plan's value for every data source of the stack whose type `values` names. */
function overridesByType(stack: { data?: Record<string, Record<string, unknown>> }, values: Readonly<Record<string, Readonly<Record<string, unknown>>>>) {
  const overrides: Record<string, Readonly<Record<string, unknown>>> = {};
  for (const [type, byName] of Object.entries(stack.data ?? {}))
    for (const name of Object.keys(byName)) if (values[type] !== undefined) overrides[`data.${type}.${name}`] = values[type]!;
  return overrides;
}
const ARN = (service: string, resource: string) => `arn:aws:${service}:us-west-2:111122223333:${resource}`;
/** What standby-aws's standing resources (pilot-light) or a team's own load balancer look like to the plan-time reads. */
const LOAD_BALANCER_DATA = {
  aws_lb: {
    arn: ARN("elasticloadbalancing", "loadbalancer/app/medplum-dr-alb/50dc6c495c0c9188"),
    arn_suffix: "app/medplum-dr-alb/50dc6c495c0c9188",
    load_balancer_type: "application",
    dns_name: "medplum-dr-alb-123456789.us-west-2.elb.amazonaws.com",
    zone_id: "Z1H1FL5HABSF5",
  },
  aws_lb_listener: { arn: ARN("elasticloadbalancing", "listener/app/medplum-dr-alb/50dc6c495c0c9188/f2f7dc8efc522ab2"), protocol: "HTTPS" },
  aws_lb_target_group: {
    arn: ARN("elasticloadbalancing", "targetgroup/medplum-dr-api/73e2d6bc24d8a067"),
    arn_suffix: "targetgroup/medplum-dr-api/73e2d6bc24d8a067",
    target_type: "ip",
    port: 8103,
    protocol: "HTTP",
    health_check: [
      {
        enabled: true,
        healthy_threshold: 2,
        interval: 30,
        matcher: "200",
        path: "/healthcheck",
        port: "traffic-port",
        protocol: "HTTP",
        timeout: 5,
        unhealthy_threshold: 5,
      },
    ],
  },
};
const PILOT_LIGHT_DATA = {
  ...LOAD_BALANCER_DATA,
  aws_vpc: { id: "vpc-0abc1234def567890" },
  aws_subnets: { ids: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"] },
  aws_security_group: { id: "sg-0123456789abcdef0" },
  aws_ecs_cluster: { arn: ARN("ecs", "cluster/medplum-dr"), cluster_name: "medplum-dr", status: "ACTIVE" },
  aws_cloudwatch_log_group: { arn: ARN("logs", "log-group:/medplum/medplum-dr/server"), name: "/medplum/medplum-dr/server" },
};
/** The Redis standby-aws keeps standing in warm-standby, as its read returns it; the postcondition wants AUTH, an endpoint and port 6379. */
const WARM_CACHE = {
  replication_group_id: "medplum-dr-redis",
  primary_endpoint_address: "master.medplum-dr-redis.abc123.usw2.cache.amazonaws.com",
  port: 6379,
  auth_token_enabled: true,
};
const FROM_STANDBY = { mode: "snapshot", source: "standby", snapshotIdentifier: null, snapshotTakenAt: null };
/** The example with its standby section in the pilot-light tier (read as a string, whatever this branch's schema accepts). */
function pilotLight(): RecoveryConfig {
  const base = standbyConfig({}, { targets: { aws: { database: { restore: FROM_STANDBY } } } });
  const aws = base.targets.aws!;
  return { ...base, targets: { aws: { ...aws, standby: { ...aws.standby!, tier: "pilot-light" as never } } } };
}

const VARIANTS: ReadonlyArray<{
  name: string;
  overrides: ConfigOverrides;
  database: string;
  config?: () => RecoveryConfig;
  /** What each data source of these types returns in the offline plan, beyond the Redis token. */
  data?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}> = [
  // The example restores standby-aws's newest copy (the restore.source standby variant below); these name a snapshot.
  {
    name: "aurora from a named cluster snapshot",
    overrides: { targets: { aws: { database: { restore: NAMED_SNAPSHOT_RESTORE } } } },
    database: "aws_rds_cluster",
  },
  {
    name: "rds from a snapshot",
    overrides: {
      targets: {
        aws: {
          database: {
            ...RDS,
            restore: RDS_SNAPSHOT_RESTORE,
          },
        },
      },
    },
    database: "aws_db_instance",
  },
  {
    name: "rds to the latest restorable time from replicated backups",
    overrides: {
      targets: {
        aws: {
          database: {
            ...RDS,
            restore: { mode: "point-in-time", automatedBackupsArn: "arn:aws:rds:us-west-2:111122223333:auto-backup:ab-example", time: "latest" },
          },
        },
      },
    },
    database: "aws_db_instance",
  },
  {
    name: "rds to a given time from replicated backups",
    overrides: {
      targets: {
        aws: {
          database: {
            ...RDS,
            restore: { mode: "point-in-time", automatedBackupsArn: "arn:aws:rds:us-west-2:111122223333:auto-backup:ab-example", time: "2026-11-22T08:30:00Z" },
          },
        },
      },
    },
    database: "aws_db_instance",
  },
  {
    name: "an existing VPC and a new bucket",
    overrides: {
      targets: {
        aws: {
          database: { restore: NAMED_SNAPSHOT_RESTORE },
          network: {
            mode: "existing",
            vpcId: "vpc-0abc1234",
            publicSubnetIds: ["subnet-0a1000a1", "subnet-0b1000b1"],
            privateSubnetIds: ["subnet-0a2000a2", "subnet-0b2000b2"],
          },
          storage: { mode: "new", bucketName: "medplum-dr-drill-binaries" },
        },
      },
    },
    database: "aws_rds_cluster",
  },
  {
    name: "failover routing with one NAT gateway",
    overrides: {
      targets: { aws: { database: { restore: NAMED_SNAPSHOT_RESTORE }, dns: { routing: { mode: "failover" } }, network: { natGatewayPerZone: false } } },
    },
    database: "aws_rds_cluster",
  },
  {
    name: "aurora from the newest recovery point standby-aws keeps (restore.source standby)",
    overrides: {},
    config: () => standbyConfig({}, { targets: { aws: { database: { restore: FROM_STANDBY } } } }),
    database: "aws_rds_cluster",
    data: { aws_db_cluster_snapshot: NEWEST_POINT },
  },
  {
    name: "pilot-light: adopts what standby-aws keeps standing, restores its newest recovery point",
    overrides: {},
    config: pilotLight,
    database: "aws_rds_cluster",
    data: { ...PILOT_LIGHT_DATA, aws_db_cluster_snapshot: NEWEST_POINT },
  },
  {
    name: "a team's own Redis and load balancer",
    overrides: {
      targets: {
        aws: {
          database: { restore: NAMED_SNAPSHOT_RESTORE },
          cache: {
            mode: "existing",
            host: "master.platform-redis.abc123.usw2.cache.amazonaws.com",
            authTokenSecretArn: "arn:aws:secretsmanager:us-west-2:111122223333:secret:platform/redis-AbCdEf",
            reachableAt: { securityGroupId: "sg-0123456789abcdef0" },
          },
          loadBalancer: { mode: "existing", loadBalancer: "platform-edge", targetGroup: "medplum-api", securityGroupId: "sg-0fedcba9876543210" },
          tls: null,
        },
      },
    },
    database: "aws_rds_cluster",
    data: LOAD_BALANCER_DATA,
  },
];
const STANDBY_VARIANT = VARIANTS.findIndex((variant) => variant.name.includes("(restore.source standby)"));

const RERUNS: ReadonlyArray<{ name: string; variant: number; database: "aws_rds_cluster" | "aws_db_instance"; inputPath: string[]; newerValue: string }> = [
  {
    name: "aurora, newer cluster snapshot",
    variant: 0,
    database: "aws_rds_cluster",
    inputPath: ["snapshot_identifier"],
    newerValue: "arn:aws:rds:us-west-2:111122223333:cluster-snapshot:newer",
  },
  {
    name: "rds, newer snapshot",
    variant: 1,
    database: "aws_db_instance",
    inputPath: ["snapshot_identifier"],
    newerValue: "arn:aws:rds:us-west-2:111122223333:snapshot:newer",
  },
  {
    name: "rds point-in-time latest, other replicated backups",
    variant: 2,
    database: "aws_db_instance",
    inputPath: ["restore_to_point_in_time", "source_db_instance_automated_backups_arn"],
    newerValue: "arn:aws:rds:us-west-2:111122223333:auto-backup:ab-other",
  },
  {
    name: "rds point-in-time, a later time",
    variant: 3,
    database: "aws_db_instance",
    inputPath: ["restore_to_point_in_time", "restore_time"],
    newerValue: "2026-11-22T09:45:00Z",
  },
  // The next plan finds a newer AWS Backup copy: the lookup's answer changes, as it would the hour after the restore.
  {
    name: "aurora from standby's newest recovery point, a newer one found on the next run",
    variant: STANDBY_VARIANT,
    database: "aws_rds_cluster",
    inputPath: ["snapshot_identifier"],
    newerValue: "",
  },
];
/** Without ignore_changes the same rerun as RERUNS[0] would change the database. */
const CONTROL = { ...RERUNS[0]!, withoutIgnoreChanges: true };
/** Without ignore_changes a newer recovery point found by the lookup would change the database: the lookup's answer reaches it. */
const STANDBY_CONTROL = { ...RERUNS[RERUNS.length - 1]!, withoutIgnoreChanges: true };

interface Planned {
  readonly results: readonly PlanStackResult[];
  readonly secretSources: ReadonlyArray<string | undefined>;
  /** Exit code of the text run, and its output per run block. */
  readonly shownCode: number;
  readonly shown: ReadonlyMap<string, string>;
}

/** Splits `terraform test -verbose` text output at its `  run "<name>"... <status>` lines. */
function textPerRun(stdout: string): Map<string, string> {
  const parts = stdout.split(/^ {2}run "([^"]+)"\.\.\. /m);
  const byRun = new Map<string, string>();
  for (let index = 1; index < parts.length; index += 2) byRun.set(parts[index]!, parts[index + 1]!);
  return byRun;
}

const skip = skipWithoutTerraform("test/aws/terraform.test.ts (terraform init/plan and re-runs of recovery-aws)");
let planned: Promise<Planned>;
/** Per variant, the addresses of the recovery-point lookups it makes (restore.source standby). */
let lookups: string[][] = [];
let reruns: Promise<RerunResult[]>;
const outdirs: string[] = [];
const started = Date.now();

if (!skip) {
  beforeAll(async () => {
    // Both describes use these; starting the Terraform work here lets the plans and the re-runs overlap.
    const stackDirs = VARIANTS.map(({ overrides, config }) => {
      const outdir = mkdtempSync(join(tmpdir(), "medplum-dr-tf-"));
      outdirs.push(outdir);
      buildRecoveryApp(onlyAws(config?.() ?? exampleConfig(overrides)), outdir).app.synth();
      return join(outdir, "stacks", "recovery-aws");
    });
    const stackData = stackDirs.map((dir) => JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")).data);
    // A team's own Redis needs no token at plan time: no secret is read then.
    const secretSources = stackData.map((data) => Object.keys(data.aws_secretsmanager_secret_version ?? {})[0]);
    lookups = VARIANTS.map(({ data }, index) =>
      Object.keys(data ?? {}).flatMap((type) => Object.keys(stackData[index][type] ?? {}).map((id) => `data.${type}.${id}`)),
    );
    const pluginDir = (await findPluginDir()) ?? "";
    planned = (async () => {
      const results = await planStacksOffline(
        stackDirs.map((directory, index) => ({
          directory,
          dataOverrides: {
            ...(secretSources[index] !== undefined
              ? { [`data.aws_secretsmanager_secret_version.${secretSources[index]}`]: { secret_string: FAKE_REDIS_TOKEN } }
              : {}),
            ...Object.fromEntries(lookups[index]!.map((address) => [address, VARIANTS[index]!.data![address.split(".")[1]!]!])),
          },
        })),
        { pluginDir, keepWorkDir: true },
      );
      try {
        // The human-readable plans, as an operator would see them in a CI log.
        const shown = await terraform(["test", "-verbose", "-no-color"], results[0]!.workDir!, { ...process.env, TF_IN_AUTOMATION: "1" });
        return { results, secretSources, shownCode: shown.code, shown: textPerRun(shown.stdout) };
      } finally {
        rmSync(results[0]!.workDir!, { recursive: true, force: true });
      }
    })();
    const newer = {
      ...NEWEST_POINT,
      db_cluster_snapshot_arn: NEWEST_POINT.db_cluster_snapshot_arn.replace(/1$/, "2"),
      snapshot_create_time: "2026-12-01T04:00:00Z",
    };
    reruns = rerunsWithNewerRestoreSource(
      [...RERUNS, CONTROL, STANDBY_CONTROL].map(({ variant, ...rerun }) => ({
        ...rerun,
        stackDir: stackDirs[variant]!,
        ...(variant === STANDBY_VARIANT ? { fromData: { address: lookups[variant]![0]!, values: NEWEST_POINT, newerValues: newer } } : {}),
      })),
      { pluginDir, fakeRedisToken: FAKE_REDIS_TOKEN },
    );
    // A failure is reported by the tests that await these, not as an unhandled rejection.
    planned.catch(() => undefined);
    reruns.catch(() => undefined);
  }, 600_000);

  afterAll(async () => {
    await Promise.allSettled([planned, reruns]);
    for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
    console.log(`terraform init + plan of ${VARIANTS.length} variants and ${RERUNS.length + 2} re-runs took ${Math.round((Date.now() - started) / 1000)} s`);
  }, 600_000);
}

describe("an offline plan of the recovery-aws stack", () => {
  if (skip) {
    it.skip("needs Terraform and the aws provider mirror", () => undefined);
    return;
  }

  it.each(VARIANTS.map((variant, index) => ({ ...variant, index })))(
    "$name: validates, plans the restore, and prints no secret",
    async ({ database, index }) => {
      const { results, secretSources, shownCode, shown } = await planned;
      const result = results[index]!;
      expect(result.validate).toMatchObject({ valid: true, errorCount: 0 });
      expect(result.summary.changes.filter((change) => change.type === database).map((change) => change.action)).toEqual(["create"]);
      expect(result.summary).toMatchObject({ change: 0, destroy: 0 });
      // Only the Redis token (for ElastiCache) and the reads the variant chose (recovery point, standing or own resources) are made at plan time.
      const secret = secretSources[index] === undefined ? [] : [`data.aws_secretsmanager_secret_version.${secretSources[index]}`];
      expect([...result.overriddenData].sort()).toEqual([...secret, ...lookups[index]!].sort());

      expect(shownCode).toBe(0);
      const text = shown.get(result.testRun!) ?? "";
      expect(text).toMatch(/^pass\n/);
      expect(text).toContain("Plan:");
      expect(text).not.toContain(FAKE_REDIS_TOKEN);
      if (secretSources[index] !== undefined) expect(text).toMatch(/auth_token\s+= \(sensitive value\)/);
      // No attribute named like a password carries a literal value; only flags such as manage_master_user_password = true.
      expect(text).not.toMatch(/password\w*\s+= "/);
    },
    600_000,
  );
});

describe("a second terraform run that names a newer restore source (mocked aws provider, apply then plan)", () => {
  if (skip) {
    it.skip("needs Terraform and the aws provider mirror", () => undefined);
    return;
  }

  it.each(RERUNS.map((rerun, index) => ({ ...rerun, index })))(
    "$name: never changes the recovered database, and teardown is refused while it is protected",
    async ({ index }) => {
      const result = (await reruns)[index]!;
      expect(result.runStatuses).toEqual({ restore: "pass", rerun: "pass" });
      expect(result.rerunChanges).toEqual([]);
      // deletionProtection is on in these configs: Terraform refuses the test's own teardown of the database.
      expect(result.errors).toEqual(["Instance cannot be destroyed"]);
    },
    600_000,
  );

  it("control: without ignore_changes the same rerun would change the database", async () => {
    const result = (await reruns)[RERUNS.length]!;
    expect(result.rerunChanges).toEqual([{ address: expect.stringMatching(/^aws_rds_cluster\./), actions: ["update"] }]);
  }, 600_000);

  it("control: without ignore_changes a newer recovery point found by the lookup would change the database", async () => {
    const result = (await reruns)[RERUNS.length + 1]!;
    expect(result.rerunChanges).toEqual([{ address: expect.stringMatching(/^aws_rds_cluster\./), actions: ["update"] }]);
  }, 600_000);
});

describe("recovery-aws in the warm-standby tier, planned for real (restore mode replica-promotion)", () => {
  if (skip) {
    it.skip("needs Terraform and the aws provider mirror", () => undefined);
    return;
  }
  const KEY = "arn:aws:kms:us-west-2:111122223333:key/00000000-0000-4000-8000-00000000aaaa";

  it.each([
    {
      engine: "aurora",
      database: {},
      imported: ["aws_rds_cluster", "aws_rds_cluster_instance", "aws_rds_cluster_parameter_group"],
      created: ["aws_rds_cluster_instance"],
    },
    { engine: "rds", database: RDS, imported: ["aws_db_instance", "aws_db_parameter_group"], created: [] },
  ])(
    "$engine: validates with its import blocks, imports the standby's replica by its identifiers, and creates or destroys no database",
    async ({ database, imported, created }) => {
      const outdir = mkdtempSync(join(tmpdir(), "medplum-dr-tf-warm-"));
      outdirs.push(outdir);
      const config = standbyConfig({ tier: "warm-standby" }, { targets: { aws: { database } } });
      buildRecoveryApp(onlyAws(config), outdir).app.synth();
      const directory = join(outdir, "stacks", "recovery-aws");
      const stack = JSON.parse(readFileSync(join(directory, "cdk.tf.json"), "utf8"));
      const dataOverrides = overridesByType(stack, {
        ...PILOT_LIGHT_DATA,
        aws_kms_alias: { target_key_arn: KEY },
        aws_elasticache_replication_group: WARM_CACHE,
      });
      const imports = stack.import as Array<{ id: string; to: string }>;
      const result = await planPromotionOffline(directory, {
        pluginDir: (await findPluginDir()) ?? "",
        dataOverrides,
        imported: Object.fromEntries(imports.map(({ to }) => [to, {}])),
      });
      expect(result.errors).toEqual([]);
      expect(result.code).toBe(0);
      const changes = result.plan!.resource_changes ?? [];
      const importing = changes.filter((change) => change.change.importing !== undefined);
      expect(importing.map((change) => [change.address, change.change.importing!.id]).sort()).toEqual(imports.map(({ id, to }) => [to, id]).sort());
      expect([...new Set(importing.map((change) => change.type))].sort()).toEqual([...imported].sort());
      // An imported resource is adopted in place: never created anew, never replaced or destroyed.
      for (const change of importing)
        expect([change.address, change.change.actions.includes("create") || change.change.actions.includes("delete")]).toEqual([change.address, false]);
      const databaseTypes = ["aws_rds_cluster", "aws_db_instance", "aws_rds_cluster_instance"];
      const databaseCreates = changes.filter((change) => databaseTypes.includes(change.type) && change.change.actions.includes("create"));
      expect(databaseCreates.map((change) => change.type)).toEqual(created);
      expect(changes.filter((change) => change.change.actions.includes("delete"))).toEqual([]);
      // The cache is standby-aws's: nothing of ElastiCache is planned, and the servers get the standing group's endpoint.
      expect(changes.filter((change) => change.type.startsWith("aws_elasticache_")).map((change) => change.address)).toEqual([]);
      const taskDefinition = changes.find((change) => change.type === "aws_ecs_task_definition")!;
      const container = JSON.parse(String((taskDefinition.change as { after?: Record<string, unknown> }).after?.container_definitions))[0];
      expect(container.environment).toContainEqual({ name: MEDPLUM_VARIABLES.redisHost, value: WARM_CACHE.primary_endpoint_address });
    },
    600_000,
  );

  it("fails the plan naming the standing cache when standby-aws has not built it as the recovery needs", async () => {
    const outdir = mkdtempSync(join(tmpdir(), "medplum-dr-tf-warm-"));
    outdirs.push(outdir);
    buildRecoveryApp(onlyAws(standbyConfig({ tier: "warm-standby" })), outdir).app.synth();
    const directory = join(outdir, "stacks", "recovery-aws");
    const stack = JSON.parse(readFileSync(join(directory, "cdk.tf.json"), "utf8"));
    const dataOverrides = overridesByType(stack, {
      ...PILOT_LIGHT_DATA,
      aws_kms_alias: { target_key_arn: KEY },
      // A group of that name without AUTH: the servers' password would be refused.
      aws_elasticache_replication_group: { ...WARM_CACHE, auth_token_enabled: false },
    });
    const imports = stack.import as Array<{ id: string; to: string }>;
    const result = await planPromotionOffline(directory, {
      pluginDir: (await findPluginDir()) ?? "",
      dataOverrides,
      imported: Object.fromEntries(imports.map(({ to }) => [to, {}])),
    });
    expect(result.code).not.toBe(0);
    expect(result.errors.join("\n")).toMatch(/the standing ElastiCache replication group medplum-dr-redis has no AUTH token.*apply standby-aws/s);
  }, 600_000);
});
