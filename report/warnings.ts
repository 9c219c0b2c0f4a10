/**
 * What a reviewer must see before anyone runs `cdktf deploy`, beyond the policy pack's findings. The report shows
 * those from the same engine the synth runs, and keeps no copy of them: a public database, cache or data port is the
 * pack's DatabaseNotPublic, CacheNotPublic and NetworkIngressPrivate; a long DNS TTL its DnsRecordTtl and
 * ExternalDnsTtl; a replaceable or unprotected database and a floating image tag its DatabaseRestoreInputsIgnored,
 * DatabaseDeletionProtection, DatabasePreventDestroy and ContainerImagePinned. One rule per hazard, each a pure function of one block (and the graph, for context)
 * returning the findings; the rules only read the synthesized JSON.
 */
import { EXPECTED_OWNER_ANNOTATION, registryTxtNames } from "../facts/external-dns";
import type { DependencyGraph, GraphNode } from "./graph";
import { annotations, DNS_RECORD_TYPES, externalDnsHostname } from "./rto";
import { attribute } from "./stack-json";
import { AKS_VERSIONS_SOURCE, aksSupportStatus, supportedAksVersions } from "../facts/aks-versions";

export interface Finding {
  readonly rule: string;
  readonly address: string;
  readonly message: string;
}

/** What a rule may need beyond the stack itself. */
export interface WarningContext {
  /** When the report runs: support windows are measured against it. */
  readonly now: Date;
}

export interface WarningRule {
  readonly id: string;
  /** One line: what the rule catches and why it matters. */
  readonly description: string;
  readonly check: (node: GraphNode, graph: DependencyGraph, context: WarningContext) => string[];
}

export const WARNING_RULES: readonly WarningRule[] = [
  {
    id: "database-certificate-unverified",
    description: "Servers that do not verify the database's certificate talk to whatever answers on its address (encrypted, not authenticated).",
    check: (node) =>
      medplumDatabaseSslValues(node)
        .filter((ssl) => ssl.rejectUnauthorized === false)
        .map(
          () =>
            "MEDPLUM_DATABASE_SSL has rejectUnauthorized: false: the connection is encrypted, but the servers do not verify the database's certificate; " +
            "give the database's CA (on AWS: targets.aws.database.caBundleFile, the RDS CA bundle of the recovery region)",
        ),
  },
  {
    id: "traffic-before-servers",
    description: "A DNS switch that does not wait for the servers sends users to the recovery before it can serve them.",
    check: (node, graph) => {
      if (!DNS_RECORD_TYPES.has(node.type) && externalDnsHostname(node) === undefined) return [];
      if (node.step !== "traffic" && externalDnsHostname(node) === undefined) return [];
      const workloads = graph.nodes.filter((candidate) => candidate.kind === "resource" && SERVER_WORKLOAD_TYPES.has(candidate.type));
      if (workloads.length === 0) return [];
      const needed = transitiveDependencies(node, graph);
      return workloads.some((workload) => needed.has(workload.address))
        ? []
        : [
            `switches traffic without waiting for ${workloads.map((w) => w.address).join(", ")}: users are sent to the recovery while the database is still being restored; ` +
              "make the record (or the Ingress) depend on the server workload so a failed restore never takes traffic",
          ];
    },
  },
  {
    id: "external-dns-ownership",
    description: "external-dns changes only records its own --txt-owner-id owns: one made by hand or by another owner (the primary's) silently stays put.",
    check: (node) => {
      const host = externalDnsHostname(node);
      if (host === undefined) return [];
      const owner = annotations(node)[EXPECTED_OWNER_ANNOTATION];
      const expected = typeof owner === "string" ? `external-dns/owner=${owner}` : "the owner id this cluster's external-dns runs with (--txt-owner-id)";
      const [aName, cnameName] = registryTxtNames(host);
      return [
        `external-dns switches ${host} only if it owns the record: a record made by hand or by Terraform, or owned by another external-dns ` +
          "(the primary cluster's, under its own --txt-owner-id), is left pointing at the lost environment, logged at debug level only. " +
          `Check before the switch: \`dig +short TXT ${aName}\` (\`${cnameName}\` for a CNAME) is empty with no ${host} record, or shows ${expected}; ` +
          "otherwise take the record over as docs/targets/kubernetes.md says (delete it and its registry TXT, or --migrate-from-txt-owner), and check after it that the record moved",
      ];
    },
  },
  {
    id: "aks-version-out-of-support",
    description: "An AKS cluster pinned to a Kubernetes version past AKS's end of life: AKS creates no cluster on a retired version.",
    check: (node, _graph, { now }) => {
      if (node.type !== "azurerm_kubernetes_cluster") return [];
      const version = attribute(node.body, "kubernetes_version");
      if (typeof version !== "string" || version.includes("${")) return [];
      const status = aksSupportStatus(version, now);
      const supported = supportedAksVersions(now);
      const pin = supported.length > 0 ? `pin one AKS supports (${supported.join(", ")} per facts/aks-versions.ts, read ${AKS_VERSIONS_SOURCE.read})` : "pin one AKS supports (facts/aks-versions.ts is out of date: refresh it)";
      switch (status.status) {
        case "past-end-of-life":
          return [
            `Kubernetes ${version} reached its AKS end of life on ${status.support.endOfLife} (long-term support, which this stack does not enable, ends ${status.support.ltsEndOfLife}): creating the recovery cluster on it is likely to fail; ${pin}`,
          ];
        case "older-than-table":
          return [`Kubernetes ${version} is older than every version AKS still lists (the oldest, ${status.oldest.version}, reached end of life ${status.oldest.endOfLife}): creating the recovery cluster on it will fail; ${pin}`];
        default:
          return [];
      }
    },
  },
];

/** Literal `MEDPLUM_DATABASE_SSL` objects in an ECS task definition's containers or a ConfigMap's data. */
function medplumDatabaseSslValues(node: GraphNode): Array<Record<string, unknown>> {
  const literals: string[] = [];
  if (node.type === "aws_ecs_task_definition") {
    try {
      const containers = JSON.parse(String(attribute(node.body, "container_definitions") ?? "[]")) as Array<{ environment?: Array<{ name: string; value: string }> }>;
      for (const container of containers) for (const entry of container.environment ?? []) if (entry.name === "MEDPLUM_DATABASE_SSL") literals.push(entry.value);
    } catch {
      // Not literal JSON (interpolated): nothing to inspect.
    }
  } else if (node.type === "kubernetes_config_map_v1" || node.type === "kubernetes_config_map") {
    const value = attribute(node.body, "data.MEDPLUM_DATABASE_SSL");
    if (typeof value === "string") literals.push(value);
  }
  return literals.flatMap((literal) => {
    try {
      const parsed: unknown = JSON.parse(literal);
      return parsed !== null && typeof parsed === "object" ? [parsed as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });
}

/** Resources that run the Medplum servers; the traffic switch should come after them. */
const SERVER_WORKLOAD_TYPES: ReadonlySet<string> = new Set(["aws_ecs_service", "kubernetes_deployment_v1", "kubernetes_deployment", "google_cloud_run_v2_service", "azurerm_container_app"]);

function transitiveDependencies(node: GraphNode, graph: DependencyGraph): Set<string> {
  const seen = new Set<string>();
  const pending = [...node.dependsOn];
  while (pending.length > 0) {
    const address = pending.pop() as string;
    if (seen.has(address)) continue;
    seen.add(address);
    pending.push(...(graph.byAddress.get(address)?.dependsOn ?? []));
  }
  return seen;
}

export function findWarnings(graph: DependencyGraph, context: WarningContext = { now: new Date() }): Finding[] {
  return graph.nodes
    .filter((node) => node.kind === "resource")
    .flatMap((node) => WARNING_RULES.flatMap((rule) => rule.check(node, graph, context).map((message) => ({ rule: rule.id, address: node.address, message }))));
}

/**
 * Every `image` value anywhere in a body, including inside JSON-encoded strings (ECS container definitions) and
 * Kubernetes container blocks.
 */
export function imagesIn(value: unknown): string[] {
  const images: string[] = [];
  const visit = (item: unknown, key?: string) => {
    if (typeof item === "string") {
      if (key === "image") images.push(item);
      else if (/^\s*[[{]/.test(item)) {
        try {
          visit(JSON.parse(item));
        } catch {
          // Not JSON after all (or JSON with interpolations that break it): nothing to inspect.
        }
      }
    } else if (Array.isArray(item)) {
      for (const element of item) visit(element, key);
    } else if (item !== null && typeof item === "object") {
      for (const [childKey, child] of Object.entries(item)) if (childKey !== "//") visit(child, childKey);
    }
  };
  visit(value);
  return images;
}
