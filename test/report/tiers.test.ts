/**
 * The DR tier table (report/tiers.ts): the cost arithmetic on small inputs against the price table, each tier's RTO on a
 * five-resource recovery, the RPO each tier rests on, and the budget in the gate.
 */
import { CLOUD_SQL_ENTERPRISE_HOUR, FLEXIBLE_SERVER_GP_VCORE_HOUR, HOURS_PER_MONTH, PRICE_TABLES } from "../../facts/prices";
import { estimateFor } from "../../report/estimates";
import { gateStack } from "../../report/gate";
import { buildDependencyGraph } from "../../report/graph";
import { modelRto } from "../../report/rto";
import { impliedRpo } from "../../report/rpo";
import { buildStackReport } from "../../report/stack-report";
import { pricedSizes, PROMOTION_MINUTES, standbyFacts, standbyRpo, tierCost, tierRpo, tierRtoMinutes } from "../../report/tiers";
import { tierConfig } from "../standby/azure/helpers";
import { gcpStandbyConfig } from "../standby/gcp/helpers";
import { exampleConfig, FIXTURE_STACK, fixtureStackJson } from "./helpers";

const INPUTS = { databaseGiB: 10, binariesGiB: 20, dailyChangeGiB: 1 };
const SERVERS = { count: 3, vcpu: 1, memoryGiB: 2 };
const NOW = new Date("2026-11-23T12:00:00Z");

describe("tierCost", () => {
  const p = PRICE_TABLES.aws.prices;
  const monthly = (tier: Parameters<typeof tierCost>[1]) => tierCost("aws", tier, INPUTS, SERVERS);

  it("prices backup-restore as recovery points, the binaries replica and a month of daily change across regions", () => {
    const expected = p.backupStorageGiBMonth.usd * 10 + p.objectStorageGiBMonth.usd * 20 + p.crossRegionTransferGiB.usd * 1 * (HOURS_PER_MONTH / 24);
    expect(monthly("backup-restore").monthlyUsd).toBeCloseTo(expected, 2);
    expect(monthly("backup-restore").monthly.map((line) => line.item)).toEqual(["backupStorageGiBMonth", "objectStorageGiBMonth", "crossRegionTransferGiB"]);
  });

  it("adds 730 hours of a NAT gateway and a load balancer for pilot-light (an ECS cluster costs nothing of its own)", () => {
    const extra = monthly("pilot-light").monthlyUsd - monthly("backup-restore").monthlyUsd;
    expect(extra).toBeCloseTo(HOURS_PER_MONTH * (p.natGatewayHour.usd + p.loadBalancerHour.usd), 1);
    expect(monthly("pilot-light").monthly.map((line) => line.item)).not.toContain("clusterHour");
  });

  it("adds a replica, its storage, the cache and one server for warm-standby", () => {
    const extra = monthly("warm-standby").monthlyUsd - monthly("pilot-light").monthlyUsd;
    const server = p.serverVcpuHour.usd * 1 + p.serverGiBHour.usd * 2;
    expect(extra).toBeCloseTo(HOURS_PER_MONTH * (p.databaseInstanceHour.usd + p.cacheHour.usd + server) + p.databaseStorageGiBMonth.usd * 10, 1);
  });

  it("prices a drill hour as what the tier does not keep running", () => {
    const server = p.serverVcpuHour.usd * 1 + p.serverGiBHour.usd * 2;
    const database = p.databaseInstanceHour.usd + (p.databaseStorageGiBMonth.usd * 10) / HOURS_PER_MONTH;
    expect(monthly("backup-restore").drillUsdPerHour).toBeCloseTo(database + p.cacheHour.usd + p.natGatewayHour.usd + p.loadBalancerHour.usd + 3 * server, 2);
    expect(monthly("pilot-light").drillUsdPerHour).toBeCloseTo(database + p.cacheHour.usd + 3 * server, 2);
    expect(monthly("warm-standby").drillUsdPerHour).toBeCloseTo(database + 2 * server, 2);
  });

  it("charges the cluster fee where the cloud has one (GKE), and scales with the inputs", () => {
    const g = PRICE_TABLES.gcp.prices;
    const light = tierCost("gcp", "pilot-light", INPUTS, SERVERS).monthlyUsd - tierCost("gcp", "backup-restore", INPUTS, SERVERS).monthlyUsd;
    expect(light).toBeCloseTo(HOURS_PER_MONTH * (g.natGatewayHour.usd + g.loadBalancerHour.usd + g.clusterHour.usd), 1);
    const doubled = tierCost("gcp", "backup-restore", { databaseGiB: 20, binariesGiB: 40, dailyChangeGiB: 2 }, SERVERS).monthlyUsd;
    expect(doubled).toBeCloseTo(2 * tierCost("gcp", "backup-restore", INPUTS, SERVERS).monthlyUsd, 1);
  });
});

describe("pricedSizes", () => {
  const config = exampleConfig();

  it("prices a Cloud SQL db-custom tier and a Flexible Server GP SKU from the vendors' per-vCPU rates", () => {
    const gcp = config.targets.gcp!.database.tier;
    const [, vcpu, mib] = /^db-custom-(\d+)-(\d+)$/.exec(gcp)!.map(Number);
    expect(pricedSizes("gcp", config).overrides.databaseInstanceHour).toBeCloseTo(
      vcpu! * CLOUD_SQL_ENTERPRISE_HOUR.vcpu + (mib! / 1024) * CLOUD_SQL_ENTERPRISE_HOUR.gib,
      4,
    );
    const vcores = Number(/^GP_Standard_D(\d+)ds_v5$/.exec(config.targets.azure!.database.skuName)![1]);
    expect(pricedSizes("azure", config).overrides.databaseInstanceHour).toBeCloseTo(vcores * FLEXIBLE_SERVER_GP_VCORE_HOUR, 4);
  });

  it("uses the override in the tier's lines, and says where it kept the table's size", () => {
    const { overrides, notes } = pricedSizes("gcp", config);
    const sized = tierCost("gcp", "warm-standby", INPUTS, SERVERS, overrides).monthlyUsd - tierCost("gcp", "warm-standby", INPUTS, SERVERS).monthlyUsd;
    expect(sized).toBeCloseTo(HOURS_PER_MONTH * (overrides.databaseInstanceHour! - PRICE_TABLES.gcp.prices.databaseInstanceHour.usd), 1);
    expect(notes).toContainEqual(expect.stringMatching(/^cache priced as BASIC 1 GiB, the config's targets\.gcp\.cache is /));
    const aws = structuredClone(config);
    aws.targets.aws!.database.instanceClass = "db.r6g.2xlarge";
    expect(pricedSizes("aws", aws).notes).toEqual([
      "database priced as db.r6g.large, the config's targets.aws.database.instanceClass is db.r6g.2xlarge: scale that line by its price",
    ]);
  });
});

describe("tierRtoMinutes", () => {
  const meta = (path: string) => ({ "//": { metadata: { path: `recovery-aws/${path}` } } });
  const json = {
    resource: {
      aws_vpc: { network_vpc: { ...meta("network/vpc"), cidr_block: "10.0.0.0/16" } },
      aws_rds_cluster: { database_cluster: { ...meta("database/cluster"), snapshot_identifier: "snap", vpc_id: "${aws_vpc.network_vpc.id}" } },
      aws_lb: { application_lb: { ...meta("application/lb"), subnets: ["${aws_vpc.network_vpc.id}"] } },
      aws_ecs_service: {
        application_service: {
          ...meta("application/service"),
          wait_for_steady_state: true,
          depends_on: ["aws_rds_cluster.database_cluster", "aws_lb.application_lb"],
        },
      },
      aws_route53_record: {
        traffic_api: {
          ...meta("traffic/api"),
          type: "A",
          alias: { name: "${aws_lb.application_lb.dns_name}" },
          depends_on: ["aws_ecs_service.application_service"],
        },
      },
    },
  };
  const graph = buildDependencyGraph(json as never, "recovery-aws");
  const { dnsTails, minutes } = modelRto(graph);
  const typical = (type: string, body: object = {}) => estimateFor(type, body as never).typical;
  const after = typical("aws_ecs_service", { wait_for_steady_state: true }) + typical("aws_route53_record") + (dnsTails[0]?.totalSeconds ?? 0) / 60;

  it("is the recovery's own model for backup-restore", () => {
    expect(tierRtoMinutes(graph, dnsTails, "backup-restore")).toEqual(minutes);
  });

  it("drops the standing network and load balancer for pilot-light, leaving the restore on the path", () => {
    expect(tierRtoMinutes(graph, dnsTails, "pilot-light").typical).toBeCloseTo(typical("aws_rds_cluster", { snapshot_identifier: "snap" }) + after, 5);
  });

  it("promotes the replica instead of restoring for warm-standby", () => {
    expect(tierRtoMinutes(graph, dnsTails, "warm-standby").typical).toBeCloseTo(PROMOTION_MINUTES.typical + after, 5);
    expect(tierRtoMinutes(graph, dnsTails, "warm-standby").high).toBeLessThan(minutes.high);
  });
});

describe("tierRpo", () => {
  const unknown = impliedRpo({ mode: "snapshot" }, "aws", NOW);

  it("is the copy schedule for backup-restore and pilot-light, the replica's lag class for warm-standby", () => {
    const facts = { tier: "backup-restore" as const, from: "test", intervalMinutes: 60, continuousBackup: false };
    expect(tierRpo("backup-restore", "aws", facts, unknown)).toMatchObject({
      minutes: 60,
      basis: expect.stringContaining("copy schedule: a recovery point every 60 min"),
    });
    expect(tierRpo("pilot-light", "aws", facts, unknown).minutes).toBe(60);
    expect(tierRpo("warm-standby", "aws", facts, unknown).minutes).toBe(1);
    expect(tierRpo("warm-standby", "azure", facts, unknown).minutes).toBe(5);
  });

  it("is point-in-time where the standby replicates automated backups, the dump interval on Kubernetes", () => {
    expect(tierRpo("backup-restore", "aws", { from: "test", intervalMinutes: 60, continuousBackup: true }, unknown).minutes).toBe(5);
    expect(tierRpo("backup-restore", "kubernetes", { from: "test", intervalMinutes: 15, continuousBackup: false }, unknown).basis).toMatch(/^dump interval/);
  });

  it("falls back to the recovery's own RPO without a standby", () => {
    expect(tierRpo("backup-restore", "aws", { from: "no targets.aws.standby section", continuousBackup: false }, unknown)).toEqual({
      kind: "recovery",
      basis: expect.stringContaining("no standby schedule"),
    });
  });

  it("reads the chosen tier and the schedule from the standby stack's outputs", () => {
    const outputs = {
      output: {
        standby_tier: { value: "backup-restore" },
        recovery_point_interval_minutes: { value: "120" },
        continuous_backup: { value: "none" },
        database_replica: { value: "none" },
      },
    };
    expect(standbyFacts("aws", exampleConfig(), outputs, "standby-aws")).toEqual({
      tier: "backup-restore",
      from: "the standby-aws stack's outputs",
      intervalMinutes: 120,
      continuousBackup: false,
    });
  });
});

describe("standbyRpo: the standby as its outputs describe it", () => {
  /** A standby stack's outputs as StandbyStack writes them; a Terraform reference where the value is computed. */
  const outputs = (values: Record<string, string>) => ({ output: Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { value }])) });
  const facts = (cloud: Parameters<typeof standbyFacts>[0], values: Record<string, string>) =>
    standbyFacts(cloud, exampleConfig(), outputs(values), `standby-${cloud}`);
  const warm = { standby_tier: "warm-standby", recovery_point_interval_minutes: "60", continuous_backup: "none" };

  it("is the replica's lag class where database_replica names a replica, even one Terraform computes", () => {
    const aws = facts("aws", { ...warm, database_replica: "${aws_rds_cluster.standing_replica_cluster_0A1B2C3D.arn}" });
    expect(aws.databaseReplica).toBe("id known after apply");
    expect(standbyRpo("aws", aws)).toMatchObject({
      minutes: 1,
      kind: "replication-lag",
      basis: expect.stringMatching(/^replication lag of the live replica \(id known after apply\): AWS docs/),
    });
    expect(
      standbyRpo("azure", facts("azure", { ...warm, database_replica: "${azurerm_postgresql_flexible_server.standing_replica_server_0A1B2C3D.id}" })).minutes,
    ).toBe(5);
    const gcp = facts("gcp", { ...warm, recovery_point_interval_minutes: "1440", database_replica: "medplum-prod:medplum-replica" });
    expect(standbyRpo("gcp", gcp)).toMatchObject({ minutes: 1, basis: expect.stringContaining("(medplum-prod:medplum-replica): Google Cloud docs") });
  });

  it("is the schedule where database_replica is none, and the replica's lag stays out of the other tiers' rows", () => {
    const none = facts("aws", { ...warm, standby_tier: "backup-restore", database_replica: "none" });
    expect(none.databaseReplica).toBeUndefined();
    expect(standbyRpo("aws", none)).toMatchObject({ minutes: 60, kind: "schedule" });
    const replica = facts("aws", { ...warm, database_replica: "${aws_db_instance.standing_replica_instance_0A1B2C3D.arn}" });
    const recovery = impliedRpo({ mode: "snapshot" }, "aws", NOW);
    expect(tierRpo("backup-restore", "aws", replica, recovery)).toMatchObject({ minutes: 60, kind: "schedule" });
    expect(tierRpo("warm-standby", "aws", replica, recovery)).toEqual(standbyRpo("aws", replica));
  });

  it("is point-in-time where continuous_backup is a computed replication, geo-restore's hour on Azure", () => {
    const rds = facts("aws", {
      standby_tier: "backup-restore",
      recovery_point_interval_minutes: "1440",
      continuous_backup: "${aws_db_instance_automated_backups_replication.recoveryPoints_automatedBackups_0A1B2C3D.id}",
      database_replica: "none",
    });
    expect(standbyRpo("aws", rds)).toMatchObject({ minutes: 5, kind: "continuous" });
    const azure = facts("azure", {
      standby_tier: "backup-restore",
      recovery_point_interval_minutes: "60",
      continuous_backup: "/subscriptions/0000/resourceGroups/prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg",
      database_replica: "none",
    });
    expect(standbyRpo("azure", azure)).toMatchObject({
      minutes: 60,
      kind: "continuous",
      basis: expect.stringContaining("geo-restore from the primary's geo-redundant backup"),
    });
  });

  it("reads the tier, the replica and the geo-redundant backup from the config where the standby stack is not synthesized", () => {
    const gcp = standbyFacts("gcp", gcpStandbyConfig("warm-standby"));
    expect(gcp).toMatchObject({ tier: "warm-standby", from: "targets.gcp.standby (the standby stack is not synthesized)" });
    expect(standbyRpo("gcp", gcp)).toMatchObject({ minutes: 1, kind: "replication-lag" });
    expect(standbyFacts("gcp", gcpStandbyConfig("backup-restore")).databaseReplica).toBeUndefined();
    expect(standbyRpo("azure", standbyFacts("azure", tierConfig("backup-restore")))).toMatchObject({ minutes: 60, kind: "continuous" });
  });
});

describe("the tier table in a report, and the budget in the gate", () => {
  const standby = { name: "standby-aws", json: { output: { standby_tier: { value: "backup-restore" }, recovery_point_interval_minutes: { value: "60" } } } };
  const withBudget = (usd?: number) => {
    const config = exampleConfig();
    return { ...config, objectives: { ...config.objectives, ...(usd !== undefined ? { monthlyStandbyBudgetUsd: usd } : {}) } };
  };
  const report = (usd?: number) => buildStackReport({ stack: { name: FIXTURE_STACK, json: fixtureStackJson() }, config: withBudget(usd), now: NOW, standby });

  it("marks the tier the standby stack says it prepares, and prices all three", () => {
    const tiers = report().tiers!;
    expect(tiers.rows.map((row) => [row.tier, row.chosen])).toEqual([
      ["backup-restore", true],
      ["pilot-light", false],
      ["warm-standby", false],
    ]);
    expect(tiers.rows.every((row) => row.cost !== undefined && row.cost.monthlyUsd > 0)).toBe(true);
    expect(tiers.prices).toEqual({ region: "us-east-1", read: PRICE_TABLES.aws.read });
  });

  it("fails the gate when the chosen tier models above the budget, and passes within it", () => {
    const cost = report().tiers!.rows[0]!.cost!.monthlyUsd;
    const over = gateStack(report(Math.floor(cost) - 1));
    expect(over.passed).toBe(false);
    expect(over.lines.find((line) => line.includes("cost:"))).toMatch(
      /^FAIL cost: tier backup-restore models \$\d+\.\d\d a month of standby, more than objectives\.monthlyStandbyBudgetUsd/,
    );
    expect(gateStack(report(Math.ceil(cost) + 1)).lines.find((line) => line.includes("cost:"))).toMatch(/^ok {3}cost: tier backup-restore/);
    expect(gateStack(report()).lines.some((line) => line.includes("cost:"))).toBe(false);
  });

  it("does not check a budget where no tier is chosen", () => {
    // The example's aws target without its standby section: no tier chosen.
    const budgeted = withBudget(1);
    const { standby: _chosen, ...aws } = budgeted.targets.aws!;
    const none = buildStackReport({
      stack: { name: FIXTURE_STACK, json: fixtureStackJson() },
      config: { ...budgeted, targets: { ...budgeted.targets, aws } },
      now: NOW,
    });
    expect(gateStack(none).lines.find((line) => line.includes("cost:"))).toMatch(/^ok {3}cost: no DR tier chosen \(no targets\.aws\.standby section\)/);
  });
});
