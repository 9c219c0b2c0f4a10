import { anyReference, at, block, blocks, isReference, isSet, isTrue } from "../json";
import { CANNOT_TELL, COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** The cluster's nodes have no public IPs, or its API server answers only an allow-list of networks. */
export const ClusterPrivateAccess: PolicyRule = {
  id: "ClusterPrivateAccess",
  description: "Managed clusters use private nodes or restrict the API server to an allow-list.",
  severity: "error",
  appliesTo: ["google_container_cluster", "azurerm_kubernetes_cluster"],
  check: ({ type, body }) => {
    switch (type) {
      case "google_container_cluster": {
        const privateNodes = isTrue(at(body, "private_cluster_config", "enable_private_nodes"));
        const cidrBlocks = block(body.master_authorized_networks_config)?.cidr_blocks;
        if (privateNodes || blocks(cidrBlocks).length > 0) return COMPLIANT;
        return anyReference(at(body, "private_cluster_config", "enable_private_nodes"), cidrBlocks)
          ? CANNOT_TELL
          : nonCompliant("private_cluster_config.enable_private_nodes is not true and master_authorized_networks_config lists no cidr_blocks; use private nodes or an API allow-list");
      }
      case "azurerm_kubernetes_cluster":
        if (isTrue(body.private_cluster_enabled) || isSet(at(body, "api_server_access_profile", "authorized_ip_ranges"))) return COMPLIANT;
        return isReference(body.private_cluster_enabled)
          ? CANNOT_TELL
          : nonCompliant("private_cluster_enabled is not true and api_server_access_profile.authorized_ip_ranges is empty; use a private cluster or an API allow-list");
      default:
        return NOT_APPLICABLE;
    }
  },
};
