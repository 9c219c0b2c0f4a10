/**
 * What each step of the Azure recovery hands to the later ones, beyond the provider-neutral contracts: the resource
 * group and subnets, the server parameters the servers wait for, the Redis key, the storage scopes, the vault, the
 * workspace and the cluster. `RecoveryStack` passes every earlier result to each step, so these types are the whole
 * data flow of the bundle and the type checker follows each value from the step that made it.
 */
import type { ITerraformDependable } from "cdktf";
import type {
  ApplicationSecrets,
  ApplicationTier,
  BinaryStorage,
  Monitoring,
  RecoveredCache,
  RecoveryNetwork,
  RecoveryStepResults,
  RestoredDatabase,
  TrafficSwitch,
} from "../contracts";
import type { CacheAccessKey } from "./cache";
import type { AzureNetwork } from "./network";
import type { VaultVariable } from "./secrets";
import type { AksKubernetesProvider } from "../../providers/azure";

export interface AzureRecoveryNetwork extends RecoveryNetwork {
  /** The recovery resource group's name (a reference when the stack creates it, so resources are ordered after it). */
  readonly resourceGroupName: string;
  /** Subnets, their ranges, and the private DNS zones with their VNet links. */
  readonly vnet: AzureNetwork;
}

export interface AzureRestoredDatabase extends RestoredDatabase {
  /** Medplum's server parameters: the servers' first start waits for them. */
  readonly serverParameters: readonly ITerraformDependable[];
}

export interface AzureRecoveredCache extends RecoveredCache {
  /** Where the access key comes from; the secrets step turns it into a reference for the servers' Kubernetes Secret. */
  readonly accessKey: CacheAccessKey;
  /** Address ranges the servers reach Redis in, for the NetworkPolicy's egress rule. */
  readonly egressCidrs: readonly string[];
}

export interface AzureBinaryStorage extends BinaryStorage {
  readonly accountId: string;
  /** The container's ARM id: the narrowest scope the servers' role assignment can have. */
  readonly containerScope: string;
}

export interface AzureApplicationSecrets extends ApplicationSecrets {
  readonly vaultId: string;
  /** Terraform references to the vault-held values, per variable the config names; only for a Kubernetes Secret's data. */
  readonly valueReferences: Readonly<Partial<Record<VaultVariable, string>>>;
  /** The Redis access key as a Terraform reference (a sensitive attribute or a vault secret's value), never a literal. */
  readonly cacheAccessKeyReference: string;
}

export interface AzureApplicationTier extends ApplicationTier {
  /** The Log Analytics workspace Container Insights, PostgreSQL logs and Application Insights write to. */
  readonly logAnalyticsWorkspaceId: string;
  /** The AKS cluster's ARM id, for its metric alerts. */
  readonly clusterId: string;
}

export interface AzureStepResults extends RecoveryStepResults {
  readonly providers: { readonly kubernetes: AksKubernetesProvider };
  readonly network: AzureRecoveryNetwork;
  readonly database: AzureRestoredDatabase;
  readonly cache: AzureRecoveredCache;
  readonly storage: AzureBinaryStorage;
  readonly secrets: AzureApplicationSecrets;
  readonly application: AzureApplicationTier;
  readonly traffic: TrafficSwitch;
  readonly monitoring: Monitoring;
}
