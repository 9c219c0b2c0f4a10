/**
 * Azure provider wiring for the recovery region, and the kubernetes provider for the AKS cluster the same stack
 * creates.
 *
 * The kubernetes provider is configured from the cluster's attributes (host and CA from `kube_config`), so Terraform
 * cannot plan the workload's Kubernetes objects until the cluster exists. On the first apply of a recovery, create
 * the cluster first, then everything:
 *
 *   terraform -chdir=cdktf.out/stacks/recovery-azure apply -target=<the azurerm_kubernetes_cluster address>
 *   terraform -chdir=cdktf.out/stacks/recovery-azure apply
 *
 * (`cdktf deploy recovery-azure` for the second step works too.) docs/targets/azure.md shows how to find the address.
 *
 * Local accounts are disabled on the cluster, so `kube_admin_config` is empty and `kube_config` carries no
 * credentials: the provider gets an Entra ID token from `kubelogin get-token`, which must be on PATH where Terraform runs.
 */
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Fn, TerraformStack } from "cdktf";
import type { AzureTargetConfig, RecoveryConfig } from "../config/schema";
import { configureStateBackend } from "./backend";

/** The fixed application id of the AKS Entra ID server application: the audience of every AKS Entra token. */
export const AKS_ENTRA_SERVER_APPLICATION_ID = "6dae42f8-4368-4678-94ff-3960e28e3630";

export function configureAzureProviders(stack: TerraformStack, stackName: string, _config: RecoveryConfig, azure: AzureTargetConfig): AzurermProvider {
  configureStateBackend(stack, stackName, azure.backend);
  return new AzurermProvider(stack, "azurerm", {
    subscriptionId: azure.subscriptionId,
    tenantId: azure.tenantId,
    // Shared-key access is off on the binary storage account; containers and blobs go through Entra ID.
    storageUseAzuread: true,
    features: [
      {
        // A destroyed drill must not purge the vault or its secrets: purge protection would block it anyway, and the
        // peacetime secrets are the one thing a recovery cannot recreate.
        keyVault: [
          { purgeSoftDeleteOnDestroy: false, purgeSoftDeletedSecretsOnDestroy: false, recoverSoftDeletedKeyVaults: true, recoverSoftDeletedSecrets: true },
        ],
        // Never delete a resource group that still holds something this stack does not know about.
        resourceGroup: [{ preventDeletionIfContainsResources: true }],
        // Server parameters such as require_secure_transport need a restart to take effect on a running server.
        postgresqlFlexibleServer: [{ restartServerOnConfigurationValueChange: true }],
      },
    ],
  });
}

/** What the kubernetes provider needs from the cluster; attribute references, never literals. */
export interface ClusterEndpoint {
  /** `kube_config[0].host`. */
  readonly host: string;
  /** `kube_config[0].cluster_ca_certificate` (base64, as AKS returns it). */
  readonly clusterCaCertificateBase64: string;
}

export type KubeloginMode = AzureTargetConfig["cluster"]["kubeloginMode"];

/**
 * The kubernetes provider for the recovery cluster, authenticated with an Entra ID token from kubelogin:
 * `azurecli` uses `az login`; `spn` reads AAD_SERVICE_PRINCIPAL_CLIENT_ID/SECRET; `workloadidentity` reads the
 * federated token CI provides (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE); `msi` a managed identity.
 */
export class AksKubernetesProvider extends KubernetesProvider {
  private connected = false;

  constructor(stack: TerraformStack, tenantId: string, mode: KubeloginMode) {
    super(stack, "kubernetes", {
      exec: [
        {
          apiVersion: "client.authentication.k8s.io/v1beta1",
          command: "kubelogin",
          args: ["get-token", "--login", mode, "--server-id", AKS_ENTRA_SERVER_APPLICATION_ID, "--tenant-id", tenantId, "--environment", "AzurePublicCloud"],
        },
      ],
    });
  }

  /** Points the provider at the cluster the application step creates or adopts. */
  connect(endpoint: ClusterEndpoint): void {
    if (this.connected) throw new Error(`${this.node.path}: is connected to a cluster already; a stack holds one AKS cluster`);
    this.connected = true;
    this.host = endpoint.host;
    this.clusterCaCertificate = Fn.base64decode(endpoint.clusterCaCertificateBase64);
  }

  /** A provider left unconnected would fall back to the apply machine's kubeconfig: refuse to write it. */
  override toTerraform(): any {
    if (!this.connected) throw new Error(`${this.node.path}: was never connected to the AKS cluster; the Azure application step connects it`);
    return super.toTerraform();
  }
}
