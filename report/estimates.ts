/**
 * THE table of creation-time estimates behind the modeled RTO: how long `terraform apply` waits for each resource type
 * once everything it needs exists. One entry per type (a few types have variants: a restored database takes longer than
 * an empty one); the first entry whose `when` matches wins. Every figure says where it comes from: docs/estimates.md
 * gives each one's basis (a vendor's published figure with the page and the date read, the vendor's description of the
 * mechanism with our minutes, or our judgement); "estimate" and "judgement" mark our own reasoning. Edit figures here
 * and in docs/estimates.md, together, when drills measure better ones.
 *
 * `low` / `typical` / `high` are minutes. The report and the gate use `typical` (the gate uses `high` with
 * `--pessimistic`); the range is printed so a reviewer sees how wide the uncertainty is.
 */
import { AWS_DATABASE_ENGINES } from "../modules/aws/engines";
import { attribute, type Body } from "./stack-json";
import { MAX_CUTOVER_TTL_SECONDS } from "../facts/dns";

export interface CreationEstimate {
  readonly type: string;
  /** Which blocks of the type this entry covers, in words; absent for the type's default entry. */
  readonly variant?: string;
  readonly when?: (body: Body) => boolean;
  readonly low: number;
  readonly typical: number;
  readonly high: number;
  readonly source: string;
}

const set = (body: Body, path: string) => {
  const value = attribute(body, path);
  return value !== undefined && value !== null && value !== "" && !(Array.isArray(value) && value.length === 0);
};
const isTrue = (body: Body, path: string) => attribute(body, path) === true;
const oneOf = (body: Body, path: string, values: readonly string[]) => values.includes(String(attribute(body, path)));

export const CREATION_ESTIMATES: readonly CreationEstimate[] = [
  // ---- AWS: database, from the engine objects (modules/aws/engines.ts), which know their own resource types
  ...Object.values(AWS_DATABASE_ENGINES).flatMap((engine) =>
    engine.creationEstimates.map(
      ({ whenSet, ...estimate }): CreationEstimate => (whenSet === undefined ? estimate : { ...estimate, when: (b) => whenSet.some((path) => set(b, path)) }),
    ),
  ),
  // ---- AWS: cache
  { type: "aws_elasticache_replication_group", low: 5, typical: 10, high: 15, source: "judgement (docs/estimates.md#aws): ElastiCache 5-15 min" },
  { type: "aws_elasticache_cluster", low: 5, typical: 10, high: 15, source: "judgement (docs/estimates.md#aws): ElastiCache 5-15 min" },
  // ---- AWS: application tier and entry point
  {
    type: "aws_ecs_service",
    variant: "wait_for_steady_state = true",
    when: (b) => isTrue(b, "wait_for_steady_state"),
    low: 2,
    typical: 3.5,
    high: 5,
    source:
      "judgement (docs/estimates.md#aws): ECS service to steady state 2-5 min (image pull, Medplum start-up and migrations, two healthy target checks at 30 s)",
  },
  {
    type: "aws_ecs_service",
    low: 2,
    typical: 3.5,
    high: 5,
    source:
      "judgement (docs/estimates.md#aws): 2-5 min to steady state; apply returns earlier without wait_for_steady_state, but traffic is not served sooner, so the time counts",
  },
  { type: "aws_lb", low: 2, typical: 3, high: 4, source: "judgement (docs/estimates.md#aws): ALB 2-4 min until active" },
  {
    type: "aws_acm_certificate",
    low: 0.25,
    typical: 0.5,
    high: 1,
    source: "estimate: the request returns at once; waiting for issuance is aws_acm_certificate_validation",
  },
  {
    type: "aws_acm_certificate_validation",
    low: 2,
    typical: 6,
    high: 60,
    source: "judgement (docs/estimates.md#aws): ACM DNS-validated certificate 2-10 min, can exceed 1 h (issue it in peacetime)",
  },
  { type: "aws_cloudfront_distribution", low: 3, typical: 5, high: 15, source: "estimate: CloudFront deploys to every edge location before Terraform returns" },
  { type: "aws_eks_cluster", low: 10, typical: 12, high: 15, source: "judgement (docs/estimates.md#aws): EKS 10-15 min" },
  { type: "aws_eks_node_group", low: 2, typical: 4, high: 8, source: "estimate: EC2 instances launch and join the cluster" },
  // ---- AWS: network
  { type: "aws_nat_gateway", low: 1, typical: 2, high: 5, source: "estimate: Terraform waits for the NAT gateway to become available, usually 1-3 min" },
  { type: "aws_vpc_endpoint", low: 1, typical: 2, high: 4, source: "estimate: interface endpoints provision network interfaces in each subnet" },
  // ---- AWS: traffic
  {
    type: "aws_route53_record",
    low: 0.5,
    typical: 1,
    high: 1,
    source: "AWS Route 53 FAQ (docs/estimates.md, D1): changes propagate within 60 s (Terraform waits for INSYNC); resolver caches are the DNS tail",
  },
  { type: "aws_route53_health_check", low: 0.25, typical: 0.5, high: 1, source: "estimate: an API call; detection time is part of the DNS tail" },
  // ---- GCP
  {
    type: "google_sql_database_instance",
    variant: "restored from a backup or cloned",
    when: (b) => set(b, "restore_backup_context") || set(b, "clone"),
    low: 10,
    typical: 20,
    high: 45,
    source: "judgement (docs/estimates.md#gcp): Cloud SQL instance 5-15 min + backup restore (size-dependent)",
  },
  {
    type: "google_sql_database_instance",
    variant: "cross-region replica",
    when: (b) => set(b, "master_instance_name"),
    low: 10,
    typical: 20,
    high: 40,
    source: "estimate: a new instance seeded from the primary's data; promotion itself takes minutes",
  },
  { type: "google_sql_database_instance", low: 5, typical: 10, high: 15, source: "judgement (docs/estimates.md#gcp): Cloud SQL instance 5-15 min" },
  {
    type: "google_container_cluster",
    variant: "Autopilot",
    when: (b) => isTrue(b, "enable_autopilot"),
    low: 5,
    typical: 7.5,
    high: 10,
    source: "judgement (docs/estimates.md#gcp): GKE Autopilot 5-10 min",
  },
  { type: "google_container_cluster", low: 5, typical: 8, high: 12, source: "estimate: GKE Standard control plane, like Autopilot plus the default pool" },
  { type: "google_container_node_pool", low: 3, typical: 5, high: 10, source: "estimate: Compute Engine instances boot and join" },
  { type: "google_redis_instance", low: 5, typical: 10, high: 15, source: "judgement (docs/estimates.md#gcp): Memorystore 5-15 min" },
  {
    type: "google_compute_managed_ssl_certificate",
    low: 15,
    typical: 30,
    high: 60,
    source: "judgement (docs/estimates.md#gcp; Google documents that DNS must point at the LB first): Google-managed certificates, 15 min to hours",
  },
  {
    type: "google_service_networking_connection",
    low: 1,
    typical: 2,
    high: 5,
    source: "estimate: private services access peering for Cloud SQL / Memorystore",
  },
  {
    type: "google_dns_record_set",
    low: 0.5,
    typical: 1,
    high: 1,
    source: "estimate: Cloud DNS changes are live within a minute; resolver caches are the DNS tail",
  },
  // ---- Azure
  {
    type: "azurerm_postgresql_flexible_server",
    variant: "GeoRestore or PointInTimeRestore",
    when: (b) => oneOf(b, "create_mode", ["GeoRestore", "PointInTimeRestore"]),
    low: 15,
    typical: 30,
    high: 60,
    source: "judgement (docs/estimates.md#azure; Microsoft: from a few minutes to a few hours): Azure flexible server PITR / GeoRestore 15-60+ min",
  },
  {
    type: "azurerm_postgresql_flexible_server",
    variant: "read replica",
    when: (b) => oneOf(b, "create_mode", ["Replica"]),
    low: 15,
    typical: 25,
    high: 45,
    source: "estimate: a replica is seeded like a restore; promotion (replication_role = None) takes minutes",
  },
  { type: "azurerm_postgresql_flexible_server", low: 5, typical: 10, high: 20, source: "estimate: an empty flexible server" },
  { type: "azurerm_kubernetes_cluster", low: 5, typical: 7.5, high: 10, source: "judgement (docs/estimates.md#azure): AKS 5-10 min" },
  { type: "azurerm_kubernetes_cluster_node_pool", low: 3, typical: 5, high: 10, source: "estimate: VM scale set boots and joins" },
  { type: "azurerm_managed_redis", low: 15, typical: 22.5, high: 30, source: "judgement (docs/estimates.md#azure): Azure Redis 15-30+ min" },
  {
    type: "azurerm_redis_cache",
    low: 15,
    typical: 25,
    high: 45,
    source: "judgement (docs/estimates.md#azure): Azure Redis 15-30+ min (classic caches are the slow end)",
  },
  { type: "azurerm_key_vault", low: 1, typical: 2, high: 3, source: "estimate: vault creation plus DNS registration" },
  { type: "azurerm_private_dns_zone_virtual_network_link", low: 0.5, typical: 1, high: 2, source: "estimate" },
  { type: "azurerm_traffic_manager_profile", low: 0.5, typical: 1, high: 2, source: "estimate: an API call; probing is part of the DNS tail" },
  {
    type: "azurerm_dns_a_record",
    low: 0.5,
    typical: 1,
    high: 1,
    source: "estimate: Azure DNS changes are live within a minute; resolver caches are the DNS tail",
  },
  { type: "azurerm_dns_cname_record", low: 0.5, typical: 1, high: 1, source: "estimate: as azurerm_dns_a_record" },
  // ---- Kubernetes
  {
    type: "kubernetes_job_v1",
    variant: "wait_for_completion = true (the pg_restore job)",
    when: (b) => isTrue(b, "wait_for_completion"),
    low: 10,
    typical: 20,
    high: 60,
    source: "estimate: pg_restore of a 10-50 GB Medplum dump with a few parallel jobs; scales with dump size, measure it in a drill",
  },
  { type: "kubernetes_job_v1", low: 0.25, typical: 0.5, high: 1, source: "estimate: apply does not wait for the job" },
  {
    type: "kubernetes_stateful_set_v1",
    low: 1,
    typical: 3,
    high: 5,
    source: "estimate: volume provisioning and PostgreSQL start-up before the rollout is ready",
  },
  {
    type: "kubernetes_deployment_v1",
    low: 1,
    typical: 3,
    high: 10,
    source: "Medplum's Helm chart v5.0.10 (docs/estimates.md, M1): start-up with migrations; its startup probe allows up to 10 min (60 x 10 s)",
  },
  {
    type: "kubernetes_service_v1",
    variant: "type LoadBalancer",
    when: (b) => attribute(b, "spec.type") === "LoadBalancer",
    low: 1,
    typical: 2,
    high: 5,
    source: "estimate: the cloud provisions a load balancer and Terraform waits for its address",
  },
  {
    type: "kubernetes_ingress_v1",
    low: 1,
    typical: 3,
    high: 8,
    source: "estimate: the ingress controller or cloud provisions a load balancer and Terraform waits for its address",
  },
  {
    type: "kubernetes_manifest",
    variant: "a CloudNativePG recovery Cluster",
    when: (b) => set(b, "manifest.spec.bootstrap.recovery"),
    low: 10,
    typical: 20,
    high: 60,
    source: "estimate: base backup download plus WAL replay, size-dependent",
  },
  {
    type: "kubernetes_manifest",
    variant: "a Gateway API Gateway",
    when: (b) => attribute(b, "manifest.kind") === "Gateway",
    low: 2,
    typical: 5,
    high: 15,
    source: "estimate: the cloud's Gateway controller builds the load balancer and Terraform waits until the Gateway is Programmed",
  },
  { type: "helm_release", low: 1, typical: 3, high: 5, source: "estimate: chart install waits for its workloads (wait = true by default)" },
];

/** Anything not in the table: most resources are one API call that returns in seconds. */
export const DEFAULT_ESTIMATE: CreationEstimate = {
  type: "(any other type)",
  low: 0.25,
  typical: 0.5,
  high: 1,
  source: "estimate: most resources (security groups, IAM roles, parameters, alarms, subnets) are one API call that returns in seconds",
};

export type EstimateScenario = "low" | "typical" | "high";

/** The entry that applies to a resource body. Data sources, locals and modules are not looked up: they weigh nothing. */
export function estimateFor(type: string, body: Body): CreationEstimate {
  return CREATION_ESTIMATES.find((entry) => entry.type === type && (entry.when === undefined || entry.when(body))) ?? DEFAULT_ESTIMATE;
}

// ---- The DNS tail: after the record changes, clients keep the old answer until the authoritative change propagates,
// the resolvers' cached answer expires (its TTL), and, with health-checked failover, the primary's health check has
// declared it down.

/** Route 53 changes propagate within 60 s (AWS, docs/estimates.md D1); used for Cloud DNS and Azure DNS too, our judgement. */
export const DNS_PROPAGATION_SECONDS = 60;
/** An alias record takes its target's TTL, 60 s for a load balancer (AWS, docs/estimates.md D2). */
export const ALIAS_RECORD_TTL_SECONDS = 60;
/** external-dns' default record TTL (its --txt/--default TTL) when no `external-dns.alpha.kubernetes.io/ttl` is set. */
export const EXTERNAL_DNS_DEFAULT_TTL_SECONDS = 300;
/** Route 53 health check defaults: request_interval 30 s x failure_threshold 3 until the primary is declared unhealthy. */
export const HEALTH_CHECK_INTERVAL_SECONDS = 30;
export const HEALTH_CHECK_FAILURE_THRESHOLD = 3;
/** When a stack switches traffic without a record we can read, assume the TTL the project holds every record to. */
export const ASSUMED_TTL_SECONDS = MAX_CUTOVER_TTL_SECONDS;
