/**
 * Google provider wiring for the GCP recovery. Everything is created in the recovery project and region; nothing
 * reaches back into the lost primary region. The kubernetes provider, which needs the GKE cluster this stack creates,
 * is the GCP bundle's own (modules/gcp/kubernetes-provider.ts).
 */
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import type { TerraformStack } from "cdktf";
import type { GcpTargetConfig, RecoveryConfig } from "../config/schema";
import { recoveryTags } from "../config/naming";
import { configureStateBackend } from "./backend";

export function configureGcpProviders(stack: TerraformStack, stackName: string, config: RecoveryConfig, gcp: GcpTargetConfig): GoogleProvider {
  configureStateBackend(stack, stackName, gcp.backend);
  return new GoogleProvider(stack, "google", {
    project: gcp.project,
    region: gcp.region,
    defaultLabels: recoveryTags(config),
  });
}
