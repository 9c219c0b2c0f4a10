/**
 * The modeled RTO of one stack: the critical path through its dependency graph, weighted by report/estimates.ts, plus
 * the DNS tail after each public record the traffic step changes (propagation + the record's TTL + health-check
 * detection for failover routing). Only the time `terraform apply` and DNS take: deciding to fail over, running the
 * pipeline and verifying the result come on top and are the operator's to add.
 */
import { criticalPath, type CriticalPath, type WeightedNode } from "./critical-path";
import {
  ALIAS_RECORD_TTL_SECONDS,
  ASSUMED_TTL_SECONDS,
  DNS_PROPAGATION_SECONDS,
  estimateFor,
  EXTERNAL_DNS_DEFAULT_TTL_SECONDS,
  HEALTH_CHECK_FAILURE_THRESHOLD,
  HEALTH_CHECK_INTERVAL_SECONDS,
  type CreationEstimate,
  type EstimateScenario,
} from "./estimates";
import { EXTERNAL_DNS_HOSTNAME_ANNOTATION, EXTERNAL_DNS_TTL_ANNOTATION } from "../facts/external-dns";
import type { DependencyGraph, GraphNode, StepName } from "./graph";
import { attribute } from "./stack-json";

export interface DnsTail {
  /** The record (or the annotated Kubernetes object) whose cached answers must expire. */
  readonly record: string;
  readonly ttlSeconds: number;
  /** Where the TTL came from: `ttl`, `alias record`, an annotation, or an assumption. */
  readonly ttlBasis: string;
  readonly propagationSeconds: number;
  readonly detectionSeconds: number;
  readonly totalSeconds: number;
}

export interface PathStep {
  readonly id: string;
  readonly kind: "resource" | "dns-tail";
  readonly type: string;
  readonly step: StepName | "dns";
  readonly minutes: number;
  readonly startMinutes: number;
  readonly finishMinutes: number;
  /** Why this many minutes: the estimate's source, or the DNS tail's breakdown. */
  readonly basis: string;
}

/** Creation times a drill measured (operations/drill-record.ts, measuredCreationMinutes), by resource address. */
export interface DrillMeasurements {
  readonly file: string;
  readonly drillDate: string;
  readonly byAddress: ReadonlyMap<string, number>;
}

export interface ModeledRto {
  /** With a drill's measured times where the drill measured the resource, estimates elsewhere: what the gate judges. */
  readonly minutes: Readonly<Record<EstimateScenario, number>>;
  /** From the estimate table alone, for the side-by-side with a drill. */
  readonly estimatedMinutes: Readonly<Record<EstimateScenario, number>>;
  /** The drill whose times were used, and how many of the stack's resources it measured. */
  readonly measured?: { readonly file: string; readonly drillDate: string; readonly resources: number };
  /** The critical path under typical estimates, in execution order; zero-weight pass-through nodes left out. */
  readonly path: readonly PathStep[];
  readonly dnsTails: readonly DnsTail[];
  /** Estimates used by resources of the stack, by type and variant, for the report's appendix. */
  readonly estimatesUsed: readonly CreationEstimate[];
}

/** Public DNS record types a traffic switch changes. */
export const DNS_RECORD_TYPES: ReadonlySet<string> = new Set([
  "aws_route53_record",
  "google_dns_record_set",
  "azurerm_dns_a_record",
  "azurerm_dns_aaaa_record",
  "azurerm_dns_cname_record",
]);
const EXTERNAL_DNS_HOSTNAME = EXTERNAL_DNS_HOSTNAME_ANNOTATION;
const EXTERNAL_DNS_TTL = EXTERNAL_DNS_TTL_ANNOTATION;
const TAIL_PREFIX = "dns-tail:";

/**
 * Readiness Terraform does not see: a block that references an Aurora cluster (its endpoint) gets the cluster's
 * address as soon as the cluster exists, but the endpoint answers only once a writer instance is up, so servers
 * started earlier fail their health checks until then. The model makes every block that references a cluster wait
 * for the instances of that cluster. Keyed by the referenced type; the value is the type that makes it usable.
 */
export const IMPLICIT_READINESS: Readonly<Record<string, string>> = {
  aws_rds_cluster: "aws_rds_cluster_instance",
};

export function modelRto(graph: DependencyGraph, drill?: DrillMeasurements): ModeledRto {
  const dnsTails = dnsTailsOf(graph);
  const implicit = implicitDependencies(graph);
  // The DNS tail is fixed by the records' settings, not by how fast the cloud creates things: the same in every scenario.
  const tailNodes: WeightedNode[] = dnsTails.map((tail) => ({
    id: `${TAIL_PREFIX}${tail.record}`,
    minutes: tail.totalSeconds / 60,
    dependsOn: tailDependencies(graph, tail.record),
  }));
  // A measured time is the same in every scenario: it is what happened, not a range.
  const measuredOf = (node: GraphNode): number | undefined => (node.kind === "resource" ? drill?.byAddress.get(node.address) : undefined);
  const weighted = (scenario: EstimateScenario, useDrill: boolean): WeightedNode[] => [
    ...graph.nodes.map((node) => ({
      id: node.address,
      minutes: node.kind === "resource" ? ((useDrill ? measuredOf(node) : undefined) ?? estimateFor(node.type, node.body)[scenario]) : 0,
      dependsOn: [...node.dependsOn, ...(implicit.get(node.address) ?? [])],
    })),
    ...tailNodes,
  ];
  const scenarios = (useDrill: boolean): Record<EstimateScenario, CriticalPath> => ({
    low: criticalPath(weighted("low", useDrill)),
    typical: criticalPath(weighted("typical", useDrill)),
    high: criticalPath(weighted("high", useDrill)),
  });
  const results = scenarios(true);
  const estimated = drill === undefined ? results : scenarios(false);
  const measuredCount = graph.nodes.filter((node) => measuredOf(node) !== undefined).length;

  const typical = results.typical;
  const path = typical.path
    .map((id): PathStep | undefined => {
      const finish = typical.finishMinutes.get(id) as number;
      if (id.startsWith(TAIL_PREFIX)) {
        const tail = dnsTails.find((candidate) => `${TAIL_PREFIX}${candidate.record}` === id) as DnsTail;
        return {
          id: `DNS tail after ${tail.record}`,
          kind: "dns-tail",
          type: "dns",
          step: "dns",
          minutes: tail.totalSeconds / 60,
          startMinutes: finish - tail.totalSeconds / 60,
          finishMinutes: finish,
          basis: describeTail(tail),
        };
      }
      const node = graph.byAddress.get(id) as GraphNode;
      if (node.kind !== "resource") return undefined;
      const estimate = estimateFor(node.type, node.body);
      const measured = measuredOf(node);
      if (measured !== undefined) {
        return {
          id,
          kind: "resource",
          type: node.type,
          step: node.step,
          minutes: measured,
          startMinutes: finish - measured,
          finishMinutes: finish,
          basis: `measured in the drill of ${drill!.drillDate.slice(0, 10)} (estimate ${estimate.typical} min)`,
        };
      }
      return {
        id,
        kind: "resource",
        type: node.type,
        step: node.step,
        minutes: estimate.typical,
        startMinutes: finish - estimate.typical,
        finishMinutes: finish,
        basis: estimate.source,
      };
    })
    .filter((step): step is PathStep => step !== undefined);

  const used = new Map<CreationEstimate, true>();
  for (const node of graph.nodes) if (node.kind === "resource") used.set(estimateFor(node.type, node.body), true);
  return {
    minutes: { low: results.low.totalMinutes, typical: results.typical.totalMinutes, high: results.high.totalMinutes },
    estimatedMinutes: { low: estimated.low.totalMinutes, typical: estimated.typical.totalMinutes, high: estimated.high.totalMinutes },
    ...(drill !== undefined && measuredCount > 0 ? { measured: { file: drill.file, drillDate: drill.drillDate, resources: measuredCount } } : {}),
    path,
    dnsTails,
    estimatesUsed: [...used.keys()].sort((a, b) => (a.type === b.type ? 0 : a.type < b.type ? -1 : 1)),
  };
}

/** Extra dependencies from IMPLICIT_READINESS, by dependent address. */
export function implicitDependencies(graph: DependencyGraph): ReadonlyMap<string, readonly string[]> {
  const extra = new Map<string, string[]>();
  for (const [usedType, readyType] of Object.entries(IMPLICIT_READINESS)) {
    for (const used of graph.nodes.filter((node) => node.type === usedType && node.kind === "resource")) {
      const makesReady = graph.nodes.filter((node) => node.type === readyType && node.dependsOn.includes(used.address)).map((node) => node.address);
      if (makesReady.length === 0) continue;
      for (const user of graph.nodes.filter((node) => node.dependsOn.includes(used.address) && node.type !== readyType)) {
        extra.set(user.address, [...(extra.get(user.address) ?? []), ...makesReady]);
      }
    }
  }
  return extra;
}

export function describeTail(tail: DnsTail): string {
  const parts = [`propagation ${tail.propagationSeconds} s`, `TTL ${tail.ttlSeconds} s (${tail.ttlBasis})`];
  if (tail.detectionSeconds > 0) parts.push(`health-check detection ${tail.detectionSeconds} s`);
  return parts.join(" + ");
}

/** The public records the recovery switches; records elsewhere (certificate validation, private zones) are not client-facing. */
function dnsTailsOf(graph: DependencyGraph): DnsTail[] {
  const candidates = graph.nodes.filter((node) => node.kind === "resource" && (DNS_RECORD_TYPES.has(node.type) || externalDnsHostname(node) !== undefined));
  const hasSteps = graph.nodes.some((node) => node.step !== "stack");
  // Prefer the traffic step's records; a stack that switches through an annotated Ingress (external-dns) keeps it with
  // the application, so fall back to every candidate.
  const inTraffic = candidates.filter((node) => node.step === "traffic");
  const switched = hasSteps && inTraffic.length > 0 ? inTraffic : candidates;
  const tails = switched.map((node) => tailFor(node, graph));
  if (tails.length > 0) return tails;
  // No record we can read (e.g. DNS managed outside this stack): clients still wait for a TTL after the switch.
  const traffic = graph.nodes.filter((node) => node.step === "traffic" && node.kind === "resource");
  const anchor = traffic.length > 0 ? "traffic step" : "stack";
  return [
    {
      record: `(${anchor}: no DNS record in this stack)`,
      ttlSeconds: ASSUMED_TTL_SECONDS,
      ttlBasis: "assumed; DNS is managed outside this stack",
      propagationSeconds: DNS_PROPAGATION_SECONDS,
      detectionSeconds: 0,
      totalSeconds: DNS_PROPAGATION_SECONDS + ASSUMED_TTL_SECONDS,
    },
  ];
}

function tailDependencies(graph: DependencyGraph, record: string): string[] {
  if (graph.byAddress.has(record)) return [record];
  const traffic = graph.nodes.filter((node) => node.step === "traffic" && node.kind === "resource");
  return (traffic.length > 0 ? traffic : graph.nodes).map((node) => node.address);
}

function tailFor(node: GraphNode, graph: DependencyGraph): DnsTail {
  const { ttlSeconds, ttlBasis } = ttlOf(node);
  const detectionSeconds = usesHealthCheckedFailover(node) ? healthCheckDetectionSeconds(node, graph) : 0;
  return {
    record: node.address,
    ttlSeconds,
    ttlBasis,
    propagationSeconds: DNS_PROPAGATION_SECONDS,
    detectionSeconds,
    totalSeconds: DNS_PROPAGATION_SECONDS + ttlSeconds + detectionSeconds,
  };
}

/** The TTL resolvers cache this record's answer for; exported for the TTL warning. */
export function ttlOf(node: GraphNode): { ttlSeconds: number; ttlBasis: string } {
  const annotationHost = externalDnsHostname(node);
  if (annotationHost !== undefined) {
    const ttl = Number(annotations(node)[EXTERNAL_DNS_TTL]);
    return Number.isFinite(ttl) && ttl > 0
      ? { ttlSeconds: ttl, ttlBasis: `${EXTERNAL_DNS_TTL} annotation` }
      : { ttlSeconds: EXTERNAL_DNS_DEFAULT_TTL_SECONDS, ttlBasis: "external-dns default; no ttl annotation" };
  }
  if (node.type === "aws_route53_record" && attribute(node.body, "alias") !== undefined) {
    return { ttlSeconds: ALIAS_RECORD_TTL_SECONDS, ttlBasis: "alias record to a load balancer" };
  }
  const ttl = Number(attribute(node.body, "ttl"));
  if (Number.isFinite(ttl) && ttl >= 0 && attribute(node.body, "ttl") !== undefined) return { ttlSeconds: ttl, ttlBasis: "ttl" };
  return { ttlSeconds: ASSUMED_TTL_SECONDS, ttlBasis: "not readable at plan time; assumed" };
}

function usesHealthCheckedFailover(node: GraphNode): boolean {
  return (
    attribute(node.body, "failover_routing_policy") !== undefined ||
    attribute(node.body, "health_check_id") !== undefined ||
    attribute(node.body, "routing_policy.primary_backup") !== undefined
  );
}

/** The primary's health check lives in the primary's stack; a health check in this stack tells us its settings, if any. */
function healthCheckDetectionSeconds(node: GraphNode, graph: DependencyGraph): number {
  const check = node.dependsOn.map((address) => graph.byAddress.get(address)).find((candidate) => candidate?.type === "aws_route53_health_check");
  const interval = Number(attribute(check?.body, "request_interval") ?? HEALTH_CHECK_INTERVAL_SECONDS);
  const threshold = Number(attribute(check?.body, "failure_threshold") ?? HEALTH_CHECK_FAILURE_THRESHOLD);
  return (Number.isFinite(interval) ? interval : HEALTH_CHECK_INTERVAL_SECONDS) * (Number.isFinite(threshold) ? threshold : HEALTH_CHECK_FAILURE_THRESHOLD);
}

/** `metadata.annotations` of a Kubernetes object; empty for anything else. */
export function annotations(node: GraphNode): Record<string, unknown> {
  const value = attribute(node.body, "metadata.annotations");
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

export function externalDnsHostname(node: GraphNode): string | undefined {
  if (!node.type.startsWith("kubernetes_")) return undefined;
  const host = annotations(node)[EXTERNAL_DNS_HOSTNAME];
  return typeof host === "string" ? host : undefined;
}
