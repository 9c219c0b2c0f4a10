/**
 * Default-deny for the server pods, then only what Medplum needs: in from the ingress controller on 8103; out to
 * the database, Redis, DNS, and HTTPS (object storage, secret and identity APIs). A NetworkPolicy is enforced only
 * when the cluster's network plugin supports it (GKE Dataplane V2, Azure CNI with Cilium/Calico, Calico, Cilium...).
 */
import { NetworkPolicyV1, type NetworkPolicyV1SpecEgress } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import type { Construct } from "constructs";
import { SERVER_NAME, SERVER_PORT } from "./labels";

/** An IP range (e.g. a managed service's subnet, or Google's load-balancer health-check ranges). */
export interface CidrPeer {
  readonly cidr: string;
  /** Ranges inside `cidr` to exclude. @default - none */
  readonly except?: readonly string[];
}

/** Pods in the cluster, by labels. Both empty means every pod in every namespace. */
export interface SelectorPeer {
  /** Namespace labels, e.g. `{ "kubernetes.io/metadata.name": "ingress-nginx" }`. @default - the workload's own namespace */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  /** Pod labels, e.g. `{ "app.kubernetes.io/name": "ingress-nginx" }`. @default - every pod of the selected namespaces */
  readonly podLabels?: Readonly<Record<string, string>>;
}

export type NetworkPeer = CidrPeer | SelectorPeer;

export interface NetworkPort {
  readonly port: number;
  /** @default "TCP" */
  readonly protocol?: "TCP" | "UDP";
}

/** An egress rule beyond the standard ones, e.g. the GKE metadata server (169.254.169.254/32 on 80) for workload identity. */
export interface EgressRule {
  readonly peers: readonly NetworkPeer[];
  readonly ports: readonly NetworkPort[];
}

export interface WorkloadNetworkPolicyOptions {
  /**
   * Who may reach the servers on 8103: the ingress controller's pods, or the load balancer's source ranges
   * (GKE container-native load balancing: 35.191.0.0/16 and 130.211.0.0/22 for health checks and proxies).
   */
  readonly ingressFrom: readonly NetworkPeer[];
  /** Where the database is: the restored Postgres pods, or the managed server's address range. Port from the database. */
  readonly database: readonly NetworkPeer[];
  /** Where Redis is: the Redis pods, or the managed cache's address range. Port from the cache. */
  readonly cache: readonly NetworkPeer[];
  /** DNS resolvers. @default - any destination on port 53 (kube-dns, NodeLocal DNSCache and cloud resolvers differ) */
  readonly dns?: readonly NetworkPeer[];
  /** HTTPS destinations: object storage, secret and identity APIs. @default - anywhere (0.0.0.0/0 and ::/0) */
  readonly https?: readonly NetworkPeer[];
  /** Further egress, e.g. an SMTP relay or a metadata server. @default - none */
  readonly additionalEgress?: readonly EgressRule[];
}

export interface WorkloadNetworkPolicyProps extends WorkloadNetworkPolicyOptions {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly selector: Readonly<Record<string, string>>;
  readonly databasePort: number;
  readonly cachePort: number;
}

export const ANYWHERE: readonly NetworkPeer[] = [{ cidr: "0.0.0.0/0" }, { cidr: "::/0" }];

function peer(candidate: NetworkPeer) {
  if ("cidr" in candidate) {
    return { ipBlock: { cidr: candidate.cidr, ...(candidate.except !== undefined ? { except: [...candidate.except] } : {}) } };
  }
  return {
    ...(candidate.namespaceLabels !== undefined ? { namespaceSelector: { matchLabels: { ...candidate.namespaceLabels } } } : {}),
    podSelector: { matchLabels: { ...(candidate.podLabels ?? {}) } },
  };
}

const ports = (list: readonly NetworkPort[]) => list.map((entry) => ({ port: String(entry.port), protocol: entry.protocol ?? "TCP" }));

export function createNetworkPolicy(scope: Construct, props: WorkloadNetworkPolicyProps): NetworkPolicyV1 {
  const egress: NetworkPolicyV1SpecEgress[] = [
    { to: props.database.map(peer), ports: ports([{ port: props.databasePort }]) },
    { to: props.cache.map(peer), ports: ports([{ port: props.cachePort }]) },
    {
      ...(props.dns !== undefined ? { to: props.dns.map(peer) } : {}),
      ports: ports([
        { port: 53, protocol: "UDP" },
        { port: 53, protocol: "TCP" },
      ]),
    },
    { to: (props.https ?? ANYWHERE).map(peer), ports: ports([{ port: 443 }]) },
    ...(props.additionalEgress ?? []).map((rule) => ({ to: rule.peers.map(peer), ports: ports(rule.ports) })),
  ];
  return new NetworkPolicyV1(scope, "networkPolicy", {
    metadata: { name: SERVER_NAME, namespace: props.namespace, labels: { ...props.labels } },
    spec: {
      podSelector: { matchLabels: { ...props.selector } },
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from: props.ingressFrom.map(peer), ports: ports([{ port: SERVER_PORT }]) }],
      egress,
    },
  });
}
