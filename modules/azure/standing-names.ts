/**
 * Names shared by recovery-azure and standby-azure: what standby builds in the recovery region and the recovery finds
 * there by name (never through the other stack's state). Both derive them from the same config, so they agree.
 */
import type { RecoveryConfig } from "../../config/schema";
import type { AzureStandbyConfig } from "../../config/schema/azure";
import { keepsStandingInfrastructure } from "../standby-contracts";

/** The tiers whose standing infrastructure (VNet, cluster) the recovery adopts instead of creating. */
export function adoptsStandingInfrastructure(standby: AzureStandbyConfig | undefined): boolean {
  return keepsStandingInfrastructure(standby?.tier);
}

/** The resource group standby-azure creates in the recovery region. */
export function standbyResourceGroupName(config: RecoveryConfig, standby: AzureStandbyConfig): string {
  return standby.resourceGroupName ?? `${config.environment}-standby-rg`;
}

/** The AKS cluster a pilot-light standby keeps; the recovery reads it with a data source. */
export function standingClusterName(config: RecoveryConfig): string {
  return `${config.environment}-aks`;
}

/** The read replica a warm standby keeps; the recovery's replica-promotion mode names it in replicaServerId. */
export function standbyReplicaName(config: RecoveryConfig, standby: AzureStandbyConfig): string {
  return standby.database.replicaServerName ?? `${config.environment}-pg-replica`;
}
