/**
 * The Medplum servers: an ECS cluster with Container Insights, a Fargate task definition running the pinned image
 * with the single argument `env`, and a service in the private subnets behind the load balancer. `terraform apply`
 * returns only when the service is steady (tasks healthy behind the ALB), and a deployment that cannot get healthy
 * rolls back instead of cycling forever.
 */
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { RecoveryConfig } from "../../config/schema";
import { MEDPLUM_PORT } from "./security-groups";
import { standingNames } from "./standing-names";
import type { AwsRecoveryNetwork, AwsServerTier } from "./step-results";

export interface MedplumServiceProps {
  /** Prefix for names, e.g. `medplum-dr`. */
  readonly namePrefix: string;
  /** The recovery region, for the log driver. */
  readonly region: string;
  /** The pinned server image, e.g. `medplum/medplum-server:4.3.9`. */
  readonly image: string;
  /**
   * `medplum.server` from the config: Fargate CPU in thousandths of a vCPU (1000 = 1 vCPU = 1024 CPU units), memory
   * (the config checks it fits the CPU size) and the servers running at once.
   */
  readonly server: RecoveryConfig["medplum"]["server"];
  /** The recovery network: tasks run in its private subnets (no public address) in the application security group. */
  readonly network: AwsRecoveryNetwork;
  /** The load balancer target group the tasks register with. */
  readonly targetGroupArn: string;
  /** The listener forwarding to the target group; ECS refuses a target group no listener uses. */
  readonly listener: ITerraformDependable;
  /** Plain MEDPLUM_* settings (medplum-container.ts). */
  readonly environment: ReadonlyArray<{ name: string; value: string }>;
  /** Sensitive MEDPLUM_* settings as Secrets Manager references (medplum-container.ts). */
  readonly secrets: ReadonlyArray<{ name: string; valueFrom: string }>;
  /** Role ECS uses to pull the image, write logs and resolve the secrets. */
  readonly executionRoleArn: string;
  /** Role the Medplum server itself runs with. */
  readonly taskRoleArn: string;
  /** The server's log group; created (or adopted) by the caller because the execution role's policy names it. */
  readonly logGroup: { readonly name: string };
  /**
   * The ECS cluster standby-aws keeps standing (pilot-light and warm-standby tiers), found by name.
   * @default - a new cluster with Container Insights
   */
  readonly cluster?: { readonly arn: string; readonly name: string };
  /**
   * Seconds the service ignores failing load balancer health checks after a task starts. Generous: after a restore
   * the server may run migrations before /healthcheck answers (Medplum's Helm chart allows 10 minutes to start).
   * @default 600
   */
  readonly healthCheckGracePeriodSeconds?: number;
  /**
   * Linux user the server runs as.
   * @default - the image's own user. Fargate has no fsGroup: a writable /tmp mount belongs to root, so a non-root user
   *   set here could not write it; see docs/targets/aws.md.
   */
  readonly runAsUser?: string;
  /**
   * What must exist before the first task starts: the database writer. Tasks started earlier fail their health checks
   * until it exists, and with the circuit breaker on, enough failures roll the deployment back and fail the apply.
   * @default - none
   */
  readonly startAfter?: readonly ITerraformDependable[];
}

export const MEDPLUM_CONTAINER_NAME = "medplum-server";

/** Fargate counts CPU in units of 1/1024 vCPU. */
export function fargateCpuUnits(cpuMillicores: number): number {
  return Math.round((cpuMillicores * 1024) / 1000);
}

export class MedplumService extends Construct {
  readonly clusterName: string;
  readonly serviceName: string;
  readonly serviceId: string;
  /** The service resource; the DNS switch waits for it, since its apply returns only once tasks are healthy. */
  readonly service: EcsService;
  /** What the traffic and monitoring steps learn about the servers. */
  readonly servers: AwsServerTier;

  constructor(scope: Construct, id: string, props: MedplumServiceProps) {
    super(scope, id);
    const { namePrefix, server, network } = props;

    const cluster =
      props.cluster ??
      new EcsCluster(this, "cluster", {
        name: standingNames(namePrefix).ecsCluster,
        // RunningTaskCount, which the monitoring step alarms on, exists only with Container Insights.
        setting: [{ name: "containerInsights", value: "enabled" }],
      });

    const container = {
      name: MEDPLUM_CONTAINER_NAME,
      image: props.image,
      essential: true,
      // The server's one argument is its config source: `env` reads every MEDPLUM_* variable below.
      command: ["env"],
      portMappings: [{ containerPort: MEDPLUM_PORT, protocol: "tcp" }],
      environment: props.environment,
      secrets: props.secrets,
      // Medplum writes nothing outside /tmp, which gets its own task-storage volume.
      readonlyRootFilesystem: true,
      mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }],
      ...(props.runAsUser !== undefined ? { user: props.runAsUser } : {}),
      linuxParameters: { capabilities: { drop: ["ALL"] }, initProcessEnabled: true },
      logConfiguration: {
        logDriver: "awslogs",
        options: { "awslogs-group": props.logGroup.name, "awslogs-region": props.region, "awslogs-stream-prefix": "server" },
      },
    };

    const taskDefinition = new EcsTaskDefinition(this, "task", {
      family: `${namePrefix}-server`,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(fargateCpuUnits(server.cpuMillicores)),
      memory: String(server.memoryMiB),
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      executionRoleArn: props.executionRoleArn,
      taskRoleArn: props.taskRoleArn,
      volume: [{ name: "tmp" }],
      containerDefinitions: JSON.stringify([container]),
    });

    const service = new EcsService(this, "service", {
      name: `${namePrefix}-server`,
      cluster: cluster.arn,
      taskDefinition: taskDefinition.arn,
      launchType: "FARGATE",
      desiredCount: server.count,
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      networkConfiguration: {
        subnets: [...network.privateSubnetIds],
        securityGroups: [network.securityGroups.applicationId],
        assignPublicIp: false,
      },
      loadBalancer: [{ targetGroupArn: props.targetGroupArn, containerName: MEDPLUM_CONTAINER_NAME, containerPort: MEDPLUM_PORT }],
      healthCheckGracePeriodSeconds: props.healthCheckGracePeriodSeconds ?? 600,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      waitForSteadyState: true,
      propagateTags: "SERVICE",
      enableEcsManagedTags: true,
      dependsOn: [props.listener, ...(props.startAfter ?? [])],
      // Autoscaling owns the running count once the service exists; a re-run must not scale a busy recovery back down.
      lifecycle: { ignoreChanges: ["desired_count"] },
    });

    this.clusterName = cluster.name;
    this.serviceName = service.name;
    this.serviceId = service.id;
    this.service = service;
    this.servers = { clusterName: cluster.name, serviceName: service.name, desiredCount: server.count, steady: service };
  }
}
