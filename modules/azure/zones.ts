/**
 * Where the Azure recovery uses availability zones. GeoRestore lands in the lost region's pair, which often has none
 * (eastus -> westus): there an AKS node pool with zones, a ZoneRedundant Flexible Server or GZRS storage fails to
 * create. So what config leaves to its defaults follows the recovery region (facts/azure-regions.ts), and config that
 * asks for zones a region lacks is refused (config/schema/azure.ts). The plan report repeats `fallbacks`.
 */
import type { AzureTargetConfig } from "../../config/schema";
import { azureRegion, hasAvailabilityZones } from "../../facts/azure-regions";

export type HighAvailabilityMode = "ZoneRedundant" | "SameZone" | "disabled";
export type StorageReplication = "LRS" | "ZRS" | "GRS" | "RAGRS" | "GZRS" | "RAGZRS";

export interface ZonePlan {
  /** The AKS node pool's zones; empty for a pool without zones. */
  readonly nodePoolZones: readonly string[];
  readonly databaseHighAvailability: HighAvailabilityMode;
  /** Replication of a storage account the stack creates. */
  readonly storageReplication: StorageReplication;
  /** What fell back to no zones and why, for the plan report; empty when nothing did. */
  readonly fallbacks: readonly string[];
}

export const ALL_ZONES = ["1", "2", "3"] as const;

export function zonePlan(azure: AzureTargetConfig): ZonePlan {
  const region = azure.region;
  const zones = hasAvailabilityZones(region);
  const why =
    azureRegion(region) === undefined
      ? `${region} is not in the region table (facts/azure-regions.ts), so it is not assumed to have availability zones`
      : `${region} has no availability zones`;
  const fallbacks: string[] = [];

  const nodePoolZones = azure.cluster.zones ?? (zones ? ALL_ZONES : []);
  if (!zones && azure.cluster.zones === undefined) fallbacks.push(`the AKS node pool runs without availability zones (${why})`);

  const databaseHighAvailability = azure.database.highAvailability ?? (zones ? "ZoneRedundant" : "SameZone");
  if (!zones && azure.database.highAvailability === undefined) fallbacks.push(`the Flexible Server's standby is SameZone, not ZoneRedundant (${why})`);

  const requested = azure.storage.mode === "new" ? azure.storage.replication : undefined;
  const storageReplication = requested ?? (zones ? "GZRS" : "GRS");
  if (!zones && azure.storage.mode === "new" && requested === undefined) fallbacks.push(`the new storage account replicates GRS, not GZRS (${why})`);

  return { nodePoolZones, databaseHighAvailability, storageReplication, fallbacks };
}
