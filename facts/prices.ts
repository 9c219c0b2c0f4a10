/**
 * THE cost model's prices: the list price of each kind of resource a DR tier keeps running, per cloud, for one
 * reference region each. docs/cost.md is this table in prose, with what each figure covers and how the tiers use it.
 *
 * These are MODEL figures. They were written down on 2026-12-02 from the vendors' public list prices as the author
 * knew them (on-demand, no commitment or free tier, USD); this project's build machines have no web access, so no page
 * was re-read that day. Each figure names the price page to re-read before anyone budgets with it. Figures keep the
 * precision the price pages give and no more; where one resource has several meters (a load balancer's hours and its
 * capacity units), only the standing meter is priced and `covers` says what is left out.
 *
 * Kubernetes has no table of its own: what its standby keeps that a vendor prices is its retained dumps, priced at the
 * `objectStorageGiBMonth` of the cloud whose store holds them (report/tiers.ts, kubernetesTierCost).
 */
import type { TargetName } from "../config/schema";

export type PricedCloud = Exclude<TargetName, "kubernetes">;

/** What a tier keeps running (or stores, or moves), priced per its unit. */
export type PriceItem =
  | "databaseInstanceHour"
  | "databaseStorageGiBMonth"
  | "backupStorageGiBMonth"
  | "objectStorageGiBMonth"
  | "crossRegionTransferGiB"
  | "natGatewayHour"
  | "loadBalancerHour"
  | "clusterHour"
  | "cacheHour"
  | "serverVcpuHour"
  | "serverGiBHour";

export interface Price {
  readonly usd: number;
  readonly unit: "hour" | "GiB-month" | "GiB";
  /** The resource and size the figure is for, and the meters it leaves out. */
  readonly covers: string;
  /** The vendor's public price page. */
  readonly page: string;
  /** The size priced, in the config's own vocabulary, where the config chooses one (instance class, tier, SKU). */
  readonly size?: string;
}

export interface PriceTable {
  /** The region the figures are list prices of; other regions differ by a few to tens of percent. */
  readonly region: string;
  /** When the figures were written down and how. */
  readonly read: string;
  readonly prices: { readonly [I in PriceItem]: Price };
}

/** Hours in the month the model prices: 365 x 24 / 12, the month the vendors' monthly figures use. */
export const HOURS_PER_MONTH = 730;

export const PRICES_READ = "2026-12-02, from the author's knowledge of the public list prices, not re-read on the page (no web access): model";

/** Cloud SQL Enterprise prices vCPUs and memory separately, so a db-custom-N-M tier is priced from them. */
export const CLOUD_SQL_ENTERPRISE_HOUR = { vcpu: 0.0413, gib: 0.007 } as const;
/** Flexible Server General Purpose (Ddsv5) is priced per vCore, so a GP_Standard_D<N>ds_v5 SKU is priced from it. */
export const FLEXIBLE_SERVER_GP_VCORE_HOUR = 0.089;

const AWS_RDS = "https://aws.amazon.com/rds/aurora/pricing/";
const AWS_EC2_TRANSFER = "https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer";
const GCP_SQL = "https://cloud.google.com/sql/pricing";
const AZ_PG = "https://azure.microsoft.com/pricing/details/postgresql/flexible-server/";

export const PRICE_TABLES: { readonly [C in PricedCloud]: PriceTable } = {
  aws: {
    region: "us-east-1",
    read: PRICES_READ,
    prices: {
      databaseInstanceHour: {
        usd: 0.26,
        unit: "hour",
        covers: "Aurora PostgreSQL db.r6g.large, Aurora Standard, one instance (a replica or the restored writer)",
        page: AWS_RDS,
        size: "db.r6g.large",
      },
      databaseStorageGiBMonth: { usd: 0.1, unit: "GiB-month", covers: "Aurora Standard storage; I/O requests not priced", page: AWS_RDS },
      backupStorageGiBMonth: { usd: 0.021, unit: "GiB-month", covers: "Aurora backup storage (snapshots and copies beyond the free retention)", page: AWS_RDS },
      objectStorageGiBMonth: {
        usd: 0.023,
        unit: "GiB-month",
        covers: "S3 Standard, first 50 TB; requests and Replication Time Control not priced",
        page: "https://aws.amazon.com/s3/pricing/",
      },
      crossRegionTransferGiB: {
        usd: 0.02,
        unit: "GiB",
        covers: "data transfer between AWS regions (copies and replication out of the primary region)",
        page: AWS_EC2_TRANSFER,
      },
      natGatewayHour: {
        usd: 0.045,
        unit: "hour",
        covers: "one NAT gateway; data processed ($0.045/GB) not priced",
        page: "https://aws.amazon.com/vpc/pricing/",
      },
      loadBalancerHour: {
        usd: 0.0225,
        unit: "hour",
        covers: "one Application Load Balancer; load balancer capacity units not priced",
        page: "https://aws.amazon.com/elasticloadbalancing/pricing/",
      },
      clusterHour: {
        usd: 0,
        unit: "hour",
        covers: "an ECS cluster has no charge of its own (Fargate tasks are priced as servers)",
        page: "https://aws.amazon.com/ecs/pricing/",
      },
      cacheHour: {
        usd: 0.068,
        unit: "hour",
        covers: "ElastiCache cache.t4g.medium node, one node",
        page: "https://aws.amazon.com/elasticache/pricing/",
        size: "cache.t4g.medium",
      },
      serverVcpuHour: { usd: 0.04048, unit: "hour", covers: "Fargate Linux/x86 per vCPU", page: "https://aws.amazon.com/fargate/pricing/" },
      serverGiBHour: { usd: 0.004445, unit: "hour", covers: "Fargate Linux/x86 per GiB of memory", page: "https://aws.amazon.com/fargate/pricing/" },
    },
  },
  gcp: {
    region: "us-central1",
    read: PRICES_READ,
    prices: {
      databaseInstanceHour: {
        usd: 0.1351,
        unit: "hour",
        covers:
          "Cloud SQL for PostgreSQL Enterprise, 2 vCPU ($0.0413 each) and 7.5 GiB ($0.007 each), one instance, no HA; the config's db-custom tier is priced from the same two rates",
        page: GCP_SQL,
        size: "db-custom-2-7680",
      },
      databaseStorageGiBMonth: { usd: 0.17, unit: "GiB-month", covers: "Cloud SQL SSD storage", page: GCP_SQL },
      backupStorageGiBMonth: { usd: 0.08, unit: "GiB-month", covers: "Cloud SQL backup storage", page: GCP_SQL },
      objectStorageGiBMonth: {
        usd: 0.02,
        unit: "GiB-month",
        covers: "Cloud Storage Standard, regional; operations not priced",
        page: "https://cloud.google.com/storage/pricing",
      },
      crossRegionTransferGiB: {
        usd: 0.02,
        unit: "GiB",
        covers: "data transfer between regions within North America",
        page: "https://cloud.google.com/vpc/network-pricing",
      },
      natGatewayHour: {
        usd: 0.044,
        unit: "hour",
        covers: "Cloud NAT at its per-gateway ceiling (32 or more VMs; fewer VMs cost $0.0014 each); data processed not priced",
        page: "https://cloud.google.com/nat/pricing",
      },
      loadBalancerHour: {
        usd: 0.025,
        unit: "hour",
        covers: "global external Application Load Balancer, first five forwarding rules; data processed not priced",
        page: "https://cloud.google.com/vpc/network-pricing#lb",
      },
      clusterHour: {
        usd: 0.1,
        unit: "hour",
        covers: "GKE cluster management fee (Autopilot); the free-tier credit of one cluster per billing account not applied",
        page: "https://cloud.google.com/kubernetes-engine/pricing",
      },
      cacheHour: {
        usd: 0.049,
        unit: "hour",
        covers: "Memorystore for Redis Basic, 1 GB (M1 capacity tier); Standard (HA) and larger instances cost more",
        page: "https://cloud.google.com/memorystore/docs/redis/pricing",
        size: "BASIC 1 GiB",
      },
      serverVcpuHour: {
        usd: 0.0445,
        unit: "hour",
        covers: "GKE Autopilot general-purpose pod, per vCPU",
        page: "https://cloud.google.com/kubernetes-engine/pricing",
      },
      serverGiBHour: {
        usd: 0.0049225,
        unit: "hour",
        covers: "GKE Autopilot general-purpose pod, per GiB of memory",
        page: "https://cloud.google.com/kubernetes-engine/pricing",
      },
    },
  },
  azure: {
    region: "eastus",
    read: PRICES_READ,
    prices: {
      databaseInstanceHour: {
        usd: 0.178,
        unit: "hour",
        covers:
          "PostgreSQL Flexible Server General Purpose D2ds_v5 (2 vCores at $0.089), one server (a replica or the restored server), no HA; the config's GP_Standard_D<N>ds_v5 SKU is priced per vCore",
        page: AZ_PG,
        size: "GP_Standard_D2ds_v5",
      },
      databaseStorageGiBMonth: { usd: 0.115, unit: "GiB-month", covers: "Flexible Server provisioned storage", page: AZ_PG },
      backupStorageGiBMonth: {
        usd: 0.2,
        unit: "GiB-month",
        covers: "Flexible Server geo-redundant backup storage beyond the free amount (about twice the locally redundant rate)",
        page: AZ_PG,
      },
      objectStorageGiBMonth: {
        usd: 0.02,
        unit: "GiB-month",
        covers: "Blob Storage Hot, locally redundant, first 50 TB; operations not priced",
        page: "https://azure.microsoft.com/pricing/details/storage/blobs/",
      },
      crossRegionTransferGiB: {
        usd: 0.02,
        unit: "GiB",
        covers: "data transfer between regions within North America",
        page: "https://azure.microsoft.com/pricing/details/bandwidth/",
      },
      natGatewayHour: {
        usd: 0.045,
        unit: "hour",
        covers: "one NAT gateway; data processed ($0.045/GB) not priced",
        page: "https://azure.microsoft.com/pricing/details/azure-nat-gateway/",
      },
      loadBalancerHour: {
        usd: 0.025,
        unit: "hour",
        covers: "Standard Load Balancer, first five rules; data processed not priced",
        page: "https://azure.microsoft.com/pricing/details/load-balancer/",
      },
      clusterHour: {
        usd: 0.1,
        unit: "hour",
        covers: "AKS Standard tier (uptime SLA) per cluster; the Free tier has no fee; nodes are priced as servers",
        page: "https://azure.microsoft.com/pricing/details/kubernetes-service/",
      },
      cacheHour: {
        usd: 0.1,
        unit: "hour",
        covers: "Azure Managed Redis, a small Balanced SKU with high availability: an order of magnitude only, the figure of this table least sure",
        page: "https://azure.microsoft.com/pricing/details/managed-redis/",
        size: "Balanced_B1",
      },
      serverVcpuHour: {
        usd: 0.048,
        unit: "hour",
        covers: "an AKS node's VM (D2s_v5, $0.096/h for 2 vCPUs and 8 GiB) per vCPU, memory included",
        page: "https://azure.microsoft.com/pricing/details/virtual-machines/linux/",
      },
      serverGiBHour: {
        usd: 0,
        unit: "hour",
        covers: "included in the VM's per-vCPU figure",
        page: "https://azure.microsoft.com/pricing/details/virtual-machines/linux/",
      },
    },
  },
};
