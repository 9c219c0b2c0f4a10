/** CPU-based autoscaling between the configured server count and its ceiling (autoscaling/v2). */
import { HorizontalPodAutoscalerV2 } from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import type { Construct } from "constructs";
import { SERVER_NAME } from "./labels";

export interface WorkloadAutoscalingProps {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly deploymentName: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetCpuUtilizationPercent: number;
}

export function createAutoscaler(scope: Construct, props: WorkloadAutoscalingProps): HorizontalPodAutoscalerV2 {
  return new HorizontalPodAutoscalerV2(scope, "autoscaler", {
    metadata: { name: SERVER_NAME, namespace: props.namespace, labels: { ...props.labels } },
    spec: {
      minReplicas: props.minReplicas,
      maxReplicas: props.maxReplicas,
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: props.deploymentName },
      metric: [
        {
          type: "Resource",
          resource: { name: "cpu", target: { type: "Utilization", averageUtilization: props.targetCpuUtilizationPercent } },
        },
      ],
    },
  });
}
