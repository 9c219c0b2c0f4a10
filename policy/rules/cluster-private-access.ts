import { cidrPrefix, ipv4ToNumber, isIpv4Address, isPrivateIpv4Block } from "../../config/schema/identifiers";
import { anyReference, at, block, blocks, isReference, isSet, isTrue } from "../json";
import { CANNOT_TELL, COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule, type RuleResult } from "../types";

/**
 * Narrower than this, a public range is a plausible allow-list entry (an office, a VPN egress, a CI provider's
 * published ranges); wider, it is no restriction at all (0.0.0.0/0, or 0.0.0.0/1 + 128.0.0.0/1, let everyone in).
 */
const WIDEST_ENTRY = 8;
/** Public ranges wider than this (more than 65 536 addresses) are legal but broad: a warning asks to narrow them. */
const BROAD_PUBLIC = 16;

/**
 * What an allow-list of the API server lets in: an error when an entry opens it to (nearly) the whole internet, a
 * warning when a public entry is broad, `undefined` when every entry is narrow or private (RFC 1918).
 */
function allowListExposure(cidrs: readonly unknown[], field: string): RuleResult | undefined {
  let broad: string | undefined;
  for (const cidr of cidrs) {
    if (typeof cidr !== "string" || cidr.includes("${")) continue;
    const [address = "", prefixText] = cidr.split("/");
    const prefix = prefixText === undefined ? 32 : cidrPrefix(cidr);
    if (prefix === undefined || !isIpv4Address(address)) {
      // IPv6: ::/0 and anything wider than a /16 is just as open.
      if (cidr.includes(":") && prefix !== undefined && prefix < 16)
        return nonCompliant(
          `${field} lists ${cidr}, which lets the whole IPv6 internet reach the API server; list where Terraform and operators run, or make the cluster private`,
        );
      continue;
    }
    if (prefix < WIDEST_ENTRY) {
      return nonCompliant(
        `${field} lists ${cidr}, which lets ${prefix === 0 ? "the whole internet" : `1/${2 ** prefix} of the internet`} reach the API server, so the allow-list restricts nothing; list where Terraform and operators run, or make the cluster private`,
      );
    }
    if (prefix < BROAD_PUBLIC && !isPrivateIpv4Block(ipv4ToNumber(address) - (ipv4ToNumber(address) % 2 ** (32 - prefix)), prefix)) broad ??= cidr;
  }
  return broad === undefined
    ? undefined
    : nonCompliant(
        `${field} lists ${broad}, a public range of ${2 ** (32 - (cidrPrefix(broad) ?? 32))} addresses; narrow it to where Terraform and operators run`,
        "warning",
      );
}

/**
 * The cluster's nodes have no public IPs, or its API server answers only an allow-list of networks; and an allow-list
 * of 0.0.0.0/0 (or of ranges that add up to the internet) is no allow-list.
 */
export const ClusterPrivateAccess: PolicyRule = {
  id: "ClusterPrivateAccess",
  description: "Managed clusters use private nodes or restrict the API server to an allow-list.",
  severity: "error",
  appliesTo: ["google_container_cluster", "azurerm_kubernetes_cluster"],
  check: ({ type, body }) => {
    switch (type) {
      case "google_container_cluster": {
        const privateNodes = isTrue(at(body, "private_cluster_config", "enable_private_nodes"));
        const cidrBlocks = blocks(block(body.master_authorized_networks_config)?.cidr_blocks);
        const exposure = allowListExposure(
          cidrBlocks.map((entry) => entry.cidr_block),
          "master_authorized_networks_config.cidr_blocks",
        );
        if (exposure !== undefined) return exposure;
        if (privateNodes || cidrBlocks.length > 0) return COMPLIANT;
        return anyReference(at(body, "private_cluster_config", "enable_private_nodes"), block(body.master_authorized_networks_config)?.cidr_blocks)
          ? CANNOT_TELL
          : nonCompliant(
              "private_cluster_config.enable_private_nodes is not true and master_authorized_networks_config lists no cidr_blocks; use private nodes or an API allow-list",
            );
      }
      case "azurerm_kubernetes_cluster": {
        const ranges = at(body, "api_server_access_profile", "authorized_ip_ranges");
        const exposure =
          isTrue(body.private_cluster_enabled) || !Array.isArray(ranges)
            ? undefined
            : allowListExposure(ranges, "api_server_access_profile.authorized_ip_ranges");
        if (exposure !== undefined) return exposure;
        if (isTrue(body.private_cluster_enabled) || isSet(ranges)) return COMPLIANT;
        return isReference(body.private_cluster_enabled)
          ? CANNOT_TELL
          : nonCompliant(
              "private_cluster_enabled is not true and api_server_access_profile.authorized_ip_ranges is empty; use a private cluster or an API allow-list",
            );
      }
      default:
        return NOT_APPLICABLE;
    }
  },
};
