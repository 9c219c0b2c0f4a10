/**
 * The server's own service account. Medplum never calls the Kubernetes API, so no token is mounted unless the caller
 * opts in (workload identity on AKS injects a projected token of its own; GKE's uses the metadata server).
 */
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import type { Construct } from "constructs";
import { SERVER_NAME } from "./labels";

export interface WorkloadServiceAccountOptions {
  /**
   * Annotations on the service account, e.g. `iam.gke.io/gcp-service-account` (GKE workload identity) or
   * `azure.workload.identity/client-id` (AKS workload identity).
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Extra labels on the service account. @default - the workload labels only */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Mount the service account token into the server pods. Only for integrations that read it.
   * @default false
   */
  readonly automountToken?: boolean;
}

export interface WorkloadServiceAccountProps extends WorkloadServiceAccountOptions {
  readonly namespace: string;
  readonly workloadLabels: Readonly<Record<string, string>>;
}

export function createServiceAccount(scope: Construct, props: WorkloadServiceAccountProps): ServiceAccountV1 {
  return new ServiceAccountV1(scope, "serviceAccount", {
    metadata: {
      name: SERVER_NAME,
      namespace: props.namespace,
      labels: { ...props.workloadLabels, ...(props.labels ?? {}) },
      annotations: { ...(props.annotations ?? {}) },
    },
    automountServiceAccountToken: props.automountToken ?? false,
  });
}
