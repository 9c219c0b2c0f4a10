/** Config network peers (namespace names, labels, CIDRs) as the shared workload's NetworkPeer values. */
import type { NetworkPeer } from "../workload";
import type { KubernetesTargetConfig } from "../../../config/schema";

type ConfigPeer = KubernetesTargetConfig["ingress"]["allowedFrom"][number];

export function networkPeer(peer: ConfigPeer): NetworkPeer {
  if ("cidr" in peer) return { cidr: peer.cidr };
  return {
    // Every namespace carries its name as this label (Kubernetes 1.22+), so a name is enough to select it.
    ...(peer.namespace !== undefined ? { namespaceLabels: { "kubernetes.io/metadata.name": peer.namespace } } : {}),
    ...(peer.podLabels !== undefined ? { podLabels: { ...peer.podLabels } } : {}),
  };
}
