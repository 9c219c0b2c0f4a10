import { azureRegion } from "../../facts/azure-regions";
import { at, isSet, literalString, stringList } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule, type PolicySubject, type StackIndex } from "../types";

/** A resource's region: its literal `location`, or the literal location of the resource it takes it from (a resource group). */
function locationOf(subject: PolicySubject, stack: StackIndex): string | undefined {
  const own = subject.body.location;
  return literalString(own) ?? (own !== undefined ? literalString(stack.referenced(own)?.body.location) : undefined);
}

/** What the resource asks of the region's zones, in words; empty when it asks nothing. */
function zonalSettings(subject: PolicySubject): string[] {
  const { type, body } = subject;
  switch (type) {
    case "azurerm_kubernetes_cluster":
      return stringList(at(body, "default_node_pool", "zones")).length > 0
        ? [`default_node_pool.zones ${JSON.stringify(stringList(at(body, "default_node_pool", "zones")))}`]
        : [];
    case "azurerm_kubernetes_cluster_node_pool":
      return stringList(body.zones).length > 0 ? [`zones ${JSON.stringify(stringList(body.zones))}`] : [];
    case "azurerm_postgresql_flexible_server":
      return [
        ...(literalString(at(body, "high_availability", "mode")) === "ZoneRedundant" ? ['high_availability.mode "ZoneRedundant"'] : []),
        ...(isSet(body.zone) ? [`zone ${JSON.stringify(body.zone)}`] : []),
        ...(isSet(at(body, "high_availability", "standby_availability_zone")) ? ["high_availability.standby_availability_zone"] : []),
      ];
    default:
      return [];
  }
}

/**
 * Availability zones exist only in some Azure regions (facts/azure-regions.ts); AKS rejects zonal node pools and
 * Flexible Server rejects zone-redundant HA and a zone anywhere else. A geo-restore lands in the paired region, which
 * often has none (eastus -> westus). Regions missing from the table are not judged.
 */
export const ZonesInZoneRegions: PolicyRule = {
  id: "ZonesInZoneRegions",
  description: "AKS node pool zones and Flexible Server zone-redundant HA or zones are used only in Azure regions with availability zones.",
  severity: "error",
  appliesTo: ["azurerm_kubernetes_cluster", "azurerm_kubernetes_cluster_node_pool", "azurerm_postgresql_flexible_server"],
  source:
    "facts/azure-regions.ts (Azure Resource Manager zoneMappings; https://learn.microsoft.com/azure/reliability/regions-list); https://learn.microsoft.com/azure/aks/availability-zones; https://learn.microsoft.com/azure/reliability/reliability-postgresql-flexible-server",
  check: (subject, stack) => {
    const asked = zonalSettings(subject);
    if (asked.length === 0) return NOT_APPLICABLE;
    const cluster = subject.type === "azurerm_kubernetes_cluster_node_pool" ? stack.referenced(subject.body.kubernetes_cluster_id) : subject;
    const location = cluster === undefined ? undefined : locationOf(cluster, stack);
    const region = location === undefined ? undefined : azureRegion(location);
    if (region === undefined || region.zones) return region === undefined ? NOT_APPLICABLE : COMPLIANT;
    return nonCompliant(
      `${asked.join(", ")} in ${location}, which has no availability zones; drop the zones${subject.type === "azurerm_postgresql_flexible_server" ? ' (use high_availability.mode "SameZone")' : ""}, or recover into a region that has them`,
    );
  },
};
