/**
 * A ClusterIP Service in front of the servers; the Ingress is the only way in. Cloud load balancers that target pods
 * directly (GKE container-native load balancing) are enabled by the caller's annotations, e.g.
 * `cloud.google.com/neg: '{"ingress": true}'`.
 */
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import type { Construct } from "constructs";
import { SERVER_NAME, SERVER_PORT, SERVER_PORT_NAME } from "./labels";

export interface WorkloadServiceOptions {
  /** Annotations on the Service, e.g. GKE's `cloud.google.com/neg` or `cloud.google.com/backend-config`. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface WorkloadServiceProps extends WorkloadServiceOptions {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly selector: Readonly<Record<string, string>>;
}

/** The port the Service exposes (and the Ingress targets); the same as the container's, to keep one number in mind. */
export const SERVICE_PORT = SERVER_PORT;

export function createService(scope: Construct, props: WorkloadServiceProps): ServiceV1 {
  return new ServiceV1(scope, "service", {
    metadata: { name: SERVER_NAME, namespace: props.namespace, labels: { ...props.labels }, annotations: { ...(props.annotations ?? {}) } },
    spec: {
      type: "ClusterIP",
      selector: { ...props.selector },
      port: [{ name: SERVER_PORT_NAME, port: SERVICE_PORT, targetPort: SERVER_PORT_NAME, protocol: "TCP", appProtocol: "http" }],
    },
  });
}
