/**
 * The recovery Key Vault in the recovery region, holding Medplum's secrets before the day: the primary region's vault
 * is read-only during a regional failover (https://learn.microsoft.com/azure/key-vault/general/disaster-recovery-guidance),
 * and a recovery cannot create what only peacetime knows. With `primaryKeyVaultId`, each secret the recovery config
 * names (targets.azure.secrets.names) is copied from the primary's vault: a data source reads it with the primary
 * provider and an `azurerm_key_vault_secret` writes it here. The values are references in the configuration and
 * sensitive in state, never literals. Without it, the vault is created empty and filled by hand.
 */
import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import { DataAzurermKeyVaultSecret } from "@cdktf/provider-azurerm/lib/data-azurerm-key-vault-secret";
import type { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { KeyVaultSecret } from "@cdktf/provider-azurerm/lib/key-vault-secret";
import type { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { Construct } from "constructs";
import type { AzureTargetConfig } from "../../../config/schema";
import type { AzureStandbyConfig } from "../../../config/schema/azure";
import { createRecoveryKeyVault, vaultSecretReference } from "../secrets";
import type { AzureSecretsInRecoveryLocation } from "./results";

export interface StandbySecretsProps {
  readonly primary: AzurermProvider;
  readonly standby: AzureStandbyConfig["secrets"];
  /** The recovery config's secrets section: the names the recovery reads, and where Terraform runs. */
  readonly secrets: AzureTargetConfig["secrets"];
  readonly tenantId: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
}

export class StandbySecrets extends Construct {
  readonly vault: KeyVault;
  /** The grant that lets the identity running Terraform write secrets and certificates into the vault. */
  readonly writerGrant: RoleAssignment;
  readonly secrets: AzureSecretsInRecoveryLocation;

  constructor(scope: Construct, id: string, props: StandbySecretsProps) {
    super(scope, id);
    // The recovery adds its private endpoint; until then only the ranges Terraform runs from reach the vault.
    this.vault = createRecoveryKeyVault(this, "vault", {
      name: props.standby.keyVaultName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tenantId: props.tenantId,
      softDeleteRetentionDays: props.standby.softDeleteRetentionDays,
      terraformIpRanges: props.secrets.terraformIpRanges,
      tags: props.tags,
    });
    // RBAC vaults grant no data-plane access to their creator.
    const runner = new DataAzurermClientConfig(this, "runner", {});
    this.writerGrant = new RoleAssignment(this, "writer", {
      scope: this.vault.id,
      roleDefinitionName: "Key Vault Secrets Officer",
      principalId: runner.objectId,
    });

    const names = Object.values(props.secrets.names).filter((name): name is string => name !== undefined);
    const primaryVaultId = props.standby.primaryKeyVaultId;
    if (primaryVaultId !== undefined) {
      for (const name of names) {
        const source = new DataAzurermKeyVaultSecret(this, `primary-${name}`, { provider: props.primary, name, keyVaultId: primaryVaultId });
        new KeyVaultSecret(this, `copy-${name}`, {
          name,
          keyVaultId: this.vault.id,
          value: source.value,
          contentType: "copied from the primary vault by standby-azure",
          dependsOn: [this.writerGrant],
        });
      }
    }
    this.secrets = {
      vaultId: this.vault.id,
      runnerObjectId: runner.objectId,
      secrets: names.map((name) => vaultSecretReference(props.standby.keyVaultName, name)),
    };
  }
}
