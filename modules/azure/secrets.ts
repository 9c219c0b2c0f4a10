/**
 * The recovery Key Vault and Medplum's sensitive settings in it. The primary region's vault is read-only during a
 * regional failover, so the recovery has its own, in the recovery region, filled in peacetime (docs/targets/azure.md).
 * `existing`: that vault, named by id. `new`: created here with purge protection, RBAC authorization and a firewall
 * (apply it ahead of time with -target and fill it, so the secrets are there when the recovery needs them).
 *
 * How the servers get the values: Terraform reads them with `azurerm_key_vault_secret` data sources and puts the
 * references into a Kubernetes Secret (kubernetes_secret_v1). The Key Vault CSI driver's SecretProviderClass is a
 * custom resource, which the typed kubernetes provider cannot express and `kubernetes_manifest` cannot plan before
 * the cluster exists; the shared workload reads every sensitive variable from a Kubernetes Secret. The values are
 * sensitive in state, never in the configuration. The servers' identity is still granted Key Vault Secrets User so the
 * CSI driver or Medplum's own `azure:` config source can replace this later without new grants.
 */
import { DataAzurermKeyVaultSecret } from "@cdktf/provider-azurerm/lib/data-azurerm-key-vault-secret";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { Construct } from "constructs";
import type { AzureTargetConfig } from "../../config/schema";
import type { ApplicationSecrets, SecretReference } from "../contracts";
import type { CacheAccessKey } from "./cache";
import { createPrivateEndpoint } from "./private-endpoint";
import { parseResourceId } from "./resource-id";

/** Medplum environment variables read from the vault, and the config key naming each secret (absent: not read). */
export const VAULT_VARIABLES = {
  MEDPLUM_DATABASE_PASSWORD: "databasePassword",
  MEDPLUM_SIGNING_KEY: "signingKey",
  MEDPLUM_SIGNING_KEY_ID: "signingKeyId",
  MEDPLUM_SIGNING_KEY_PASSPHRASE: "signingKeyPassphrase",
  MEDPLUM_SMTP_PASSWORD: "smtpPassword",
} as const;
export type VaultVariable = keyof typeof VAULT_VARIABLES;

export interface RecoveryVaultProps {
  readonly secrets: AzureTargetConfig["secrets"];
  readonly tenantId: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly privateEndpointSubnetId: string;
  readonly privateDnsZoneId: string;
  readonly namePrefix: string;
  /** Where the servers' Redis key comes from: the recovery's cache, or a secret in this vault (cache mode existing). */
  readonly cacheAccessKey: CacheAccessKey;
  readonly tags: Readonly<Record<string, string>>;
}

/** The vault's name and URI, known at synth time in both modes (so secret references are literal ids). */
export function recoveryVaultName(keyVault: AzureTargetConfig["secrets"]["keyVault"]): string {
  return keyVault.mode === "existing" ? parseResourceId(keyVault.id).name : keyVault.name;
}

export function vaultSecretReference(vaultName: string, secretName: string): SecretReference {
  return { store: "azure-key-vault", id: `https://${vaultName}.vault.azure.net/secrets/${secretName}` };
}

export class RecoveryVault extends Construct {
  readonly vaultId: string;
  readonly vaultName: string;
  /** Terraform references to the secret values, per variable the config names; only for a Kubernetes Secret's data. */
  readonly valueReferences: Readonly<Partial<Record<VaultVariable, string>>>;
  /** The Redis key as a Terraform reference, for the servers' Kubernetes Secret. */
  readonly cacheAccessKeyReference: string;
  readonly applicationSecrets: ApplicationSecrets;

  constructor(scope: Construct, id: string, props: RecoveryVaultProps) {
    super(scope, id);
    const { secrets } = props;
    this.vaultName = recoveryVaultName(secrets.keyVault);

    if (secrets.keyVault.mode === "existing") {
      this.vaultId = secrets.keyVault.id;
    } else {
      const vault = createRecoveryKeyVault(this, "vault", {
        name: secrets.keyVault.name,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        tenantId: props.tenantId,
        softDeleteRetentionDays: secrets.keyVault.softDeleteRetentionDays,
        terraformIpRanges: secrets.terraformIpRanges,
        tags: props.tags,
      });
      this.vaultId = vault.id;
    }

    createPrivateEndpoint(this, "endpoint", {
      name: `${props.namePrefix}-kv-pe`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      subnetId: props.privateEndpointSubnetId,
      resourceId: this.vaultId,
      subresource: "vault",
      privateDnsZoneId: props.privateDnsZoneId,
      tags: props.tags,
    });

    const references: Partial<Record<VaultVariable, string>> = {};
    const environment: Record<string, SecretReference> = {};
    for (const variable of Object.keys(VAULT_VARIABLES) as VaultVariable[]) {
      const secretName = secrets.names[VAULT_VARIABLES[variable]];
      if (secretName === undefined) continue;
      const secret = new DataAzurermKeyVaultSecret(this, VAULT_VARIABLES[variable], { name: secretName, keyVaultId: this.vaultId });
      references[variable] = secret.value;
      environment[variable] = vaultSecretReference(this.vaultName, secretName);
    }
    this.valueReferences = references;
    this.cacheAccessKeyReference =
      props.cacheAccessKey.kind === "attribute"
        ? props.cacheAccessKey.reference
        : new DataAzurermKeyVaultSecret(this, "cacheAccessKey", { name: props.cacheAccessKey.secretName, keyVaultId: this.vaultId }).value;
    this.applicationSecrets = { environment };
  }
}

export interface RecoveryKeyVaultProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tenantId: string;
  readonly softDeleteRetentionDays: number;
  /** Where Terraform runs: the only public ranges let through the firewall. */
  readonly terraformIpRanges: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

/** The recovery vault itself: RBAC authorization, purge protection, a firewall, and never destroyed by Terraform. */
export function createRecoveryKeyVault(scope: Construct, id: string, props: RecoveryKeyVaultProps): KeyVault {
  const restricted = props.terraformIpRanges.length > 0;
  return new KeyVault(scope, id, {
    name: props.name,
    resourceGroupName: props.resourceGroupName,
    location: props.location,
    tenantId: props.tenantId,
    skuName: "standard",
    rbacAuthorizationEnabled: true,
    purgeProtectionEnabled: true,
    softDeleteRetentionDays: props.softDeleteRetentionDays,
    // Public access only for the listed ranges (where Terraform runs); everything else uses the private endpoint.
    publicNetworkAccessEnabled: restricted,
    networkAcls: { bypass: "AzureServices", defaultAction: "Deny", ipRules: [...props.terraformIpRanges] },
    tags: { ...props.tags },
    // The peacetime secrets cannot be recreated by a recovery.
    lifecycle: { preventDestroy: true },
  });
}
