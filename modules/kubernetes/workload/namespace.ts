/**
 * The workload's namespace, when the workload owns it. Callers that put other objects (the restored Postgres, the
 * restore Job) in the same namespace create it themselves and pass its name as a reference, so Terraform orders
 * everything after it.
 */
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import type { Construct } from "constructs";

export interface WorkloadNamespaceProps {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export function createNamespace(scope: Construct, props: WorkloadNamespaceProps): NamespaceV1 {
  return new NamespaceV1(scope, "namespace", {
    metadata: {
      name: props.name,
      // Pod Security Admission: the server meets the restricted profile, so the namespace enforces it.
      labels: { ...props.labels, ...restrictedPodSecurityLabels() },
    },
  });
}

/** Pod Security Admission labels enforcing the `restricted` profile; exported for callers that own the namespace. */
export function restrictedPodSecurityLabels(): Record<string, string> {
  return {
    "pod-security.kubernetes.io/enforce": "restricted",
    "pod-security.kubernetes.io/audit": "restricted",
    "pod-security.kubernetes.io/warn": "restricted",
  };
}
