/**
 * The AKS cluster that runs the Medplum servers: Entra ID authentication with Azure RBAC and local accounts disabled
 * (no static admin credential exists), workload identity with the OIDC issuer, a network policy engine (the shared
 * workload ships a default-deny NetworkPolicy), an autoscaling system pool spread across zones where the region has
 * them, the API server private or limited to configured ranges, and optionally Container Insights and the application
 * routing add-on.
 */
import { DataAzurermKubernetesCluster } from "@cdktf/provider-azurerm/lib/data-azurerm-kubernetes-cluster";
import { KubernetesCluster } from "@cdktf/provider-azurerm/lib/kubernetes-cluster";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { Construct } from "constructs";
import type { AzureTargetConfig } from "../../config/schema";

/** Overlay ranges for pods and services; private, and outside any VNet range the config may use (10.0.0.0/8). */
export const POD_CIDR = "192.168.0.0/16";
export const SERVICE_CIDR = "172.16.0.0/16";
export const DNS_SERVICE_IP = "172.16.0.10";

export interface AksClusterProps {
  readonly cluster: AzureTargetConfig["cluster"];
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tenantId: string;
  readonly nodeSubnetId: string;
  /** The system pool's availability zones, decided for the region by zones.ts; empty for a pool without zones. */
  readonly nodePoolZones: readonly string[];
  /** Container Insights destination. @default - no monitoring agent */
  readonly logAnalyticsWorkspaceId?: string;
  /** Enable the application routing add-on (managed NGINX, `webapprouting.kubernetes.azure.com`). */
  readonly applicationRouting: boolean;
  /**
   * Enable the Key Vault secrets provider (CSI driver) add-on; the application routing add-on uses it to sync a Key
   * Vault certificate into the ingress's TLS Secret.
   */
  readonly keyVaultSecretsProvider: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

export class AksCluster extends Construct {
  readonly cluster: KubernetesCluster;

  constructor(scope: Construct, id: string, props: AksClusterProps) {
    super(scope, id);
    const { cluster } = props;
    const cilium = cluster.networkPolicy === "cilium";

    this.cluster = new KubernetesCluster(this, "cluster", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      dnsPrefix: props.name,
      ...(cluster.kubernetesVersion !== undefined ? { kubernetesVersion: cluster.kubernetesVersion } : {}),
      skuTier: cluster.skuTier,
      identity: { type: "SystemAssigned" },
      roleBasedAccessControlEnabled: true,
      localAccountDisabled: true,
      azureActiveDirectoryRoleBasedAccessControl: {
        azureRbacEnabled: true,
        tenantId: props.tenantId,
        adminGroupObjectIds: [...cluster.adminGroupObjectIds],
      },
      oidcIssuerEnabled: true,
      workloadIdentityEnabled: true,
      ...(cluster.apiServer.mode === "private"
        ? { privateClusterEnabled: true }
        : { apiServerAccessProfile: { authorizedIpRanges: [...cluster.apiServer.authorizedIpRanges] } }),
      automaticUpgradeChannel: "patch",
      nodeOsUpgradeChannel: "NodeImage",
      defaultNodePool: {
        name: "system",
        vmSize: cluster.nodeVmSize,
        autoScalingEnabled: true,
        minCount: cluster.minNodes,
        maxCount: cluster.maxNodes,
        ...(props.nodePoolZones.length > 0 ? { zones: [...props.nodePoolZones] } : {}),
        vnetSubnetId: props.nodeSubnetId,
        // Lets a VM size change rotate the pool in place instead of replacing the cluster.
        temporaryNameForRotation: "systemtmp",
        upgradeSettings: { maxSurge: "33%" },
      },
      networkProfile: {
        networkPlugin: "azure",
        networkPluginMode: "overlay",
        networkDataPlane: cilium ? "cilium" : "azure",
        networkPolicy: cluster.networkPolicy,
        podCidr: POD_CIDR,
        serviceCidr: SERVICE_CIDR,
        dnsServiceIp: DNS_SERVICE_IP,
        loadBalancerSku: "standard",
        outboundType: "loadBalancer",
      },
      ...(props.logAnalyticsWorkspaceId !== undefined
        ? { omsAgent: { logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId, msiAuthForMonitoringEnabled: true } }
        : {}),
      ...(props.applicationRouting ? { webAppRouting: { dnsZoneIds: [] } } : {}),
      ...(props.keyVaultSecretsProvider ? { keyVaultSecretsProvider: { secretRotationEnabled: true } } : {}),
      tags: { ...props.tags },
      // The autoscaler owns the node count.
      lifecycle: { ignoreChanges: ["default_node_pool[0].node_count"] },
    });

    // The cluster's identity manages load balancers and node NICs in a subnet it did not create.
    new RoleAssignment(this, "subnetAccess", {
      scope: props.nodeSubnetId,
      roleDefinitionName: "Network Contributor",
      principalId: this.cluster.identity.principalId,
      principalType: "ServicePrincipal",
    });
  }

  /** The API server address and CA, for the kubernetes provider (kube_config carries no credentials: Entra only). */
  get endpoint(): { host: string; clusterCaCertificateBase64: string } {
    const kubeConfig = this.cluster.kubeConfig.get(0);
    return { host: kubeConfig.host, clusterCaCertificateBase64: kubeConfig.clusterCaCertificate };
  }
}

/**
 * The AKS cluster a pilot-light or warm standby keeps standing (modules/azure/standby/standing.ts), read by name: the
 * recovery adopts it instead of creating one, so its critical path loses the cluster's creation. Its node-subnet grant
 * and the ingress add-on's certificate grant were made by standby, where the cluster's identities are known.
 */
export class AdoptedAksCluster extends Construct {
  readonly cluster: DataAzurermKubernetesCluster;

  constructor(scope: Construct, id: string, props: { readonly name: string; readonly resourceGroupName: string }) {
    super(scope, id);
    this.cluster = new DataAzurermKubernetesCluster(this, "cluster", { name: props.name, resourceGroupName: props.resourceGroupName });
  }

  get endpoint(): { host: string; clusterCaCertificateBase64: string } {
    const kubeConfig = this.cluster.kubeConfig.get(0);
    return { host: kubeConfig.host, clusterCaCertificateBase64: kubeConfig.clusterCaCertificate };
  }
}
