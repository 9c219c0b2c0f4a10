/**
 * In the pilot-light and warm-standby tiers (`targets.aws.standby.tier`), standby-aws keeps the network, security
 * groups, ECS cluster, load balancer, roles and server log group standing in the recovery region; the recovery finds
 * them by the names in standing-names.ts, with data sources read at plan time in the recovery region (the roles by ARN
 * alone, see AdoptedApplicationStanding), and creates only
 * the database (warm-standby: adopts and promotes the replica, replica-promotion.ts), the cache (warm-standby with
 * `cache.mode: new`: standby-aws keeps it standing too, AdoptedCache below), the servers (task definition and service),
 * DNS and monitoring. Never through standby-aws's state: a recovery
 * must not depend on reading another stack's state, and must not own what that state owns.
 *
 * Postconditions fail the plan, naming what is missing, when standby-aws has not built what the tier promises
 * (fewer than two subnets of a tier, say), instead of a half-built recovery.
 */
import { DataAwsCloudwatchLogGroup } from "@cdktf/provider-aws/lib/data-aws-cloudwatch-log-group";
import { DataAwsEcsCluster } from "@cdktf/provider-aws/lib/data-aws-ecs-cluster";
import { DataAwsElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/data-aws-elasticache-replication-group";
import { DataAwsSecurityGroup } from "@cdktf/provider-aws/lib/data-aws-security-group";
import { DataAwsSubnets } from "@cdktf/provider-aws/lib/data-aws-subnets";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { Construct } from "constructs";
import type { AwsTargetConfig } from "../../config/schema";
import type { RecoveredCache } from "../contracts";
import { elastiCacheAsRecovered } from "./cache";
import { ExistingLoadBalancer } from "./load-balancer";
import { REDIS_PORT, redisFromServers, redisReach, serversToRedis } from "./security-groups";
import { standingNames } from "./standing-names";
import type { AwsLoadBalancer, AwsRecoveryNetwork } from "./step-results";

/** The tiers in which standby-aws keeps infrastructure standing for the recovery to adopt. */
export const ADOPTING_TIERS = ["pilot-light", "warm-standby"] as const;

/** Whether the recovery adopts standing infrastructure; the tier is read as a string, whatever the schema allows. */
export function adoptsStanding(aws: AwsTargetConfig): boolean {
  const tier: string | undefined = aws.standby?.tier;
  return tier !== undefined && (ADOPTING_TIERS as readonly string[]).includes(tier);
}

/** Whether standby-aws keeps the recovery's Redis standing: warm-standby only, and only an ElastiCache it creates (`cache.mode: new`). */
export function adoptsStandingCache(aws: AwsTargetConfig): aws is AwsTargetConfig & { readonly cache: Extract<AwsTargetConfig["cache"], { mode: "new" }> } {
  const tier: string | undefined = aws.standby?.tier;
  return tier === "warm-standby" && aws.cache.mode === "new";
}

export interface AdoptedNetworkProps {
  /** `targets.aws.network`: with mode new, standby-aws built the VPC (found by its Name tag); with mode existing, it is named here. */
  readonly network: AwsTargetConfig["network"];
  /** `targets.aws.cache`: a team's own Redis still needs the rules that let the servers reach it. */
  readonly cache: AwsTargetConfig["cache"];
  readonly namePrefix: string;
}

export class AdoptedNetwork extends Construct {
  readonly result: AwsRecoveryNetwork;

  constructor(scope: Construct, id: string, props: AdoptedNetworkProps) {
    super(scope, id);
    const { network } = props;
    const names = standingNames(props.namePrefix);

    let vpcId: string;
    let publicSubnetIds: readonly string[];
    let privateSubnetIds: readonly string[];
    if (network.mode === "existing") {
      ({ vpcId, publicSubnetIds, privateSubnetIds } = network);
    } else {
      const vpc = new DataAwsVpc(this, "vpc", { tags: { Name: names.vpc } });
      const subnets = (tier: "public" | "private") =>
        new DataAwsSubnets(this, `${tier}Subnets`, {
          filter: [
            { name: "vpc-id", values: [vpc.id] },
            { name: "tag:tier", values: [tier] },
          ],
          lifecycle: {
            postcondition: [
              {
                condition: "${length(self.ids) >= 2}",
                errorMessage: `standby-aws keeps no two ${tier} subnets tagged tier=${tier} in VPC ${names.vpc}; apply standby-aws (tier pilot-light or warm-standby) first`,
              },
            ],
          },
        }).ids;
      vpcId = vpc.id;
      publicSubnetIds = subnets("public");
      privateSubnetIds = subnets("private");
    }

    const group = (role: "alb" | "app" | "db" | "cache") =>
      new DataAwsSecurityGroup(this, `${role}SecurityGroup`, { name: names.securityGroup(role), vpcId }).id;
    const applicationId = group("app");
    const existingCache = props.cache.mode === "existing" ? props.cache : undefined;
    if (existingCache !== undefined) {
      // standby-aws's groups admit its own cache group; a team's own Redis needs the servers let through to it.
      const redis = redisReach(existingCache);
      serversToRedis(this, applicationId, redis);
      redisFromServers(this, applicationId, redis);
    }

    this.result = {
      networkId: vpcId,
      vpcId,
      publicSubnetIds,
      privateSubnetIds,
      securityGroups: {
        loadBalancerId: group("alb"),
        applicationId,
        databaseId: group("db"),
        cacheId: existingCache === undefined ? group("cache") : undefined,
      },
    };
  }
}

export interface AdoptedApplicationStandingProps {
  readonly namePrefix: string;
  /** The recovery account and its partition, which the role ARNs are built from. */
  readonly accountId: string;
  readonly partition: string;
}

/**
 * The ECS cluster, load balancer, server log group and the two roles standby-aws keeps standing.
 *
 * The roles are not read: IAM's control plane, which serves GetRole too, is in us-east-1, perhaps the lost region
 * (https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/global-services.html). A role's ARN
 * is `arn:<partition>:iam::<account>:role/<path><name>`
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns) and standby-aws sets
 * no path, so the ARN is exact without a read; standby-aws gives the roles everything the day needs in peacetime
 * (iam.ts), so nothing is added either. A standby-aws never applied is caught by the cluster's postcondition.
 */
export class AdoptedApplicationStanding extends Construct {
  readonly cluster: { readonly arn: string; readonly name: string };
  readonly loadBalancer: AwsLoadBalancer;
  readonly logGroup: { readonly name: string; readonly arn: string };
  readonly roles: { readonly executionRoleArn: string; readonly taskRoleArn: string };

  constructor(scope: Construct, id: string, props: AdoptedApplicationStandingProps) {
    super(scope, id);
    const names = standingNames(props.namePrefix);
    const roleArn = (name: string) => `arn:${props.partition}:iam::${props.accountId}:role/${name}`;
    this.roles = { executionRoleArn: roleArn(names.executionRole), taskRoleArn: roleArn(names.taskRole) };
    const cluster = new DataAwsEcsCluster(this, "cluster", {
      clusterName: names.ecsCluster,
      lifecycle: {
        postcondition: [
          {
            condition: '${self.status == "ACTIVE"}',
            errorMessage: `the standing ECS cluster ${names.ecsCluster} is not ACTIVE; apply standby-aws (tier pilot-light or warm-standby) first`,
          },
        ],
      },
    });
    this.cluster = { arn: cluster.arn, name: cluster.clusterName };
    this.loadBalancer = new ExistingLoadBalancer(this, "loadBalancer", {
      loadBalancer: { loadBalancer: names.loadBalancer, targetGroup: names.targetGroup, httpsListenerPort: 443 },
      namedBy: "standby-aws",
    });
    const logGroup = new DataAwsCloudwatchLogGroup(this, "serverLogs", { name: names.serverLogGroup });
    this.logGroup = { name: logGroup.name, arn: logGroup.arn };
  }
}

export interface AdoptedCacheProps {
  readonly namePrefix: string;
  /** `targets.aws.cache`, mode new: the secret standby-aws set the AUTH token from, which the servers read at run time. */
  readonly authTokenSecretArn: string;
}

/**
 * The Redis standby-aws keeps standing in warm-standby (its own AwsCache, cache.ts), read by its replication group id.
 * Unlike the creating path, nothing here reads the AUTH token: ElastiCache holds it already and the servers read the
 * secret at run time, so the recovery's plan and state carry no token in this tier.
 *
 * The data source has no transit-encryption attribute, so TLS is taken from how standby-aws builds it (always on);
 * the postcondition checks what it can see, that AUTH is on and the port is the one the security groups open, so a
 * group of that name built otherwise fails the plan here instead of the servers failing to connect.
 */
export class AdoptedCache extends Construct {
  readonly recovered: RecoveredCache;

  constructor(scope: Construct, id: string, props: AdoptedCacheProps) {
    super(scope, id);
    const name = standingNames(props.namePrefix).cache;
    const group = new DataAwsElasticacheReplicationGroup(this, "redis", {
      replicationGroupId: name,
      lifecycle: {
        postcondition: [
          {
            condition: `\${self.auth_token_enabled && self.port == ${REDIS_PORT} && self.primary_endpoint_address != ""}`,
            errorMessage: `the standing ElastiCache replication group ${name} has no AUTH token, no primary endpoint or a port other than ${REDIS_PORT}; apply standby-aws (tier warm-standby, cache mode new) first`,
          },
        ],
      },
    });
    this.recovered = elastiCacheAsRecovered(group, props.authTokenSecretArn);
  }
}
