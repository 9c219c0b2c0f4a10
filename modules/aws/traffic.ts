/**
 * Sends users to the recovered environment through the api host name in Route 53.
 *  - `cut-over`: a plain alias record to the recovery ALB that takes over the primary's record of the same name.
 *    Applying it is the switch, so it waits for the servers to be healthy.
 *  - `failover`: the SECONDARY half of a failover pair beside the primary region's PRIMARY record, with a health check
 *    on the recovery ALB's /healthcheck: Route 53 switches by itself once the primary fails and the recovery is healthy.
 *  - `standby-failover`: standby-aws keeps both halves of the pair in peacetime; the recovery writes no record.
 * Either way the alias targets the ALB with `evaluate_target_health`, so an ALB with no healthy targets is not served.
 */
import { Route53HealthCheck } from "@cdktf/provider-aws/lib/route53-health-check";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { AwsTargetConfig } from "../../config/schema";
import type { TrafficSwitch } from "../contracts";
import { MEDPLUM_HEALTH_CHECK_PATH } from "./load-balancer";
import type { AwsEntryPoint } from "./step-results";

export interface AwsTrafficProps {
  /** `targets.aws.dns` from the config. */
  readonly dns: AwsTargetConfig["dns"];
  /** The api host name, e.g. `api.medplum.example.com`. */
  readonly apiHostname: string;
  /** Medplum's baseUrl, unchanged from the primary so issued tokens stay valid. */
  readonly baseUrl: string;
  /** Prefix for the health check's Name tag. */
  readonly namePrefix: string;
  /** The recovery ALB: its DNS name is the alias target and health-check host, its zone the alias zone. */
  readonly loadBalancer: AwsEntryPoint;
  /**
   * What must be ready before users are sent over: the ECS service, whose apply waits for healthy servers.
   * @default - no wait beyond the load balancer itself
   */
  readonly waitFor?: readonly ITerraformDependable[];
  /**
   * Seconds between health checks from each Route 53 checker: 10 (fast, extra cost) or 30.
   * @default 30
   */
  readonly healthCheckIntervalSeconds?: 10 | 30;
  /**
   * Consecutive failed checks before the recovery is considered unhealthy.
   * @default 3
   */
  readonly healthCheckFailureThreshold?: number;
}

export class AwsTraffic extends Construct {
  readonly traffic: TrafficSwitch;
  /** The Route 53 health check of the recovery, in failover mode. */
  readonly healthCheckId: string | undefined;

  constructor(scope: Construct, id: string, props: AwsTrafficProps) {
    super(scope, id);
    const { dns } = props;
    const alias = { name: props.loadBalancer.dnsName, zoneId: props.loadBalancer.zoneId, evaluateTargetHealth: true };

    const dependsOn = [...(props.waitFor ?? [])];

    if (dns.routing.mode === "standby-failover") {
      // standby-aws's failover pair owns the api record; the servers behind the standing load balancer are the switch.
      this.healthCheckId = undefined;
      this.traffic = {
        apiUrl: props.baseUrl,
        routing: `Route 53 failover pair kept by standby-aws: SECONDARY ${props.apiHostname} -> standing load balancer, switched by health checks`,
      };
      return;
    }

    if (dns.routing.mode === "cut-over") {
      new Route53Record(this, "api", {
        zoneId: dns.hostedZoneId,
        name: props.apiHostname,
        type: "A",
        alias,
        // The primary's record for the api name is still in the zone: take it over (UPSERT) instead of failing on
        // "already exists". The primary's own IaC must not be re-applied while the recovery serves traffic.
        allowOverwrite: true,
        dependsOn,
      });
      this.healthCheckId = undefined;
      this.traffic = { apiUrl: props.baseUrl, routing: `Route 53 alias ${props.apiHostname} -> recovery load balancer (cut-over)` };
      return;
    }

    const healthCheck = new Route53HealthCheck(this, "healthCheck", {
      // The ALB's own name, not the api host: the api host still resolves to the primary while it is healthy.
      fqdn: props.loadBalancer.dnsName,
      type: "HTTPS",
      port: 443,
      resourcePath: MEDPLUM_HEALTH_CHECK_PATH,
      requestInterval: props.healthCheckIntervalSeconds ?? 30,
      failureThreshold: props.healthCheckFailureThreshold ?? 3,
      measureLatency: false,
      tags: { Name: `${props.namePrefix}-api-recovery` },
    });
    new Route53Record(this, "api", {
      zoneId: dns.hostedZoneId,
      name: props.apiHostname,
      type: "A",
      alias,
      setIdentifier: dns.routing.setIdentifier,
      failoverRoutingPolicy: { type: "SECONDARY" },
      healthCheckId: healthCheck.id,
      dependsOn,
    });
    this.healthCheckId = healthCheck.id;
    this.traffic = {
      apiUrl: props.baseUrl,
      routing: `Route 53 failover SECONDARY ${props.apiHostname} (set ${dns.routing.setIdentifier}) with health check on ${MEDPLUM_HEALTH_CHECK_PATH}`,
    };
  }
}
