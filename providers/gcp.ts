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
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import type { TerraformStack } from "cdktf";
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
