import { azureRegion, regionsPairedInto } from "../../facts/azure-regions";
import { literalString } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/**
 * GeoRestore restores a server's geo-redundant backup, which Azure keeps in the source region's paired region only,
 * so the new server's location must be some region's pair (facts/azure-regions.ts). A server id carries no region, so
 * which source region it is cannot be read here; config's cross-field rule checks the exact pair.
 */
export const FlexibleServerGeoRestoreTarget: PolicyRule = {
  id: "FlexibleServerGeoRestoreTarget",
  description: "A Flexible Server GeoRestore targets a region that is another region's geo-backup pair.",
  severity: "error",
  appliesTo: ["azurerm_postgresql_flexible_server"],
  source: "https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-backup-restore (geo-restore to the paired region); facts/azure-regions.ts",
  check: ({ body }) => {
    if (literalString(body.create_mode) !== "GeoRestore") return NOT_APPLICABLE;
    const location = literalString(body.location);
    if (location === undefined || azureRegion(location) === undefined) return NOT_APPLICABLE;
    const sources = regionsPairedInto(location);
    return sources.length > 0
      ? COMPLIANT
      : nonCompliant(
          `create_mode GeoRestore into ${location}, which is no region's geo-backup pair; geo-restore into the lost region's pair (${azureRegion(location)?.pairedRegion ?? "none"} is ${location}'s own pair, not a source of it)`,
        );
  },
};
