/**
 * The standby stack's providers. `primary` (aliased, in the subscription of the primary server's id) only reads: the
 * primary's server and vault secrets; every resource and data source that acts on the primary names it. The default
 * provider is the recovery subscription's, where everything standby creates lives, so the constructs the recovery
 * bundle is built from (network, cluster, Flexible Server) serve standby unchanged.
 */
import { AzurermProvider, type AzurermProviderFeatures } from "@cdktf/provider-azurerm/lib/provider";
import type { TerraformStack } from "cdktf";
import type { AzureTargetConfig } from "../../../config/schema";
import type { AzureStandbyConfig } from "../../../config/schema/azure";
import { configureStateBackend } from "../../../providers/backend";
import { parseResourceId } from "../resource-id";

export interface AzureStandbyProviders {
  readonly primary: AzurermProvider;
  readonly recovery: AzurermProvider;
}

const FEATURES: AzurermProviderFeatures[] = [
  {
    // The recovery vault's secrets are what a recovery cannot recreate: never purge them on destroy.
    keyVault: [
      { purgeSoftDeleteOnDestroy: false, purgeSoftDeletedSecretsOnDestroy: false, recoverSoftDeletedKeyVaults: true, recoverSoftDeletedSecrets: true },
    ],
    resourceGroup: [{ preventDeletionIfContainsResources: true }],
  },
];

export function configureStandbyProviders(
  stack: TerraformStack,
  stackName: string,
  azure: AzureTargetConfig,
  standby: AzureStandbyConfig,
): AzureStandbyProviders {
  configureStateBackend(stack, stackName, standby.backend);
  const common = { tenantId: azure.tenantId, storageUseAzuread: true, features: FEATURES };
  const primary = new AzurermProvider(stack, "primary", {
    ...common,
    alias: "primary",
    subscriptionId: parseResourceId(standby.database.primaryServerId).subscriptionId,
  });
  const recovery = new AzurermProvider(stack, "recovery", { ...common, subscriptionId: azure.subscriptionId });
  return { primary, recovery };
}
