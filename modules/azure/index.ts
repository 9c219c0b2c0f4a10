/**
 * The Azure recovery bundle: restores Medplum into `targets.azure.region` in the runbook's order. Each step lives in
 * its own file; this one only wires them, passing on the Azure details (resource group, subnets, private DNS zones,
 * the vault, the cluster) that the provider-neutral contracts deliberately leave out.
 */
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import type { ITerraformDependable, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { AzureTargetConfig, RecoveryConfig } from "../../config/schema";
import { configureAzureProviders, configureKubernetesProvider } from "../../providers/azure";
import type { RecoveryBundle } from "../contracts";
import { recoveryTags } from "../naming";
import { AzureCache } from "./cache";
import { AksCluster } from "./cluster";
import { AzureDatabase } from "./database";
import { WorkloadIdentity } from "./identity";
import { AzureMonitoring, RecoveryLogs } from "./monitoring";
import { AzureNetwork } from "./network";
import { RecoveryResourceGroup } from "./resource-group";
import { recoveryVaultName, RecoveryVault, vaultSecretReference } from "./secrets";
import { AzureStorage } from "./storage";
import { AzureTraffic } from "./traffic";
import { createAksWorkload, SERVICE_ACCOUNT_NAME, WORKLOAD_NAMESPACE } from "./workload";
import { zonePlan } from "./zones";
import { fromEarlierStep } from "../earlier-step";

/** The ingress class of the AKS application routing add-on; choosing it turns the add-on on. */
export const APPLICATION_ROUTING_CLASS = "webapprouting.kubernetes.azure.com";

export function createAzureBundle(config: RecoveryConfig): RecoveryBundle {
  const azure: AzureTargetConfig | undefined = config.targets.azure;
  if (azure === undefined) {
    throw new Error("targets.azure: (not set) is required by the Azure bundle; add a targets.azure section to the recovery config or do not select the azure target");
  }
  const namePrefix = config.environment;
  const tags = recoveryTags(config);
  const location = azure.region;
  const apiHostname = config.medplum.hostnames.api;
  const zones = zonePlan(azure);

  // Azure details later steps need, beyond what the contracts carry. Set in step order by RecoveryStack.
  let resourceGroup: RecoveryResourceGroup | undefined;
  let network: AzureNetwork | undefined;
  let database: AzureDatabase | undefined;
  let cache: AzureCache | undefined;
  let storage: AzureStorage | undefined;
  let vault: RecoveryVault | undefined;
  let logs: RecoveryLogs | undefined;
  let aks: AksCluster | undefined;
  const needs = <T>(value: T | undefined, step: string): T => fromEarlierStep(value, "Azure", step);
  const group = () => needs(resourceGroup, "network");
  const net = () => needs(network, "network");

  return {
    target: "azure",

    configureProviders(stack: TerraformStack, stackName: string): void {
      configureAzureProviders(stack, stackName, config, azure);
    },

    network(scope: Construct) {
      resourceGroup = new RecoveryResourceGroup(scope, "resourceGroup", {
        name: azure.resourceGroupName ?? `${namePrefix}-rg`,
        location,
        create: azure.createResourceGroup,
        tags,
      });
      network = new AzureNetwork(scope, "vnet", { network: azure.network, resourceGroupName: resourceGroup.name, location, namePrefix, tags });
      return { networkId: network.virtualNetworkId };
    },

    restoreDatabase(scope: Construct) {
      database = new AzureDatabase(scope, "restore", {
        database: azure.database,
        region: location,
        resourceGroupName: group().name,
        namePrefix,
        delegatedSubnetId: net().postgresSubnetId,
        privateDnsZoneId: net().privateDnsZoneIds.postgres,
        ...(net().privateDnsZoneLinks.postgres !== undefined ? { privateDnsZoneLink: net().privateDnsZoneLinks.postgres } : {}),
        highAvailability: zones.databaseHighAvailability,
        // Known from config alone: the vault step runs later, but the reference is a name, not a value.
        password: vaultSecretReference(recoveryVaultName(azure.secrets.keyVault), azure.secrets.names.databasePassword),
        tags,
      });
      return database.restored;
    },

    cache(scope: Construct) {
      cache = new AzureCache(scope, "redis", {
        cache: azure.cache,
        name: `${namePrefix}-redis`,
        resourceGroupName: group().name,
        location,
        privateEndpointSubnetId: net().privateEndpointSubnetId,
        privateDnsZoneId: net().privateDnsZoneIds.redis,
        tags,
      });
      return cache.recovered;
    },

    binaryStorage(scope: Construct) {
      storage = new AzureStorage(scope, "blob", {
        storage: azure.storage,
        resourceGroupName: group().name,
        location,
        privateEndpointSubnetId: net().privateEndpointSubnetId,
        privateDnsZoneId: net().privateDnsZoneIds.blob,
        replication: zones.storageReplication,
        namePrefix,
        tags,
      });
      return storage.binaryStorage;
    },

    applicationSecrets(scope: Construct) {
      vault = new RecoveryVault(scope, "vault", {
        secrets: azure.secrets,
        tenantId: azure.tenantId,
        resourceGroupName: group().name,
        location,
        privateEndpointSubnetId: net().privateEndpointSubnetId,
        privateDnsZoneId: net().privateDnsZoneIds.keyVault,
        namePrefix,
        tags,
      });
      return vault.applicationSecrets;
    },

    applicationTier(scope: Construct, inputs) {
      const recoveryVault = needs(vault, "secrets");
      const applicationRouting = azure.ingress.className === APPLICATION_ROUTING_CLASS;
      logs = new RecoveryLogs(scope, "logs", { name: `${namePrefix}-logs`, resourceGroupName: group().name, location, retentionDays: azure.alerts.logRetentionDays, tags });
      aks = new AksCluster(scope, "aks", {
        cluster: azure.cluster,
        name: `${namePrefix}-aks`,
        resourceGroupName: group().name,
        location,
        tenantId: azure.tenantId,
        nodeSubnetId: net().aksSubnetId,
        nodePoolZones: zones.nodePoolZones,
        ...(azure.cluster.monitoringAgent ? { logAnalyticsWorkspaceId: logs.workspace.id } : {}),
        applicationRouting,
        keyVaultSecretsProvider: azure.ingress.tls.mode === "key-vault-certificate",
        tags,
      });
      configureKubernetesProvider(scope, aks.endpoint, azure.tenantId, azure.cluster.kubeloginMode);

      const identity = new WorkloadIdentity(scope, "identity", {
        name: `${namePrefix}-medplum`,
        resourceGroupName: group().name,
        location,
        oidcIssuerUrl: aks.cluster.oidcIssuerUrl,
        namespace: WORKLOAD_NAMESPACE,
        serviceAccountName: SERVICE_ACCOUNT_NAME,
        storageScope: needs(storage, "storage").containerScope,
        storageAccountId: needs(storage, "storage").accountId,
        keyVaultId: recoveryVault.vaultId,
        tags,
      });
      const startAfter: ITerraformDependable[] = [...identity.grants, ...needs(database, "database").parameters.parameters];
      if (azure.ingress.tls.mode === "key-vault-certificate" && applicationRouting) {
        // The add-on's own identity syncs the certificate from the vault into the ingress TLS Secret.
        startAfter.push(
          new RoleAssignment(scope, "ingressCertificate", {
            scope: recoveryVault.vaultId,
            roleDefinitionName: "Key Vault Certificate User",
            principalId: aks.cluster.webAppRouting.webAppRoutingIdentity.get(0).objectId,
            principalType: "ServicePrincipal",
          }),
        );
      }

      const workload = createAksWorkload(scope, "medplum", {
        config,
        ingress: azure.ingress,
        database: inputs.database,
        cache: inputs.cache,
        storage: inputs.storage,
        vaultValues: recoveryVault.valueReferences,
        redisAccessKey: needs(cache, "cache").accessKeyReference,
        identityClientId: identity.clientId,
        postgresSubnetCidr: net().postgresSubnetCidr,
        privateEndpointSubnetCidr: net().privateEndpointSubnetCidr,
        dependsOn: startAfter,
      });
      return { entryPointDnsName: workload.ingressAddress, entryPointId: workload.ingress.id, serviceId: workload.deployment.id };
    },

    switchTraffic(scope: Construct, inputs) {
      const traffic = new AzureTraffic(scope, "dns", {
        dns: azure.dns,
        apiHostname,
        apiUrl: config.medplum.baseUrl,
        entryPointAddress: inputs.application.entryPointDnsName,
        resourceGroupName: group().name,
        subscriptionId: azure.subscriptionId,
        tags,
      });
      return traffic.traffic;
    },

    monitoring(scope: Construct, inputs) {
      const monitoring = new AzureMonitoring(scope, "alerts", {
        alerts: azure.alerts,
        namePrefix,
        resourceGroupName: group().name,
        location,
        logAnalyticsWorkspaceId: needs(logs, "application").workspace.id,
        databaseServerId: inputs.database.resourceId,
        clusterId: needs(aks, "application").cluster.id,
        apiHostname,
        tags,
      });
      return monitoring.monitoring;
    },
  };
}
