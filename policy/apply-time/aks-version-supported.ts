import { AKS_VERSIONS_SOURCE, aksSupportStatus, supportedAksVersions } from "../../facts/aks-versions";
import { literalString } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/**
 * The AKS cluster is pinned to a Kubernetes version AKS still supports: AKS creates no cluster on a retired version,
 * so a recovery pinned to one fails at apply time. Judged against the day the check runs (the table's dates are in
 * facts/aks-versions.ts), so a config that passed last quarter can fail today, which is the point.
 */
export const AksVersionSupported: PolicyRule = {
  id: "AksVersionSupported",
  description: "The AKS cluster's kubernetes_version is one AKS still supports today (facts/aks-versions.ts).",
  severity: "warning",
  appliesTo: ["azurerm_kubernetes_cluster"],
  source: `${AKS_VERSIONS_SOURCE.url} (facts/aks-versions.ts, read ${AKS_VERSIONS_SOURCE.read})`,
  check: ({ body }) => {
    const version = literalString(body.kubernetes_version);
    if (version === undefined) return NOT_APPLICABLE;
    const now = new Date();
    const status = aksSupportStatus(version, now);
    const supported = supportedAksVersions(now);
    const pin =
      supported.length > 0
        ? `pin one AKS supports (${supported.join(", ")} per facts/aks-versions.ts, read ${AKS_VERSIONS_SOURCE.read})`
        : "pin one AKS supports (facts/aks-versions.ts is out of date: refresh it)";
    switch (status.status) {
      case "past-end-of-life":
        return nonCompliant(
          `Kubernetes ${version} reached its AKS end of life on ${status.support.endOfLife} (long-term support, which this stack does not enable, ends ${status.support.ltsEndOfLife}): creating the recovery cluster on it is likely to fail; ${pin}`,
        );
      case "older-than-table":
        return nonCompliant(
          `Kubernetes ${version} is older than every version AKS still lists (the oldest, ${status.oldest.version}, reached end of life ${status.oldest.endOfLife}): creating the recovery cluster on it will fail; ${pin}`,
        );
      default:
        return COMPLIANT;
    }
  },
};
