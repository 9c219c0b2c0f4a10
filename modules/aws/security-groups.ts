/**
 * The four security groups of the recovery and the only paths between them:
 *   internet -> load balancer (443, 80 for the redirect) -> servers (8103) -> database (5432), cache (6379).
 * Rules are separate `aws_vpc_security_group_*_rule` resources referencing groups, not CIDRs, so a server can reach the
 * database only by being in the application group, and one rule can change without replacing the group.
 */
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import type { AwsTargetConfig } from "../../config/schema";
import { standingNames } from "./standing-names";

export interface SecurityGroupsProps {
  /** The VPC the groups belong to. */
  readonly vpcId: string;
  /** Prefix for every resource name, e.g. `medplum-dr`. */
  readonly namePrefix: string;
  /**
   * `targets.aws.loadBalancer`: with mode existing the load balancer's own group stands in for the recovery's, and
   * only the rule forwarding to the servers is added to it.
   * @default - mode new
   */
  readonly loadBalancer?: AwsTargetConfig["loadBalancer"];
  /**
   * `targets.aws.cache`: with mode existing the team's Redis is reached through its own group (one ingress rule added
   * to it) or an address range, on its port.
   * @default - mode new
   */
  readonly cache?: AwsTargetConfig["cache"];
}

export const MEDPLUM_PORT = 8103;
export const POSTGRES_PORT = 5432;
export const REDIS_PORT = 6379;

export class SecurityGroups extends Construct {
  readonly loadBalancerId: string;
  readonly applicationId: string;
  readonly databaseId: string;
  /** The recovery cache's group; undefined with a team's own Redis, which has its own. */
  readonly cacheId: string | undefined;

  constructor(scope: Construct, id: string, props: SecurityGroupsProps) {
    super(scope, id);
    const names = standingNames(props.namePrefix);
    const group = (groupId: string, role: "alb" | "app" | "db" | "cache", description: string) =>
      new SecurityGroup(this, groupId, {
        name: names.securityGroup(role),
        description,
        vpcId: props.vpcId,
        tags: { Name: names.securityGroup(role) },
        // No inline rules: the rule resources below own them, and inline ones would fight them. Terraform also removes
        // AWS's default allow-all egress rule from a group it creates, so only the egress listed below exists.
      });
    const existingLoadBalancer = props.loadBalancer?.mode === "existing" ? props.loadBalancer : undefined;
    const existingCache = props.cache?.mode === "existing" ? props.cache : undefined;
    const loadBalancerId = existingLoadBalancer?.securityGroupId ?? group("loadBalancer", "alb", "Medplum recovery load balancer: HTTPS from the internet").id;
    const application = group("application", "app", "Medplum recovery servers: 8103 from the load balancer only");
    const database = group("database", "db", "Medplum recovery PostgreSQL: 5432 from the servers only");
    const cache = existingCache === undefined ? group("cache", "cache", "Medplum recovery Redis: 6379 from the servers only") : undefined;

    const ingress = (
      ruleId: string,
      securityGroupId: string,
      port: number,
      from: { cidrIpv4?: string; referencedSecurityGroupId?: string },
      description: string,
    ) => new VpcSecurityGroupIngressRule(this, ruleId, { securityGroupId, ipProtocol: "tcp", fromPort: port, toPort: port, description, ...from });

    // A team's own load balancer already admits its clients; its rules stay the team's.
    if (existingLoadBalancer === undefined) {
      ingress("httpsFromInternet", loadBalancerId, 443, { cidrIpv4: "0.0.0.0/0" }, "HTTPS from the internet");
      ingress("httpFromInternet", loadBalancerId, 80, { cidrIpv4: "0.0.0.0/0" }, "HTTP from the internet, redirected to HTTPS");
    }
    new VpcSecurityGroupEgressRule(this, "loadBalancerToApplication", {
      securityGroupId: loadBalancerId,
      ipProtocol: "tcp",
      fromPort: MEDPLUM_PORT,
      toPort: MEDPLUM_PORT,
      referencedSecurityGroupId: application.id,
      description: "Forward to the Medplum servers",
    });

    ingress("applicationFromLoadBalancer", application.id, MEDPLUM_PORT, { referencedSecurityGroupId: loadBalancerId }, "Medplum API from the load balancer");
    // Servers pull the image, call AWS APIs (Secrets Manager, S3, CloudWatch) and send e-mail: outbound HTTPS anywhere.
    new VpcSecurityGroupEgressRule(this, "applicationToInternet", {
      securityGroupId: application.id,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
      description: "HTTPS to AWS APIs and the image registry",
    });
    new VpcSecurityGroupEgressRule(this, "applicationToDatabase", {
      securityGroupId: application.id,
      ipProtocol: "tcp",
      fromPort: POSTGRES_PORT,
      toPort: POSTGRES_PORT,
      referencedSecurityGroupId: database.id,
      description: "PostgreSQL",
    });
    const redis: RedisReach = cache !== undefined ? { port: REDIS_PORT, securityGroupId: cache.id } : redisReach(existingCache!);
    serversToRedis(this, application.id, redis);

    ingress("databaseFromApplication", database.id, POSTGRES_PORT, { referencedSecurityGroupId: application.id }, "PostgreSQL from the Medplum servers");
    redisFromServers(this, application.id, redis);

    this.loadBalancerId = loadBalancerId;
    this.applicationId = application.id;
    this.databaseId = database.id;
    this.cacheId = cache?.id;
  }
}

/** Where the servers find Redis: a security group (the recovery's, or a team's own Redis's) or an address range. */
export type RedisReach = { readonly port: number } & ({ readonly securityGroupId: string } | { readonly cidr: string });

/** A team's own Redis (`cache.mode: existing`), as the security group rules see it. */
export function redisReach(cache: Extract<AwsTargetConfig["cache"], { mode: "existing" }>): RedisReach {
  return { port: cache.port, ...cache.reachableAt };
}

/** The servers' egress rule to Redis (construct id `applicationToCache`, part of its address). */
export function serversToRedis(scope: Construct, applicationGroupId: string, redis: RedisReach): void {
  new VpcSecurityGroupEgressRule(scope, "applicationToCache", {
    securityGroupId: applicationGroupId,
    ipProtocol: "tcp",
    fromPort: redis.port,
    toPort: redis.port,
    ...("securityGroupId" in redis ? { referencedSecurityGroupId: redis.securityGroupId } : { cidrIpv4: redis.cidr }),
    description: "Redis",
  });
}

/**
 * Redis's ingress rule from the servers (construct id `cacheFromApplication`), on its group; none for an address range,
 * whose own firewall is its owner's. On a team's group the recovery owns this one rule only.
 */
export function redisFromServers(scope: Construct, applicationGroupId: string, redis: RedisReach): void {
  if (!("securityGroupId" in redis)) return;
  new VpcSecurityGroupIngressRule(scope, "cacheFromApplication", {
    securityGroupId: redis.securityGroupId,
    ipProtocol: "tcp",
    fromPort: redis.port,
    toPort: redis.port,
    referencedSecurityGroupId: applicationGroupId,
    description: "Redis from the Medplum servers",
  });
}
