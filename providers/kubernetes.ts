/**
 * Kubernetes provider wiring: the cluster named by a kubeconfig file and context. The cluster exists before the
 * recovery (plain Kubernetes has no cluster resource to create), so nothing here reaches into the lost environment.
 */
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import type { TerraformStack } from "cdktf";
import type { KubernetesTargetConfig } from "../config/schema";
import { configureStateBackend } from "./backend";

export function configureKubernetesProviders(stack: TerraformStack, stackName: string, kubernetes: KubernetesTargetConfig): KubernetesProvider {
  configureStateBackend(stack, stackName, kubernetes.backend);
  return new KubernetesProvider(stack, "kubernetes", {
    configPath: kubernetes.kubeconfig.path,
    ...(kubernetes.kubeconfig.context !== undefined ? { configContext: kubernetes.kubeconfig.context } : {}),
  });
}
