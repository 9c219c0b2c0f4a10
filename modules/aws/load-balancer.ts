/**
 * The public entry point: an internet-facing ALB in the public subnets, HTTPS only with a TLS 1.3 policy and the
 * certificate issued in the recovery region in peacetime; port 80 exists only to redirect to HTTPS. Targets are the
 * Fargate tasks by IP on 8103, checked on Medplum's /healthcheck (which also pings Postgres and Redis) with the
 * thresholds Medplum's own ALB uses.
 *
 * With `targets.aws.loadBalancer.mode: existing`, ExistingLoadBalancer finds a team's own ALB, listener and target
 * group instead and creates none of them.
 */
import { DataAwsLb } from "@cdktf/provider-aws/lib/data-aws-lb";
import { DataAwsLbListener } from "@cdktf/provider-aws/lib/data-aws-lb-listener";
import { DataAwsLbTargetGroup } from "@cdktf/provider-aws/lib/data-aws-lb-target-group";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { Construct } from "constructs";
import type { AwsTargetConfig } from "../../config/schema";
import { MEDPLUM_PORT } from "./security-groups";
import { standingNames } from "./standing-names";
import type { AwsLoadBalancer, AwsRecoveryNetwork } from "./step-results";

export interface LoadBalancerProps {
  /** Prefix for names; at most 20 characters, so `<prefix>-alb` stays within the 32-character ALB name limit. */
  readonly namePrefix: string;
  /** The recovery network: its VPC, public subnets (two zones at least) and the load balancer security group. */
  readonly network: AwsRecoveryNetwork;
  /** `targets.aws.tls` from the config: the ACM certificate in the recovery region covering the api host name. */
  readonly tls: NonNullable<AwsTargetConfig["tls"]>;
  /**
   * TLS policy of the HTTPS listener.
   * @default "ELBSecurityPolicy-TLS13-1-2-2021-06" (TLS 1.3 and 1.2 only)
   */
  readonly sslPolicy?: string;
  /**
   * Seconds the target group waits for in-flight requests before dropping a deregistered task.
   * @default 30
   */
  readonly deregistrationDelaySeconds?: number;
}

export const MEDPLUM_HEALTH_CHECK_PATH = "/healthcheck";

export class LoadBalancer extends Construct implements AwsLoadBalancer {
  readonly dnsName: string;
  readonly zoneId: string;
  readonly arn: string;
  /** `app/<name>/<id>`: the `LoadBalancer` dimension of ALB metrics. */
  readonly arnSuffix: string;
  readonly targetGroupArn: string;
  /** `targetgroup/<name>/<id>`: the `TargetGroup` dimension of ALB metrics. */
  readonly targetGroupArnSuffix: string;
  /** The HTTPS listener; the service waits for it, because ECS refuses a target group no listener uses. */
  readonly httpsListener: LbListener;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const { network } = props;
    const names = standingNames(props.namePrefix);
    const name = names.loadBalancer;
    if (name.length > 32) {
      throw new Error(`environment: ${JSON.stringify(props.namePrefix)} makes the load balancer name ${name} longer than AWS's 32 characters`);
    }

    const alb = new Lb(this, "alb", {
      name,
      loadBalancerType: "application",
      internal: false,
      securityGroups: [network.securityGroups.loadBalancerId],
      subnets: [...network.publicSubnetIds],
      // Requests with malformed headers are a request-smuggling vector; Medplum needs none of them.
      dropInvalidHeaderFields: true,
      // The load balancer holds no data: a teardown after a drill must not be blocked by it.
      enableDeletionProtection: false,
    });

    const targets = new LbTargetGroup(this, "targets", {
      name: names.targetGroup,
      port: MEDPLUM_PORT,
      protocol: "HTTP",
      targetType: "ip",
      vpcId: network.vpcId,
      deregistrationDelay: String(props.deregistrationDelaySeconds ?? 30),
      healthCheck: {
        enabled: true,
        path: MEDPLUM_HEALTH_CHECK_PATH,
        protocol: "HTTP",
        port: "traffic-port",
        matcher: "200",
        interval: 30,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 5,
      },
    });

    this.httpsListener = new LbListener(this, "https", {
      loadBalancerArn: alb.arn,
      port: 443,
      protocol: "HTTPS",
      sslPolicy: props.sslPolicy ?? "ELBSecurityPolicy-TLS13-1-2-2021-06",
      certificateArn: props.tls.certificateArn,
      defaultAction: [{ type: "forward", targetGroupArn: targets.arn }],
    });
    new LbListener(this, "http", {
      loadBalancerArn: alb.arn,
      port: 80,
      protocol: "HTTP",
      defaultAction: [{ type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } }],
    });

    this.dnsName = alb.dnsName;
    this.zoneId = alb.zoneId;
    this.arn = alb.arn;
    this.arnSuffix = alb.arnSuffix;
    this.targetGroupArn = targets.arn;
    this.targetGroupArnSuffix = targets.arnSuffix;
  }
}

export interface ExistingLoadBalancerProps {
  /** The load balancer, target group and HTTPS listener port, as `targets.aws.loadBalancer` (mode existing) names them. */
  readonly loadBalancer: Pick<Extract<AwsTargetConfig["loadBalancer"], { mode: "existing" }>, "loadBalancer" | "targetGroup" | "httpsListenerPort">;
  /**
   * Who named them, for the plan-time errors: the config's fields, or standby-aws (the standing load balancer of the
   * pilot-light tier, by the names in standing-names.ts).
   * @default "config"
   */
  readonly namedBy?: "config" | "standby-aws";
}

const byNameOrArn = (value: string) => (value.startsWith("arn:") ? { arn: value } : { name: value });

/**
 * A team's own ALB, found at plan time. The servers register by IP on 8103 and the health check must be Medplum's:
 * postconditions fail the plan, naming the setting, when the target group or listener is not what Medplum needs,
 * rather than letting ECS register servers that never turn healthy.
 */
export class ExistingLoadBalancer extends Construct implements AwsLoadBalancer {
  readonly dnsName: string;
  readonly zoneId: string;
  readonly arn: string;
  readonly arnSuffix: string;
  readonly targetGroupArn: string;
  readonly targetGroupArnSuffix: string;
  readonly httpsListener: DataAwsLbListener;

  constructor(scope: Construct, id: string, props: ExistingLoadBalancerProps) {
    super(scope, id);
    const config = props.loadBalancer;
    const standing = props.namedBy === "standby-aws";
    const field = (name: "loadBalancer" | "targetGroup" | "httpsListenerPort", value: string | number) =>
      standing
        ? `the standing ${name === "targetGroup" ? "target group" : name === "loadBalancer" ? "load balancer" : "listener port"} ${value} (standby-aws)`
        : `targets.aws.loadBalancer.${name}: ${value}`;
    const alb = new DataAwsLb(this, "alb", {
      ...byNameOrArn(config.loadBalancer),
      lifecycle: {
        postcondition: [
          {
            condition: '${self.load_balancer_type == "application"}',
            errorMessage: `${field("loadBalancer", config.loadBalancer)} is not an application load balancer`,
          },
        ],
      },
    });
    const targets = new DataAwsLbTargetGroup(this, "targets", {
      ...byNameOrArn(config.targetGroup),
      lifecycle: {
        postcondition: [
          {
            condition: `\${self.target_type == "ip" && self.port == ${MEDPLUM_PORT} && self.protocol == "HTTP"}`,
            errorMessage: `${field("targetGroup", config.targetGroup)} must be target type ip, HTTP on ${MEDPLUM_PORT} (Fargate tasks register by IP on Medplum's port)`,
          },
          {
            condition: `\${self.health_check[0].path == "${MEDPLUM_HEALTH_CHECK_PATH}"}`,
            errorMessage: `${field("targetGroup", config.targetGroup)} must check ${MEDPLUM_HEALTH_CHECK_PATH}, which answers only when Postgres and Redis are reachable`,
          },
        ],
      },
    });
    this.httpsListener = new DataAwsLbListener(this, "https", {
      loadBalancerArn: alb.arn,
      port: config.httpsListenerPort,
      lifecycle: {
        postcondition: [
          {
            condition: '${self.protocol == "HTTPS"}',
            errorMessage: `${field("httpsListenerPort", config.httpsListenerPort)}: the listener there is not HTTPS`,
          },
        ],
      },
    });
    this.dnsName = alb.dnsName;
    this.zoneId = alb.zoneId;
    this.arn = alb.arn;
    this.arnSuffix = alb.arnSuffix;
    this.targetGroupArn = targets.arn;
    this.targetGroupArnSuffix = targets.arnSuffix;
  }
}
