import { isTrue, valueAt, isSet } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** Fields the google provider declares `ConflictsWith: []string{"enable_autopilot"}` on, in 6.50.0. */
export const AUTOPILOT_CONFLICTS: readonly string[] = [
  "addons_config.network_policy_config",
  "addons_config.dns_cache_config",
  "addons_config.stateful_ha_config",
  "cluster_autoscaling.enabled",
  "cluster_autoscaling.resource_limits",
  "binary_authorization.enabled",
  "enable_shielded_nodes",
  "network_policy",
  "node_pool",
  "remove_default_node_pool",
  "default_max_pods_per_node",
  "enable_intranode_visibility",
];

/** GKE Autopilot manages nodes, networking and these add-ons itself; the provider refuses the fields at plan time. */
export const AutopilotConflictingFields: PolicyRule = {
  id: "AutopilotConflictingFields",
  description: "An Autopilot GKE cluster sets none of the fields the google provider declares in conflict with enable_autopilot.",
  severity: "error",
  appliesTo: ["google_container_cluster"],
  source: "hashicorp/terraform-provider-google v6.50.0 google/services/container/resource_container_cluster.go (ConflictsWith enable_autopilot)",
  check: ({ body }) => {
    if (!isTrue(body.enable_autopilot)) return NOT_APPLICABLE;
    const set = AUTOPILOT_CONFLICTS.filter((path) => isSet(valueAt(body, path)));
    return set.length === 0
      ? COMPLIANT
      : nonCompliant(
          `enable_autopilot conflicts with ${set.join(", ")}; remove ${set.length === 1 ? "it" : "them"} (Autopilot manages ${set.length === 1 ? "it" : "them"} itself)`,
        );
  },
};
