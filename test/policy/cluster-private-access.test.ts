/**
 * ClusterPrivateAccess beyond "is there an allow-list": an allow-list that lets the whole internet in (0.0.0.0/0, or
 * halves that add up to it) is an error; a broad public range is a warning; private and narrow ranges pass.
 */
import { findingsOf, stack } from "./helpers";

const aks = (ranges: string[]) => stack({ "azurerm_kubernetes_cluster.aks": { api_server_access_profile: { authorized_ip_ranges: ranges } } });
const gke = (cidrs: string[], privateNodes = false) =>
  stack({
    "google_container_cluster.gke": {
      private_cluster_config: { enable_private_nodes: privateNodes },
      master_authorized_networks_config: { cidr_blocks: cidrs.map((cidr_block) => ({ cidr_block })) },
    },
  });

describe("ClusterPrivateAccess and what an API-server allow-list lets in", () => {
  it.each([
    [
      "AKS",
      aks(["0.0.0.0/0"]),
      /api_server_access_profile\.authorized_ip_ranges lists 0\.0\.0\.0\/0, which lets the whole internet reach the API server, so the allow-list restricts nothing/,
    ],
    [
      "GKE with private nodes",
      gke(["0.0.0.0/0"], true),
      /master_authorized_networks_config\.cidr_blocks lists 0\.0\.0\.0\/0, which lets the whole internet reach/,
    ],
    ["AKS with two halves of the internet", aks(["203.0.113.0/24", "0.0.0.0/1", "128.0.0.0/1"]), /lists 0\.0\.0\.0\/1, which lets 1\/2 of the internet reach/],
    ["AKS with an IPv6 catch-all", aks(["::/0"]), /lists ::\/0, which lets the whole IPv6 internet reach/],
  ])("is an error for %s open to everyone", (_name, json, message) => {
    const findings = findingsOf("ClusterPrivateAccess", json);
    expect(findings.map((finding) => [finding.severity, finding.message])).toEqual([["error", expect.stringMatching(message)]]);
  });

  it("is a warning for a broad public range, naming it and its size", () => {
    const findings = findingsOf("ClusterPrivateAccess", gke(["198.51.100.0/24", "52.0.0.0/10"]));
    expect(findings.map((finding) => [finding.severity, finding.message])).toEqual([
      [
        "warning",
        "master_authorized_networks_config.cidr_blocks lists 52.0.0.0/10, a public range of 4194304 addresses; narrow it to where Terraform and operators run",
      ],
    ]);
  });

  it("accepts private ranges of any size and narrow public ones", () => {
    expect(findingsOf("ClusterPrivateAccess", aks(["10.0.0.0/8", "192.168.0.0/16", "203.0.113.0/24", "198.51.100.7"]))).toEqual([]);
    expect(findingsOf("ClusterPrivateAccess", gke(["172.16.0.0/12", "203.0.0.0/16"]))).toEqual([]);
  });
});
