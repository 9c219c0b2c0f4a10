/**
 * The DR tiers side by side, per target: what the recovery would take (modeled RTO), lose (RPO) and cost (monthly
 * standby, and a drill per hour) in each tier, so a team chooses a tier in one look. Every figure is a model:
 * creation-time estimates (report/estimates.ts) along the recovery's own dependency graph, and the list prices of
 * facts/prices.ts (docs/cost.md), priced for the sizes in `costInputs`.
 *
 * A tier's RTO is the recovery's critical path without what that tier's standby already built: pilot-light stands the
 * network, the cluster, the load balancer, the roles, the log groups and the certificate; warm-standby also a live
 * database replica (the recovery promotes it: PROMOTION_MINUTES instead of a restore) and the cache.
 */
import type { CostInputs, KubernetesStandbyConfig, RecoveryConfig } from "../config/schema";
import { CLOUD_SQL_ENTERPRISE_HOUR, FLEXIBLE_SERVER_GP_VCORE_HOUR, HOURS_PER_MONTH, PRICE_TABLES, type PriceItem, type PricedCloud } from "../facts/prices";
import { describeDestination } from "../modules/kubernetes/dump-folder";
import { keepsStandingInfrastructure, STANDBY_TIERS, type StandbyTier } from "../modules/standby-contracts";
import { criticalPath, type WeightedNode } from "./critical-path";
import { estimateFor, type EstimateScenario } from "./estimates";
import type { DependencyGraph, GraphNode } from "./graph";
import type { RestoreMode } from "../modules/contracts";
import { formatMinutes, rpoEntry, type ImpliedRpo, type TargetCloud } from "./rpo";
import { implicitDependencies, type DnsTail } from "./rto";
import { literalOutput, type TerraformJson } from "./stack-json";

/** Promoting a live replica to a standalone writer: minutes, not a restore (judgement, docs/estimates.md#dr-tiers). */
export const PROMOTION_MINUTES: Readonly<Record<EstimateScenario, number>> = { low: 2, typical: 5, high: 10 };

/** What pilot-light keeps standing beyond the network step: cluster, load balancer, roles, log groups, certificate. */
const PILOT_LIGHT_TYPES: ReadonlySet<string> = new Set([
  "aws_ecs_cluster",
  "aws_lb",
  "aws_lb_listener",
  "aws_lb_listener_rule",
  "aws_lb_target_group",
  "aws_security_group",
  "aws_security_group_rule",
  "aws_vpc_security_group_ingress_rule",
  "aws_vpc_security_group_egress_rule",
  "aws_iam_role",
  "aws_iam_role_policy",
  "aws_iam_role_policy_attachment",
  "aws_iam_policy",
  "aws_cloudwatch_log_group",
  "aws_acm_certificate",
  "aws_acm_certificate_validation",
  "google_container_cluster",
  "google_container_node_pool",
  "google_compute_global_address",
  "google_compute_managed_ssl_certificate",
  "google_certificate_manager_certificate",
  "google_certificate_manager_dns_authorization",
  "google_certificate_manager_certificate_map",
  "google_certificate_manager_certificate_map_entry",
  "google_service_account",
  "google_service_account_iam_member",
  "google_project_iam_member",
  "google_service_networking_connection",
  "azurerm_kubernetes_cluster",
  "azurerm_kubernetes_cluster_node_pool",
  "azurerm_user_assigned_identity",
  "azurerm_federated_identity_credential",
  "azurerm_role_assignment",
  "azurerm_log_analytics_workspace",
  "azurerm_private_dns_zone",
  "azurerm_private_dns_zone_virtual_network_link",
  "azurerm_public_ip",
]);

/** The resource a warm-standby recovery promotes instead of restoring; the rest of the database step stands. */
const DATABASE_TYPES: ReadonlySet<string> = new Set([
  "aws_rds_cluster",
  "aws_db_instance",
  "google_sql_database_instance",
  "azurerm_postgresql_flexible_server",
]);

/** How a tier's standby changes one block of the recovery: it stands already, or the recovery promotes it. */
export function tierRole(node: GraphNode, tier: StandbyTier): "stands" | "promoted" | "created" {
  if (tier === "backup-restore" || node.kind !== "resource") return "created";
  if (node.step === "network" || PILOT_LIGHT_TYPES.has(node.type)) return "stands";
  if (tier === "warm-standby") {
    if (node.step === "cache") return "stands";
    if (node.step === "database") return DATABASE_TYPES.has(node.type) ? "promoted" : "stands";
  }
  return "created";
}

export type ScenarioMinutes = Readonly<Record<EstimateScenario, number>>;

/**
 * The modeled RTO of the recovery in a tier: the same graph and DNS tails as the recovery's own model, with what the
 * tier stands weighted 0 and the promoted database weighted PROMOTION_MINUTES.
 */
export function tierRtoMinutes(graph: DependencyGraph, dnsTails: readonly DnsTail[], tier: StandbyTier): ScenarioMinutes {
  const implicit = implicitDependencies(graph);
  const traffic = graph.nodes.filter((node) => node.step === "traffic" && node.kind === "resource").map((node) => node.address);
  const tails: WeightedNode[] = dnsTails.map((tail) => ({
    id: `dns-tail:${tail.record}`,
    minutes: tail.totalSeconds / 60,
    dependsOn: graph.byAddress.has(tail.record) ? [tail.record] : traffic.length > 0 ? traffic : graph.nodes.map((node) => node.address),
  }));
  const weighted = (scenario: EstimateScenario): WeightedNode[] => [
    ...graph.nodes.map((node) => {
      const role = tierRole(node, tier);
      const minutes =
        node.kind !== "resource" || role === "stands" ? 0 : role === "promoted" ? PROMOTION_MINUTES[scenario] : estimateFor(node.type, node.body)[scenario];
      return { id: node.address, minutes, dependsOn: [...node.dependsOn, ...(implicit.get(node.address) ?? [])] };
    }),
    ...tails,
  ];
  return {
    low: criticalPath(weighted("low")).totalMinutes,
    typical: criticalPath(weighted("typical")).totalMinutes,
    high: criticalPath(weighted("high")).totalMinutes,
  };
}

export interface CostLine {
  readonly item: PriceItem;
  /** How many of the item's unit: hours, GiB-months or GiB. */
  readonly quantity: number;
  readonly usd: number;
  readonly what: string;
}

export interface TierCost {
  /** What the tier keeps running, stores and moves in a month of peacetime: the priced lines' sum. */
  readonly monthlyUsd: number;
  readonly monthly: readonly CostLine[];
  /**
   * What an hour of a drill of the recovery in this tier adds on top of the standby; undefined where a drill adds
   * nothing the model can price (Kubernetes: the team's own cluster), the reason then in the row's notModeled.
   */
  readonly drillUsdPerHour?: number;
  readonly drill: readonly CostLine[];
}

/** A cost the model leaves out of a tier's figures, and why: shown as "not modeled", never as a zero. */
export interface NotModeled {
  /** The figure it is missing from: the monthly standby cost or a drill's hour. */
  readonly part: "monthly" | "drill";
  readonly what: string;
  readonly reason: string;
}

export interface ServerSize {
  readonly count: number;
  readonly vcpu: number;
  readonly memoryGiB: number;
}

const cents = (usd: number) => Math.round(usd * 100) / 100;
/** Lines keep a hundredth of a cent, so the totals (in cents) are not sums of rounded lines. */
const fine = (usd: number) => Math.round(usd * 10_000) / 10_000;
const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

/** Prices that replace the table's where the config's size can be priced from the vendor's own rates. */
export type PriceOverrides = Partial<Readonly<Record<PriceItem, number>>>;

/** The priced lines of a tier on a cloud, for the given sizes. */
export function tierCost(cloud: PricedCloud, tier: StandbyTier, inputs: CostInputs, servers: ServerSize, overrides: PriceOverrides = {}): TierCost {
  const table = PRICE_TABLES[cloud].prices;
  const usdOf = (item: PriceItem) => overrides[item] ?? table[item].usd;
  const line = (item: PriceItem, quantity: number, what: string): CostLine => ({ item, quantity, usd: fine(usdOf(item) * quantity), what });
  const standing = keepsStandingInfrastructure(tier);
  const warm = tier === "warm-standby";
  const serverHour = (count: number): CostLine[] =>
    count <= 0
      ? []
      : [
          line("serverVcpuHour", count * servers.vcpu, `${count} server(s) x ${servers.vcpu} vCPU`),
          ...(usdOf("serverGiBHour") > 0 ? [line("serverGiBHour", count * servers.memoryGiB, `${count} server(s) x ${servers.memoryGiB} GiB`)] : []),
        ];
  const perMonth = (lines: CostLine[]) =>
    lines.map((entry) =>
      entry.item.endsWith("Hour")
        ? {
            ...entry,
            quantity: entry.quantity * HOURS_PER_MONTH,
            usd: fine(usdOf(entry.item) * entry.quantity * HOURS_PER_MONTH),
            what: `${entry.what}, ${HOURS_PER_MONTH} h`,
          }
        : entry,
    );

  const monthly: CostLine[] = [
    line("backupStorageGiBMonth", inputs.databaseGiB, `database recovery points in the recovery location (${inputs.databaseGiB} GiB)`),
    line("objectStorageGiBMonth", inputs.binariesGiB, `binaries replica (${inputs.binariesGiB} GiB)`),
    line(
      "crossRegionTransferGiB",
      fine(inputs.dailyChangeGiB * DAYS_PER_MONTH),
      `daily change copied across regions (${inputs.dailyChangeGiB} GiB a day x ${DAYS_PER_MONTH.toFixed(1)} days)`,
    ),
    ...perMonth(
      standing
        ? [
            line("natGatewayHour", 1, "NAT gateway"),
            line("loadBalancerHour", 1, "load balancer"),
            ...(usdOf("clusterHour") > 0 ? [line("clusterHour", 1, "cluster")] : []),
          ]
        : [],
    ),
    ...(warm
      ? [
          ...perMonth([line("databaseInstanceHour", 1, "database replica"), line("cacheHour", 1, "cache")]),
          line("databaseStorageGiBMonth", inputs.databaseGiB, `replica storage (${inputs.databaseGiB} GiB)`),
          ...perMonth(serverHour(1)),
        ]
      : []),
  ].filter((entry) => entry.usd > 0 || entry.quantity > 0);

  const database = [
    line("databaseInstanceHour", 1, warm ? "a database copy beside the live replica (a drill must not promote it)" : "restored database"),
    line("databaseStorageGiBMonth", fine(inputs.databaseGiB / HOURS_PER_MONTH), `its storage for an hour (${inputs.databaseGiB} GiB)`),
  ];
  const drill: CostLine[] = [
    ...database,
    ...(warm ? [] : [line("cacheHour", 1, "cache")]),
    ...(standing
      ? []
      : [
          line("natGatewayHour", 1, "NAT gateway"),
          line("loadBalancerHour", 1, "load balancer"),
          ...(usdOf("clusterHour") > 0 ? [line("clusterHour", 1, "cluster")] : []),
        ]),
    ...serverHour(warm ? servers.count - 1 : servers.count),
  ];
  const sum = (lines: readonly CostLine[]) => cents(lines.reduce((total, entry) => total + entry.usd, 0));
  return { monthlyUsd: sum(monthly), monthly, drillUsdPerHour: sum(drill), drill };
}

/**
 * Where the config's database or cache differs from the size the table prices: a database price from the vendor's
 * per-vCPU rates where its tier names them (Cloud SQL db-custom-N-M, Flexible Server GP D<N>ds_v5), and a note for the
 * reader where it does not (the line is then priced at the table's size).
 */
export function pricedSizes(cloud: PricedCloud, config: RecoveryConfig): { readonly overrides: PriceOverrides; readonly notes: readonly string[] } {
  const table = PRICE_TABLES[cloud].prices;
  const notes: string[] = [];
  const overrides: Record<string, number> = {};
  const differs = (what: string, configured: string, field: string, item: PriceItem) => {
    if (configured !== table[item].size)
      notes.push(`${what} priced as ${table[item].size}, the config's ${field} is ${configured}: scale that line by its price`);
  };
  // A team's own Redis (mode existing) is neither built nor paid for by the recovery or its standby.
  const ownCache = (field: string) => {
    overrides.cacheHour = 0;
    notes.push(`cache not priced: ${field} is mode existing, the team's own Redis`);
  };
  switch (cloud) {
    case "aws": {
      const target = config.targets.aws;
      if (target === undefined) break;
      differs("database", target.database.instanceClass, "targets.aws.database.instanceClass", "databaseInstanceHour");
      if (target.cache.mode === "new") differs("cache", target.cache.nodeType, "targets.aws.cache.nodeType", "cacheHour");
      else ownCache("targets.aws.cache");
      break;
    }
    case "gcp": {
      const target = config.targets.gcp;
      if (target === undefined) break;
      const custom = /^db-custom-(\d+)-(\d+)$/.exec(target.database.tier);
      if (custom !== null && target.database.edition !== "ENTERPRISE_PLUS") {
        overrides.databaseInstanceHour = fine(Number(custom[1]) * CLOUD_SQL_ENTERPRISE_HOUR.vcpu + (Number(custom[2]) / 1024) * CLOUD_SQL_ENTERPRISE_HOUR.gib);
        notes.push(`database priced as ${target.database.tier} from Cloud SQL Enterprise's per-vCPU and per-GiB rates: $${overrides.databaseInstanceHour}/h`);
      } else {
        differs("database", target.database.tier, "targets.gcp.database.tier", "databaseInstanceHour");
      }
      if (target.cache.mode === "new") differs("cache", `${target.cache.tier} ${target.cache.memorySizeGiB} GiB`, "targets.gcp.cache", "cacheHour");
      else ownCache("targets.gcp.cache");
      break;
    }
    case "azure": {
      const target = config.targets.azure;
      if (target === undefined) break;
      const general = /^GP_Standard_D(\d+)ds_v5$/.exec(target.database.skuName);
      if (general !== null) {
        overrides.databaseInstanceHour = fine(Number(general[1]) * FLEXIBLE_SERVER_GP_VCORE_HOUR);
        notes.push(`database priced as ${target.database.skuName} from General Purpose's per-vCore rate: $${overrides.databaseInstanceHour}/h`);
      } else {
        differs("database", target.database.skuName, "targets.azure.database.skuName", "databaseInstanceHour");
      }
      if (target.cache.mode === "new") differs("cache", target.cache.skuName, "targets.azure.cache.skuName", "cacheHour");
      else ownCache("targets.azure.cache");
      break;
    }
  }
  return { overrides, notes };
}

/** Where a Kubernetes standby keeps its dumps (targets.kubernetes.standby.destination). */
type DumpDestination = KubernetesStandbyConfig["destination"];

const STANDBY_FIELD = "targets.kubernetes.standby";

/**
 * How many dumps the standby's retention keeps once it has run long enough: the newest `count`, and every dump younger
 * than `days` days at one every `dumpEveryMinutes` (dump-medplum-db.sh keeps a dump when either rule keeps it, the
 * newest always). The intervals divide a day evenly (STANDBY_DUMP_INTERVALS), so the age rule keeps a whole number.
 */
export function retainedDumps(retention: { readonly count?: number; readonly days?: number }, dumpEveryMinutes: number): number {
  const byAge = retention.days === undefined ? 0 : Math.ceil((retention.days * 24 * 60) / dumpEveryMinutes);
  return Math.max(1, retention.count ?? 0, byAge);
}

/** The price table whose object storage the dumps' store is billed at, or why none is. */
type DumpStore =
  | { readonly priced: true; readonly cloud: PricedCloud; readonly of: string; readonly note: string }
  | { readonly priced: false; readonly reason: string };

function dumpStore(destination: DumpDestination): DumpStore {
  const field = `${STANDBY_FIELD}.destination`;
  switch (destination.kind) {
    case "s3": {
      const host = destination.endpoint === undefined ? "s3.amazonaws.com" : hostOf(destination.endpoint);
      // An endpoint on amazonaws.com (regional, FIPS, a VPC endpoint) is still AWS S3; amazonaws.com.cn bills in CNY.
      if (host === undefined || !/(^|\.)amazonaws\.com$/.test(host))
        return {
          priced: false,
          reason: `${field}.endpoint ${destination.endpoint} is an S3-compatible store that is not AWS S3 (MinIO, Ceph, another vendor's): its price is its operator's, not in the price table`,
        };
      const region = PRICE_TABLES.aws.region;
      return {
        priced: true,
        cloud: "aws",
        of: "S3 Standard",
        note:
          destination.region === region
            ? `dumps' storage at S3 Standard's list price in ${region}, the destination's region (${field}.region)`
            : `dumps' storage at S3 Standard's list price in ${region}, the price table's one region; the destination is in ${destination.region} (${field}.region), whose price may differ`,
      };
    }
    case "gcs":
      return {
        priced: true,
        cloud: "gcp",
        of: "Cloud Storage Standard",
        note: `dumps' storage at Cloud Storage Standard's regional list price in ${PRICE_TABLES.gcp.region}, the price table's region: ${field} names no location (bucket ${destination.bucket}'s location and default storage class are not in the config); a dual- or multi-region bucket, or another class, is priced otherwise`,
      };
    case "azure-blob":
      return {
        priced: true,
        cloud: "azure",
        of: "Blob Storage Hot LRS",
        note: `dumps' storage at Blob Storage Hot, locally redundant, list price in ${PRICE_TABLES.azure.region}, the price table's region: ${field} names no region (storage account ${destination.account}'s region, redundancy and access tier are not in the config); geo-redundant storage costs more`,
      };
    case "volume":
      return {
        priced: false,
        reason: `${field} is volume claim ${destination.claimName} on the primary cluster: the storage behind it (on-premises, NFS, the cluster provider's disks) has no price in the config`,
      };
  }
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

export interface KubernetesTierCost {
  /** Undefined where no line is priced: a volume, a store that is not a cloud's, no standby section. */
  readonly cost?: TierCost;
  readonly notModeled: readonly NotModeled[];
  readonly prices?: { readonly region: string; readonly read: string; readonly of: string };
  readonly notes: readonly string[];
}

/**
 * The backup-restore tier of a Kubernetes standby: the one thing it keeps that a price table prices is the retained
 * dumps in a cloud's object storage. Its dump and verify Jobs run on the team's own nodes, the upload leaves from a
 * network the config does not place, and a drill runs on the team's recovery cluster: those are "not modeled", with
 * the reason, rather than priced at zero.
 */
export function kubernetesTierCost(config: RecoveryConfig): KubernetesTierCost {
  const dumpGiB = config.costInputs.databaseGiB;
  const target = config.targets.kubernetes;
  const standby = target?.standby;
  const drill: NotModeled = {
    part: "drill",
    what: "a drill",
    reason: `recovery-k8s runs on the team's recovery cluster (its nodes, volumes and load balancer are the cluster's), and reading the dump (up to ${dumpGiB} GiB) from its store costs what the network between them charges; where that cluster runs is not in the config`,
  };
  if (standby === undefined)
    return {
      notModeled: [{ part: "monthly", what: "the standby", reason: `no ${STANDBY_FIELD} section: no dump destination or retention to price` }, drill],
      notes: [],
    };

  const retained = retainedDumps(standby.retention, standby.dumpEveryMinutes);
  const dumpsPerMonth = fine(((24 * 60) / standby.dumpEveryMinutes) * DAYS_PER_MONTH);
  const store = dumpStore(standby.destination);
  const objectStore = standby.destination.kind !== "volume";
  const rules = [
    ...(standby.retention.count !== undefined ? [`the newest ${standby.retention.count}`] : []),
    ...(standby.retention.days !== undefined
      ? [
          `every dump younger than ${standby.retention.days} days at one every ${formatMinutes(standby.dumpEveryMinutes)} (${retainedDumps({ days: standby.retention.days }, standby.dumpEveryMinutes)})`,
        ]
      : []),
  ];
  const notes = [
    `${retained} dumps retained (${STANDBY_FIELD}.retention keeps ${rules.length === 0 ? "the newest only" : rules.join(" and ")}${rules.length > 1 ? ", whichever keeps more" : ""})`,
    `each dump modeled at ${dumpGiB} GiB, costInputs.databaseGiB with no compression assumed: pg_dump -Fc compresses and leaves indexes out, so a real dump is usually smaller and the storage line errs high (latest.json's bytes gives a real dump's size: scale the line by it)`,
    ...(store.priced ? [store.note] : []),
  ];
  const manifest = target?.database.mode === "restore-from-dump" ? target.database.dump.manifest : undefined;
  const notModeled: NotModeled[] = [
    ...(store.priced ? [] : [{ part: "monthly" as const, what: `the retained dumps (${retained} x ${dumpGiB} GiB)`, reason: store.reason }]),
    {
      part: "monthly",
      what: "the dump and verify Jobs",
      reason: `they run on the primary cluster's own nodes (a dump every ${formatMinutes(standby.dumpEveryMinutes)}, a verify on "${standby.verifySchedule}" with ${standby.verifyScratchGiB} GiB of scratch): standby-k8s keeps no compute of its own, and the nodes are the team's`,
    },
    ...(objectStore
      ? [
          {
            part: "monthly" as const,
            what: `the upload of each dump (${dumpsPerMonth.toLocaleString("en-US")} a month, up to ${fine(dumpsPerMonth * dumpGiB).toLocaleString("en-US")} GiB) and each verify's download`,
            reason: store.priced
              ? "the store charges nothing to receive a dump (inbound transfer is free); a verify's download leaves the store, free within its region and billed otherwise, and the primary cluster's own network may charge both ways: where the cluster runs is not in the config; requests are not priced"
              : "between the primary cluster and a store that is not a cloud's: the team's network",
          },
        ]
      : []),
    ...(manifest !== undefined && describeDestination(manifest) !== describeDestination(standby.destination)
      ? [
          {
            part: "monthly" as const,
            what: `the copy the recovery reads (${describeDestination(manifest)}, targets.kubernetes.database.dump.manifest)`,
            reason: "it is made outside standby-k8s (by the store's replication or the team's own copy): its storage, retention and transfer are the team's",
          },
        ]
      : []),
    {
      part: "monthly",
      what: `the binaries (costInputs.binariesGiB ${config.costInputs.binariesGiB} GiB)`,
      reason: "standby-k8s does not replicate them: a replica of targets.kubernetes.storage's bucket is kept with the store's own replication, the team's",
    },
    drill,
  ];
  if (!store.priced) return { notModeled, notes };
  const table = PRICE_TABLES[store.cloud];
  const monthly: CostLine[] = [
    {
      item: "objectStorageGiBMonth",
      quantity: retained * dumpGiB,
      usd: fine(table.prices.objectStorageGiBMonth.usd * retained * dumpGiB),
      what: `${retained} retained dumps x ${dumpGiB} GiB in ${describeDestination(standby.destination)}`,
    },
  ];
  return {
    cost: { monthlyUsd: cents(monthly.reduce((total, entry) => total + entry.usd, 0)), monthly, drill: [] },
    notModeled,
    prices: { region: table.region, read: table.read, of: store.of },
    notes,
  };
}

export interface TierRpo {
  /** Undefined when the plan cannot know it. */
  readonly minutes?: number;
  /**
   * What the figure measures: a live replica's lag, the lag of point-in-time backups replicated into the recovery
   * location, the copy (or dump) schedule, or, without a standby schedule, the recovery's own restore.
   */
  readonly kind: "replication-lag" | "continuous" | "schedule" | "recovery";
  readonly basis: string;
}

export interface TierRow {
  readonly tier: StandbyTier;
  readonly chosen: boolean;
  readonly rtoMinutes: ScenarioMinutes;
  readonly rpo: TierRpo;
  /** Undefined where the model prices no line of the tier (Kubernetes dumps on a volume or a store that is not a cloud's). */
  readonly cost?: TierCost;
  /** What the tier's figures leave out, and why (empty on the clouds, whose leftovers docs/cost.md lists). */
  readonly notModeled: readonly NotModeled[];
}

export interface TierTable {
  /** The tier the config chose (targets.<target>.standby.tier, or the standby stack's standby_tier output). */
  readonly chosen?: StandbyTier;
  readonly chosenFrom: string;
  /** The price table's region and read date; `of`, where only some of a table's prices apply (Kubernetes: the dumps' store). */
  readonly prices?: { readonly region: string; readonly read: string; readonly of?: string };
  readonly inputs: CostInputs;
  readonly budgetUsd?: number;
  /** Where the priced sizes and the config's differ, and how the model dealt with it. */
  readonly sizeNotes: readonly string[];
  readonly rows: readonly TierRow[];
}

/** What the standby stack's outputs (or, without it, the config) say about the recovery points it keeps. */
export interface StandbyFacts {
  readonly tier?: StandbyTier;
  readonly from: string;
  readonly intervalMinutes?: number;
  /** Point-in-time backups the standby keeps in the recovery location (replicated automated backups, geo-redundant backup). */
  readonly continuousBackup: boolean;
  /** The live replica the standby keeps (its database_replica output, or "id known after apply"); absent without one. */
  readonly databaseReplica?: string;
  /** What the standby stack says stands for the recovery to adopt (its standing_infrastructure output). */
  readonly standing?: readonly string[];
}

function isTier(value: string | undefined): value is StandbyTier {
  return (STANDBY_TIERS as readonly string[]).includes(value ?? "");
}

/**
 * An output naming something the standby keeps: its value, "id known after apply" where Terraform computes it (a
 * replica's ARN, a replication's id), undefined where the output is absent or "none" (what StandbyStack writes without one).
 */
function keptOutput(json: TerraformJson, name: string): string | undefined {
  if (json.output?.[name] === undefined) return undefined;
  const literal = literalOutput(json, name);
  if (literal === "none" || literal === "") return undefined;
  return literal ?? "id known after apply";
}

/** The standby facts of a target: from its synthesized standby stack where there is one, else from the typed config. */
export function standbyFacts(cloud: TargetCloud, config: RecoveryConfig, standbyJson?: TerraformJson, standbyName?: string): StandbyFacts {
  if (standbyJson !== undefined) {
    const tier = literalOutput(standbyJson, "standby_tier");
    const interval = Number(literalOutput(standbyJson, "recovery_point_interval_minutes"));
    const replica = keptOutput(standbyJson, "database_replica");
    const standing = (literalOutput(standbyJson, "standing_infrastructure") ?? "").split(",").filter((entry) => entry !== "");
    return {
      ...(isTier(tier) ? { tier } : {}),
      from: `the ${standbyName ?? "standby"} stack's outputs`,
      ...(Number.isFinite(interval) && interval > 0 ? { intervalMinutes: interval } : {}),
      continuousBackup: keptOutput(standbyJson, "continuous_backup") !== undefined,
      ...(replica !== undefined ? { databaseReplica: replica } : {}),
      ...(standing.length > 0 ? { standing } : {}),
    };
  }
  const notSynthesized = (field: string) => `${field} (the standby stack is not synthesized)`;
  // Every cloud bundle builds its replica exactly in warm-standby (modules/*/standby/standing.ts).
  const replicaOf = (tier: StandbyTier, field: string) =>
    tier === "warm-standby" ? { databaseReplica: `the replica ${field} builds, id known after apply` } : {};
  switch (cloud) {
    case "aws": {
      const standby = config.targets.aws?.standby;
      if (standby === undefined) return { from: "no targets.aws.standby section", continuousBackup: false };
      return {
        tier: standby.tier,
        from: notSynthesized("targets.aws.standby"),
        intervalMinutes: standby.database.backupEveryHours * 60,
        continuousBackup: config.targets.aws?.database.engine === "postgres",
        ...replicaOf(standby.tier, "standby-aws"),
      };
    }
    case "gcp": {
      const standby = config.targets.gcp?.standby;
      if (standby === undefined) return { from: "no targets.gcp.standby section", continuousBackup: false };
      // The backup schedule is the primary's own (standby-gcp reads it at plan time), so the config alone does not give it.
      return { tier: standby.tier, from: notSynthesized("targets.gcp.standby"), continuousBackup: false, ...replicaOf(standby.tier, "standby-gcp") };
    }
    case "azure": {
      const standby = config.targets.azure?.standby;
      if (standby === undefined) return { from: "no targets.azure.standby section", continuousBackup: false };
      // standby-azure checks the primary's geo-redundant backup (a plan-time precondition) rather than copying recovery points.
      return { tier: standby.tier, from: notSynthesized("targets.azure.standby"), continuousBackup: true, ...replicaOf(standby.tier, "standby-azure") };
    }
    case "kubernetes": {
      const standby = config.targets.kubernetes?.standby;
      if (standby === undefined) return { from: "no targets.kubernetes.standby section", continuousBackup: false };
      return { tier: standby.tier, from: notSynthesized("targets.kubernetes.standby"), intervalMinutes: standby.dumpEveryMinutes, continuousBackup: false };
    }
  }
}

/**
 * The restore a recovery makes from a standby's point-in-time backups in the recovery location: the replicated
 * automated backups of RDS (point-in-time) or the geo-redundant backup of a flexible server (geo-restore). Its RPO entry
 * is the figure; GCP's and Kubernetes' standbys keep none.
 */
const CONTINUOUS_RESTORE: Partial<Readonly<Record<TargetCloud, RestoreMode>>> = { aws: "point-in-time", azure: "geo-restore" };

/**
 * The database RPO of a standby, the one rule for the standby plan and every row of the tier table: a live replica's
 * lag where it keeps one (the replica-promotion entry of report/rpo.ts), else the lag of its point-in-time backups,
 * else its copy or dump schedule; without any, the recovery's own restore.
 */
function databaseRpo(cloud: TargetCloud, facts: StandbyFacts, replica: boolean, recoveryRpo?: ImpliedRpo): TierRpo {
  if (replica) {
    const entry = rpoEntry("replica-promotion", cloud);
    return {
      ...(entry?.minutes !== undefined ? { minutes: entry.minutes } : {}),
      kind: "replication-lag",
      basis: `replication lag of the live replica${facts.databaseReplica !== undefined ? ` (${facts.databaseReplica})` : ""}: ${entry?.source ?? "no RPO entry"}`,
    };
  }
  const continuous = CONTINUOUS_RESTORE[cloud];
  if (facts.continuousBackup && continuous !== undefined) {
    const entry = rpoEntry(continuous, cloud);
    if (entry?.minutes !== undefined) {
      const what =
        continuous === "geo-restore"
          ? "geo-restore from the primary's geo-redundant backup"
          : "point-in-time restore from automated backups replicated into the recovery region";
      return { minutes: entry.minutes, kind: "continuous", basis: `${what} (${facts.from}): ${entry.source}` };
    }
  }
  if (facts.intervalMinutes !== undefined) {
    const what = cloud === "kubernetes" ? "dump interval" : "copy schedule";
    return {
      minutes: facts.intervalMinutes,
      kind: "schedule",
      basis: `${what}: a recovery point every ${formatMinutes(facts.intervalMinutes)} (${facts.from}), plus the time the copy takes`,
    };
  }
  if (recoveryRpo === undefined) return { kind: "recovery", basis: `no standby schedule (${facts.from})` };
  return {
    ...(recoveryRpo.minutes !== undefined ? { minutes: recoveryRpo.minutes } : {}),
    kind: "recovery",
    basis: `no standby schedule (${facts.from}): the recovery's own restore, ${recoveryRpo.basis}`,
  };
}

/** The RPO of the standby as it is: its replica where its database_replica output names one, whatever the tier says. */
export function standbyRpo(cloud: TargetCloud, facts: StandbyFacts, recoveryRpo?: ImpliedRpo): TierRpo {
  return databaseRpo(cloud, facts, facts.databaseReplica !== undefined, recoveryRpo);
}

/** The RPO a tier gives, as a row of the table models it: warm-standby keeps a live replica, the other tiers none. */
export function tierRpo(tier: StandbyTier, cloud: TargetCloud, facts: StandbyFacts, recoveryRpo: ImpliedRpo): TierRpo {
  return databaseRpo(cloud, facts, tier === "warm-standby", recoveryRpo);
}

/** The tiers a target's standby can be built in: the clouds all three; Kubernetes dumps only. */
function offeredTiers(cloud: TargetCloud): readonly StandbyTier[] {
  return cloud === "kubernetes" ? ["backup-restore"] : STANDBY_TIERS;
}

export interface TierTableInput {
  readonly cloud: TargetCloud;
  readonly config: RecoveryConfig;
  readonly graph: DependencyGraph;
  readonly dnsTails: readonly DnsTail[];
  readonly recoveryRpo: ImpliedRpo;
  readonly standby?: { readonly name: string; readonly json: TerraformJson };
}

export function buildTierTable({ cloud, config, graph, dnsTails, recoveryRpo, standby }: TierTableInput): TierTable {
  const facts = standbyFacts(cloud, config, standby?.json, standby?.name);
  const { server } = config.medplum;
  const servers: ServerSize = { count: server.count, vcpu: server.cpuMillicores / 1000, memoryGiB: server.memoryMiB / 1024 };
  const common = {
    ...(facts.tier !== undefined ? { chosen: facts.tier } : {}),
    chosenFrom: facts.standing === undefined ? facts.from : `${facts.from}; standing for the recovery to adopt: ${facts.standing.join(", ")}`,
    inputs: config.costInputs,
    ...(config.objectives.monthlyStandbyBudgetUsd !== undefined ? { budgetUsd: config.objectives.monthlyStandbyBudgetUsd } : {}),
  };
  const row = (tier: StandbyTier) => ({
    tier,
    chosen: tier === facts.tier,
    rtoMinutes: tierRtoMinutes(graph, dnsTails, tier),
    rpo: tierRpo(tier, cloud, facts, recoveryRpo),
  });
  if (cloud === "kubernetes") {
    const priced = kubernetesTierCost(config);
    return {
      ...common,
      ...(priced.prices !== undefined ? { prices: priced.prices } : {}),
      sizeNotes: priced.notes,
      rows: offeredTiers(cloud).map((tier) => ({ ...row(tier), ...(priced.cost !== undefined ? { cost: priced.cost } : {}), notModeled: priced.notModeled })),
    };
  }
  const sizes = pricedSizes(cloud, config);
  return {
    ...common,
    prices: { region: PRICE_TABLES[cloud].region, read: PRICE_TABLES[cloud].read },
    sizeNotes: sizes.notes,
    rows: offeredTiers(cloud).map((tier) => ({ ...row(tier), cost: tierCost(cloud, tier, config.costInputs, servers, sizes.overrides), notModeled: [] })),
  };
}
