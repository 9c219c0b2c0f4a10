/**
 * The kubernetes provider of the GCP recovery, declared with the other providers before any step runs (the contract's
 * order), and connected by the application step to the GKE cluster it creates: endpoint and CA are attributes of
 * that cluster, never literals, so the block cannot be complete before the cluster construct exists.
 *
 * Terraform cannot plan Kubernetes objects against a cluster that does not exist yet, so a first apply targets the
 * cluster (docs/targets/gcp.md); the typed `kubernetes_*_v1` resources need no API access at plan time otherwise, which
 * is why only `tls.mode: certificate-map` uses `kubernetes_manifest` (the Gateway API's custom resources, gateway.ts).
 */
import { DataGoogleClientConfig } from "@cdktf/provider-google/lib/data-google-client-config";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Fn, type TerraformStack } from "cdktf";
import type { Construct } from "constructs";

/**
 * `gke-gcloud-auth-plugin`: the plugin on the apply machine fetches a fresh token before each Kubernetes operation,
 * which outlasts a Cloud SQL restore (up to its 120-minute create timeout) in the same apply; the google provider's
 * guide recommends it for exactly this (website/docs/guides/using_gke_with_terraform.html.markdown in
 * hashicorp/terraform-provider-google). `access-token`: the OAuth token of whoever runs Terraform
 * (`google_client_config`), read once per run and valid for an hour, so Kubernetes objects created after a long
 * restore meet 401s. Neither writes a long-lived cluster credential anywhere.
 */
export type GkeCredentials = "access-token" | "gke-gcloud-auth-plugin";

/** What the provider needs from a GKE cluster: attributes of the cluster resource, never literals. */
export interface GkeClusterAccess {
  /** The control plane's address, without scheme (`google_container_cluster.endpoint`). */
  readonly endpoint: string;
  /** Base64 PEM of the cluster CA (`master_auth[0].cluster_ca_certificate`). */
  readonly clusterCaCertificateBase64: string;
}

/**
 * Annotations GKE's controllers write on objects this stack owns, which the provider would otherwise plan to remove on
 * every later apply (it ignores only `*.kubernetes.io` keys by default): the NEG controller's `cloud.google.com/neg-status`
 * on the Service, `cloud.google.com/neg` where the Gateway controller sets it (a key the config sets itself, as the
 * Ingress mode does, stays managed: the provider ignores only keys the config does not name), and Autopilot's
 * `autopilot.gke.io/*` keys on workloads (which ones it writes was not checked on a cluster). Removing the NEG
 * annotation of a Service the Gateway routes to would take its network endpoint groups away. Seen in practice:
 * GoogleCloudPlatform/gke-autoneg-controller#121.
 */
export const GKE_MANAGED_ANNOTATIONS = ["^cloud\\.google\\.com/neg(-status)?$", "^autopilot\\.gke\\.io/"] as const;

/** The stack's one kubernetes provider (no alias: every Kubernetes object of the stack uses it). */
export class GkeKubernetesProvider extends KubernetesProvider {
  private static readonly ID = "kubernetes";
  private connected = false;

  constructor(
    stack: TerraformStack,
    private readonly credentials: GkeCredentials,
  ) {
    super(stack, GkeKubernetesProvider.ID, { ignoreAnnotations: [...GKE_MANAGED_ANNOTATIONS] });
  }

  /**
   * Points the provider at the cluster. With `access-token`, the token's data source is created in `scope` (the step
   * that owns the cluster), whose construct path is part of its address.
   */
  connect(scope: Construct, cluster: GkeClusterAccess): void {
    if (this.connected) throw new Error(`${this.node.path}: is connected to a cluster already; a stack holds one GKE cluster`);
    this.connected = true;
    this.host = `https://${cluster.endpoint}`;
    this.clusterCaCertificate = Fn.base64decode(cluster.clusterCaCertificateBase64);
    if (this.credentials === "gke-gcloud-auth-plugin") {
      this.exec = [{ apiVersion: "client.authentication.k8s.io/v1beta1", command: "gke-gcloud-auth-plugin" }];
    } else {
      this.token = new DataGoogleClientConfig(scope, "client").accessToken;
    }
  }

  /** A provider left unconnected would fall back to the apply machine's kubeconfig: refuse to write it. */
  override toTerraform(): any {
    if (!this.connected) throw new Error(`${this.node.path}: was never connected to the GKE cluster; the GCP application step connects it`);
    return super.toTerraform();
  }
}
