/**
 * The Azure recovery bundle: restores Medplum into `targets.azure.region` in the runbook's order. Each step lives in
 * its own file; this one only wires them. The Azure details later steps need (resource group, subnets, private DNS
 * zones, the vault, the cluster) travel in each step's result (step-results.ts), never through shared state.
 */
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import type { ITerraformDependable, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { AzureTargetConfig, RecoveryConfig } from "../../config/schema";
import { AksKubernetesProvider, configureAzureProviders } from "../../providers/azure";
import type { RecoveryBundle } from "../contracts";
import { requireIngress } from "../kubernetes/workload";
import { recoveryTags } from "../../config/naming";
import { AzureCache, existingCache } from "./cache";
import { AdoptedAksCluster, AksCluster } from "./cluster";
import { AzureDatabase } from "./database";
import { WorkloadIdentity } from "./identity";
import { AzureMonitoring, RecoveryLogs } from "./monitoring";
import { AzureNetwork } from "./network";
import { RecoveryResourceGroup } from "./resource-group";
import { recoveryVaultName, RecoveryVault, vaultSecretReference } from "./secrets";
import { adoptsStandingInfrastructure, standbyResourceGroupName, standingClusterName } from "./standing-names";
import type { AzureStepResults } from "./step-results";
import { AzureStorage } from "./storage";
import { AzureTraffic } from "./traffic";
import { createAksWorkload, SERVICE_ACCOUNT_NAME, WORKLOAD_NAMESPACE } from "./workload";
import { zonePlan } from "./zones";

export type { AzureStepResults } from "./step-results";

/** The ingress class of the AKS application routing add-on; choosing it turns the add-on on. */
export const APPLICATION_ROUTING_CLASS = "webapprouting.kubernetes.azure.com";

export function createAzureBundle(config: RecoveryConfig): RecoveryBundle<AzureStepResults> {
  const azure: AzureTargetConfig | undefined = config.targets.azure;
  if (azure === undefined) {
    throw new Error(
      "targets.azure: (not set) is required by the Azure bundle; add a targets.azure section to the recovery config or do not select the azure target",
    );
  }
  const namePrefix = config.environment;
  const tags = recoveryTags(config);
  const location = azure.region;
  const apiHostname = config.medplum.hostnames.api;
  const zones = zonePlan(azure);

  return {
    target: "azure",

    configureProviders(stack: TerraformStack, stackName: string) {
      configureAzureProviders(stack, stackName, config, azure);
      // Declared with the other providers; the application step connects it to the cluster it creates or adopts.
      return { kubernetes: new AksKubernetesProvider(stack, azure.tenantId, azure.cluster.kubeloginMode) };
    },

    network(scope: Construct) {
      const resourceGroup = new RecoveryResourceGroup(scope, "resourceGroup", {
        name: azure.resourceGroupName ?? `${namePrefix}-rg`,
        location,
        create: azure.createResourceGroup,
        tags,
      });
      const vnet = new AzureNetwork(scope, "vnet", { network: azure.network, resourceGroupName: resourceGroup.name, location, namePrefix, tags });
      return { networkId: vnet.virtualNetworkId, resourceGroupName: resourceGroup.name, vnet };
    },

    restoreDatabase(scope: Construct, { network }) {
      const { vnet } = network;
      const database = new AzureDatabase(scope, "restore", {
        database: azure.database,
        region: location,
        resourceGroupName: network.resourceGroupName,
        namePrefix,
        delegatedSubnetId: vnet.postgresSubnetId,
        privateDnsZoneId: vnet.privateDnsZoneIds.postgres,
        ...(vnet.privateDnsZoneLinks.postgres !== undefined ? { privateDnsZoneLink: vnet.privateDnsZoneLinks.postgres } : {}),
        highAvailability: zones.databaseHighAvailability,
        // Known from config alone: the vault step runs later, but the reference is a name, not a value.
        password: vaultSecretReference(recoveryVaultName(azure.secrets.keyVault), azure.secrets.names.databasePassword),
        tags,
      });
      return { ...database.restored, serverParameters: database.parameters.parameters };
    },

    cache(scope: Construct, { network }) {
      if (azure.cache.mode === "existing") {
        return {
          ...existingCache(azure.cache),
          accessKey: { kind: "recovery-vault", secretName: azure.cache.accessKeySecretName },
          egressCidrs: azure.cache.allowedCidrs ?? [network.vnet.privateEndpointSubnetCidr],
        };
      }
      const cache = new AzureCache(scope, "redis", {
        cache: azure.cache,
        name: `${namePrefix}-redis`,
        resourceGroupName: network.resourceGroupName,
        location,
        privateEndpointSubnetId: network.vnet.privateEndpointSubnetId,
        privateDnsZoneId: network.vnet.privateDnsZoneIds.redis,
        tags,
      });
      return {
        ...cache.recovered,
        accessKey: { kind: "attribute", reference: cache.accessKeyReference },
        egressCidrs: [network.vnet.privateEndpointSubnetCidr],
      };
    },

    binaryStorage(scope: Construct, { network }) {
      const storage = new AzureStorage(scope, "blob", {
        storage: azure.storage,
        resourceGroupName: network.resourceGroupName,
        location,
        privateEndpointSubnetId: network.vnet.privateEndpointSubnetId,
        privateDnsZoneId: network.vnet.privateDnsZoneIds.blob,
        replication: zones.storageReplication,
        namePrefix,
        tags,
      });
      return { ...storage.binaryStorage, accountId: storage.accountId, containerScope: storage.containerScope };
    },

    applicationSecrets(scope: Construct, { network, cache }) {
      const vault = new RecoveryVault(scope, "vault", {
        secrets: azure.secrets,
        tenantId: azure.tenantId,
        resourceGroupName: network.resourceGroupName,
        location,
        privateEndpointSubnetId: network.vnet.privateEndpointSubnetId,
        privateDnsZoneId: network.vnet.privateDnsZoneIds.keyVault,
        namePrefix,
        cacheAccessKey: cache.accessKey,
        tags,
      });
      return {
        ...vault.applicationSecrets,
        vaultId: vault.vaultId,
        valueReferences: vault.valueReferences,
        cacheAccessKeyReference: vault.cacheAccessKeyReference,
      };
    },

    applicationTier(scope: Construct, { providers, network, database, cache, storage, secrets }) {
      const resourceGroupName = network.resourceGroupName;
      const applicationRouting = azure.ingress.className === APPLICATION_ROUTING_CLASS;
      const logs = new RecoveryLogs(scope, "logs", {
        name: `${namePrefix}-logs`,
        resourceGroupName,
        location,
        retentionDays: azure.alerts.logRetentionDays,
        tags,
      });
      // A pilot-light or warm standby keeps the cluster standing: adopt it by name instead of creating one.
      const standby = azure.standby;
      const adopted = standby !== undefined && adoptsStandingInfrastructure(standby);
      const aks = adopted
        ? new AdoptedAksCluster(scope, "standingAks", { name: standingClusterName(config), resourceGroupName: standbyResourceGroupName(config, standby) })
        : new AksCluster(scope, "aks", {
            cluster: azure.cluster,
            name: `${namePrefix}-aks`,
            resourceGroupName,
            location,
            tenantId: azure.tenantId,
            nodeSubnetId: network.vnet.aksSubnetId,
            nodePoolZones: zones.nodePoolZones,
            ...(azure.cluster.monitoringAgent ? { logAnalyticsWorkspaceId: logs.workspace.id } : {}),
            applicationRouting,
            keyVaultSecretsProvider: azure.ingress.tls.mode === "key-vault-certificate",
            tags,
          });
      providers.kubernetes.connect(aks.endpoint);

      const identity = new WorkloadIdentity(scope, "identity", {
        name: `${namePrefix}-medplum`,
        resourceGroupName,
        location,
        oidcIssuerUrl: aks.cluster.oidcIssuerUrl,
        namespace: WORKLOAD_NAMESPACE,
        serviceAccountName: SERVICE_ACCOUNT_NAME,
        storageScope: storage.containerScope,
        storageAccountId: storage.accountId,
        keyVaultId: secrets.vaultId,
        tags,
      });
      const startAfter: ITerraformDependable[] = [...identity.grants, ...database.serverParameters];
      if (aks instanceof AksCluster && azure.ingress.tls.mode === "key-vault-certificate" && applicationRouting) {
        // The add-on's own identity syncs the certificate from the vault into the ingress TLS Secret (standby-azure
        // grants it on a standing cluster).
        startAfter.push(
          new RoleAssignment(scope, "ingressCertificate", {
            scope: secrets.vaultId,
            roleDefinitionName: "Key Vault Certificate User",
            principalId: aks.cluster.webAppRouting.webAppRoutingIdentity.get(0).objectId,
            principalType: "ServicePrincipal",
          }),
        );
      }

      const workload = createAksWorkload(scope, "medplum", {
        config,
        ingress: azure.ingress,
        database,
        cache,
        storage,
        vaultValues: secrets.valueReferences,
        redisAccessKey: secrets.cacheAccessKeyReference,
        identityClientId: identity.clientId,
        postgresSubnetCidr: network.vnet.postgresSubnetCidr,
        cacheCidrs: cache.egressCidrs,
        dependsOn: startAfter,
      });
      const { ingress, address } = requireIngress(workload);
      return {
        entryPointDnsName: address,
        entryPointId: ingress.id,
        serviceId: workload.deployment.id,
        logAnalyticsWorkspaceId: logs.workspace.id,
        clusterId: aks.cluster.id,
      };
    },

    switchTraffic(scope: Construct, { network, application }) {
      const traffic = new AzureTraffic(scope, "dns", {
        dns: azure.dns,
        apiHostname,
        apiUrl: config.medplum.baseUrl,
        entryPointAddress: application.entryPointDnsName,
        resourceGroupName: network.resourceGroupName,
        subscriptionId: azure.subscriptionId,
        tags,
      });
      return traffic.traffic;
    },

    monitoring(scope: Construct, { network, database, application }) {
      const monitoring = new AzureMonitoring(scope, "alerts", {
        alerts: azure.alerts,
        namePrefix,
        resourceGroupName: network.resourceGroupName,
        location,
        logAnalyticsWorkspaceId: application.logAnalyticsWorkspaceId,
        databaseServerId: database.resourceId,
        clusterId: application.clusterId,
        apiHostname,
        tags,
      });
      return monitoring.monitoring;
    },
  };
}
