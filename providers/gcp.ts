/**
 * Google and Kubernetes provider wiring for the GCP recovery. Everything is created in the recovery project and region;
 * nothing reaches back into the lost primary region.
 *
 * The kubernetes provider is configured from the GKE cluster this same stack creates (endpoint, CA, and by default
 * gke-gcloud-auth-plugin exec credentials, or a one-hour access token). Terraform cannot plan Kubernetes objects
 * against a cluster that does not exist yet, so a first apply targets the cluster (docs/targets/gcp.md: `cdktf deploy recovery-gcp` after
 * `terraform apply -target=...cluster`); the typed `kubernetes_*_v1` resources need no API access at plan time
 * otherwise, which is why no `kubernetes_manifest` (CRD) is used.
 */
import { DataGoogleClientConfig } from "@cdktf/provider-google/lib/data-google-client-config";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Fn, type TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { GcpTargetConfig, RecoveryConfig } from "../config/schema";
import { recoveryTags } from "../modules/naming";
import { configureStateBackend } from "./backend";

export function configureGcpProviders(stack: TerraformStack, stackName: string, config: RecoveryConfig, gcp: GcpTargetConfig): GoogleProvider {
  configureStateBackend(stack, stackName, gcp.backend);
  return new GoogleProvider(stack, "google", {
    project: gcp.project,
    region: gcp.region,
    defaultLabels: recoveryTags(config),
  });
}

/** What the kubernetes provider needs from a GKE cluster: attributes of the cluster resource, never literals. */
export interface GkeClusterAccess {
  /** The control plane's address, without scheme (`google_container_cluster.endpoint`). */
  readonly endpoint: string;
  /** Base64 PEM of the cluster CA (`master_auth[0].cluster_ca_certificate`). */
  readonly clusterCaCertificateBase64: string;
  /**
   * `gke-gcloud-auth-plugin` (the default): the plugin on the apply machine fetches a fresh token before each
   * Kubernetes operation, which outlasts a Cloud SQL restore (up to its 120-minute create timeout) in the same apply;
   * the google provider's guide recommends it for exactly this (website/docs/guides/using_gke_with_terraform.html.markdown
   * in hashicorp/terraform-provider-google). `access-token`: the OAuth token of whoever runs Terraform
   * (`google_client_config`), read once per run and valid for an hour, so Kubernetes objects created after a long
   * restore meet 401s. Neither writes a long-lived cluster credential anywhere.
   */
  readonly credentials: "access-token" | "gke-gcloud-auth-plugin";
}

export function configureGkeKubernetesProvider(scope: Construct, access: GkeClusterAccess): KubernetesProvider {
  const connection = { host: `https://${access.endpoint}`, clusterCaCertificate: Fn.base64decode(access.clusterCaCertificateBase64) };
  if (access.credentials === "gke-gcloud-auth-plugin") {
    return new KubernetesProvider(scope, "kubernetes", {
      ...connection,
      exec: [{ apiVersion: "client.authentication.k8s.io/v1beta1", command: "gke-gcloud-auth-plugin" }],
    });
  }
  const client = new DataGoogleClientConfig(scope, "client");
  return new KubernetesProvider(scope, "kubernetes", { ...connection, token: client.accessToken });
}
