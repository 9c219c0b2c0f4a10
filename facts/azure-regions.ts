/**
 * What each Azure public-cloud region offers that a recovery depends on: availability zones (AKS zonal node pools,
 * zone-redundant Flexible Server HA, ZRS/GZRS storage need them) and its paired region (where a Flexible Server's
 * geo-redundant backups are kept, so the only region GeoRestore can restore into).
 *
 * Source: Microsoft's "Azure regions list", https://learn.microsoft.com/azure/reliability/regions-list (public source
 * MicrosoftDocs/reliability-docs, articles/reliability/regions-list.md, last changed 2026-07-28, the "All" tab), read
 * 2026-12-01. Every row below is that table's row: "Availability zone support" ticked means `zones: true`; a paired
 * region of "N/A" has no `pairedRegion`. Regions marked there as access-restricted (australiacentral2,
 * brazilsoutheast, francesouth, germanynorth, norwaywest, southafricawest, switzerlandwest, uaecentral; swedensouth
 * has no row of its own) need an access request before anything can be created in them.
 *
 * A region that is not in this table is treated as having no zones (the fallback that always applies) and no pair.
 */

export interface AzureRegionFacts {
  /** The region has availability zones (three, numbered "1" to "3"). */
  readonly zones: boolean;
  /** The region's pair; a Flexible Server's geo-redundant backup copy is kept there. Some pairs are one-way. */
  readonly pairedRegion?: string;
}

export const AZURE_REGIONS_SOURCE = {
  url: "https://learn.microsoft.com/azure/reliability/regions-list",
  file: "MicrosoftDocs/reliability-docs: articles/reliability/regions-list.md (last changed 2026-07-28)",
  read: "2026-12-01",
} as const;

/** Keyed by programmatic name (the `location` Terraform takes). */
export const AZURE_REGIONS: Readonly<Record<string, AzureRegionFacts>> = {
  australiacentral: { zones: false, pairedRegion: "australiacentral2" },
  australiacentral2: { zones: false, pairedRegion: "australiacentral" },
  australiaeast: { zones: true, pairedRegion: "australiasoutheast" },
  australiasoutheast: { zones: false, pairedRegion: "australiaeast" },
  austriaeast: { zones: true },
  belgiumcentral: { zones: true },
  brazilsouth: { zones: true, pairedRegion: "southcentralus" },
  brazilsoutheast: { zones: false, pairedRegion: "brazilsouth" },
  canadacentral: { zones: true, pairedRegion: "canadaeast" },
  canadaeast: { zones: false, pairedRegion: "canadacentral" },
  centralindia: { zones: true, pairedRegion: "southindia" },
  centralus: { zones: true, pairedRegion: "eastus2" },
  chilecentral: { zones: true },
  denmarkeast: { zones: true },
  eastasia: { zones: true, pairedRegion: "southeastasia" },
  eastus: { zones: true, pairedRegion: "westus" },
  eastus2: { zones: true, pairedRegion: "centralus" },
  francecentral: { zones: true, pairedRegion: "francesouth" },
  francesouth: { zones: false, pairedRegion: "francecentral" },
  germanynorth: { zones: false, pairedRegion: "germanywestcentral" },
  germanywestcentral: { zones: true, pairedRegion: "germanynorth" },
  indiasouthcentral: { zones: true, pairedRegion: "centralindia" },
  indonesiacentral: { zones: true },
  israelcentral: { zones: true },
  italynorth: { zones: true },
  japaneast: { zones: true, pairedRegion: "japanwest" },
  japanwest: { zones: true, pairedRegion: "japaneast" },
  koreacentral: { zones: true, pairedRegion: "koreasouth" },
  koreasouth: { zones: false, pairedRegion: "koreacentral" },
  malaysiawest: { zones: true },
  mexicocentral: { zones: true },
  newzealandnorth: { zones: true },
  northcentralus: { zones: false, pairedRegion: "southcentralus" },
  northeurope: { zones: true, pairedRegion: "westeurope" },
  norwayeast: { zones: true, pairedRegion: "norwaywest" },
  norwaywest: { zones: false, pairedRegion: "norwayeast" },
  polandcentral: { zones: true },
  qatarcentral: { zones: true },
  southafricanorth: { zones: true, pairedRegion: "southafricawest" },
  southafricawest: { zones: false, pairedRegion: "southafricanorth" },
  southcentralus: { zones: true, pairedRegion: "northcentralus" },
  southindia: { zones: false, pairedRegion: "centralindia" },
  southeastasia: { zones: true, pairedRegion: "eastasia" },
  spaincentral: { zones: true },
  swedencentral: { zones: true, pairedRegion: "swedensouth" },
  switzerlandnorth: { zones: true, pairedRegion: "switzerlandwest" },
  switzerlandwest: { zones: false, pairedRegion: "switzerlandnorth" },
  uaecentral: { zones: false, pairedRegion: "uaenorth" },
  uaenorth: { zones: true, pairedRegion: "uaecentral" },
  uksouth: { zones: true, pairedRegion: "ukwest" },
  ukwest: { zones: false, pairedRegion: "uksouth" },
  westcentralus: { zones: false, pairedRegion: "westus2" },
  westeurope: { zones: true, pairedRegion: "northeurope" },
  westindia: { zones: false, pairedRegion: "southindia" },
  westus: { zones: false, pairedRegion: "eastus" },
  westus2: { zones: true, pairedRegion: "westcentralus" },
  westus3: { zones: true, pairedRegion: "eastus" },
};

/** The region's row, or undefined when the table does not know it. */
export function azureRegion(name: string): AzureRegionFacts | undefined {
  return Object.prototype.hasOwnProperty.call(AZURE_REGIONS, name) ? AZURE_REGIONS[name] : undefined;
}

/** True only for a region the table knows to have availability zones. */
export function hasAvailabilityZones(name: string): boolean {
  return azureRegion(name)?.zones === true;
}

/** The regions whose pair is `name`: where a geo-restore into `name` can come from. */
export function regionsPairedInto(name: string): string[] {
  return Object.entries(AZURE_REGIONS)
    .filter(([, region]) => region.pairedRegion === name)
    .map(([source]) => source)
    .sort();
}
