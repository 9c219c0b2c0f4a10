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

export interface SecurityGroupsProps {
  readonly vpcId: string;
  /** Prefix for every resource name, e.g. `medplum-dr`. */
  readonly namePrefix: string;
}

export const MEDPLUM_PORT = 8103;
export const POSTGRES_PORT = 5432;
export const REDIS_PORT = 6379;

export class SecurityGroups extends Construct {
  readonly loadBalancerId: string;
  readonly applicationId: string;
  readonly databaseId: string;
  readonly cacheId: string;

  constructor(scope: Construct, id: string, props: SecurityGroupsProps) {
    super(scope, id);
    const group = (groupId: string, suffix: string, description: string) =>
      new SecurityGroup(this, groupId, {
        name: `${props.namePrefix}-${suffix}`,
        description,
        vpcId: props.vpcId,
        tags: { Name: `${props.namePrefix}-${suffix}` },
        // No inline rules: the rule resources below own them, and inline ones would fight them. Terraform also removes
        // AWS's default allow-all egress rule from a group it creates, so only the egress listed below exists.
      });
    const loadBalancer = group("loadBalancer", "alb", "Medplum recovery load balancer: HTTPS from the internet");
    const application = group("application", "app", "Medplum recovery servers: 8103 from the load balancer only");
    const database = group("database", "db", "Medplum recovery PostgreSQL: 5432 from the servers only");
    const cache = group("cache", "cache", "Medplum recovery Redis: 6379 from the servers only");

    const ingress = (ruleId: string, securityGroupId: string, port: number, from: { cidrIpv4?: string; referencedSecurityGroupId?: string }, description: string) =>
      new VpcSecurityGroupIngressRule(this, ruleId, { securityGroupId, ipProtocol: "tcp", fromPort: port, toPort: port, description, ...from });

    ingress("httpsFromInternet", loadBalancer.id, 443, { cidrIpv4: "0.0.0.0/0" }, "HTTPS from the internet");
    ingress("httpFromInternet", loadBalancer.id, 80, { cidrIpv4: "0.0.0.0/0" }, "HTTP from the internet, redirected to HTTPS");
    new VpcSecurityGroupEgressRule(this, "loadBalancerToApplication", {
      securityGroupId: loadBalancer.id,
      ipProtocol: "tcp",
      fromPort: MEDPLUM_PORT,
      toPort: MEDPLUM_PORT,
      referencedSecurityGroupId: application.id,
      description: "Forward to the Medplum servers",
    });

    ingress("applicationFromLoadBalancer", application.id, MEDPLUM_PORT, { referencedSecurityGroupId: loadBalancer.id }, "Medplum API from the load balancer");
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
    new VpcSecurityGroupEgressRule(this, "applicationToCache", {
      securityGroupId: application.id,
      ipProtocol: "tcp",
      fromPort: REDIS_PORT,
      toPort: REDIS_PORT,
      referencedSecurityGroupId: cache.id,
      description: "Redis",
    });

    ingress("databaseFromApplication", database.id, POSTGRES_PORT, { referencedSecurityGroupId: application.id }, "PostgreSQL from the Medplum servers");
    ingress("cacheFromApplication", cache.id, REDIS_PORT, { referencedSecurityGroupId: application.id }, "Redis from the Medplum servers");

    this.loadBalancerId = loadBalancer.id;
    this.applicationId = application.id;
    this.databaseId = database.id;
    this.cacheId = cache.id;
  }
}
