/**
 * Scales the Medplum service on CPU between the configured count and its ceiling. After a regional failover every user
 * arrives at once, and the recovery region may be running fewer servers than the primary did.
 */
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { Construct } from "constructs";

export interface ServiceAutoscalingProps {
  readonly clusterName: string;
  readonly serviceName: string;
  readonly minCount: number;
  /** Upper bound; at least minCount. */
  readonly maxCount: number;
  /**
   * Average CPU the service is kept at.
   * @default 60
   */
  readonly targetCpuPercent?: number;
}

export class ServiceAutoscaling extends Construct {
  constructor(scope: Construct, id: string, props: ServiceAutoscalingProps) {
    super(scope, id);
    if (props.maxCount < props.minCount) {
      throw new Error(`medplum.server.maxCount: ${props.maxCount} is below medplum.server.count (${props.minCount})`);
    }
    const target = new AppautoscalingTarget(this, "target", {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: `service/${props.clusterName}/${props.serviceName}`,
      minCapacity: props.minCount,
      maxCapacity: props.maxCount,
    });
    new AppautoscalingPolicy(this, "cpu", {
      name: "cpu-target-tracking",
      policyType: "TargetTrackingScaling",
      serviceNamespace: target.serviceNamespace,
      scalableDimension: target.scalableDimension,
      resourceId: target.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: props.targetCpuPercent ?? 60,
        predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
        scaleInCooldown: 300,
        scaleOutCooldown: 60,
      },
    });
  }
}
