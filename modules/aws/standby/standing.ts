/**
 * What the pilot-light and warm-standby tiers keep standing in the recovery region, for recovery-aws to adopt by the
 * names in ../standing-names.ts (never through this stack's state): the VPC with its subnets, NAT gateways, flow logs
 * and security groups, the ECS cluster, the load balancer with its HTTPS listener and target group, the server's task
 * and execution roles, and its KMS-encrypted log group; warm-standby adds the database replica (replica.ts) and, with
 * `cache.mode: new`, the Redis (StandbyCache below). On the day the recovery creates only the database (or promotes
 * the replica), the cache (not in warm-standby), the servers and DNS.
 *
 * The network, load balancer and roles are recovery-aws's own constructs, so the standing layout is the one the
 * backup-restore recovery builds, resource for resource. Those constructs take no `provider` (recovery-aws has one
 * default provider), and every provider of this stack is aliased, so `inRecoveryRegion` assigns the recovery provider
 * to every resource they create, through the typed `provider` property cdktf gives each resource.
 *
 * The roles carry in peacetime everything the recovery's servers will need, for recovery-aws adds nothing to them and
 * does not even read them: IAM's control plane is in us-east-1, perhaps the region lost
 * (https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/global-services.html).
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { adoptsStandingCache } from "../adopted";
import { AwsCache } from "../cache";
import type { AwsStandbyConfig, AwsTargetConfig, RecoveryConfig } from "../../../config/schema";
import type { StandingInfrastructure } from "../../standby-contracts";
import { recoveryKeyAlias } from "../encryption-key";
import { AWS_DATABASE_ENGINES } from "../engines";
import { type FutureMasterSecret, TaskRoles } from "../iam";
import { LoadBalancer } from "../load-balancer";
import { LOG_RETENTION_DAYS } from "../log-retention";
import { AwsNetwork } from "../network";
import { standingNames } from "../standing-names";
import { inRecoveryRegion } from "./in-region";
import { StandbyDatabaseReplica } from "./replica";

/** The standing load balancer, where the SECONDARY failover record points. */
export interface StandingEntryPoint {
  readonly dnsName: string;
  readonly zoneId: string;
}

export interface StandbyStandingProps {
  readonly config: RecoveryConfig;
  readonly aws: AwsTargetConfig;
  readonly standby: AwsStandbyConfig;
  readonly primary: AwsProvider;
  readonly recovery: AwsProvider;
  readonly namePrefix: string;
  readonly accountId: string;
  readonly partition: string;
  /** The standby key of the recovery region: the log groups and the replica are encrypted with it. */
  readonly kmsKeyArn: string;
  /** The secrets' replicas in the recovery region (the secrets step). */
  readonly replicaSecretArns: readonly string[];
  /** The certificate issued in peacetime (the certificate step), or targets.aws.tls.certificateArn. */
  readonly certificateArn: string;
}

export class StandbyStanding extends Construct {
  readonly standing: StandingInfrastructure & { readonly entryPoint: StandingEntryPoint };

  constructor(scope: Construct, id: string, props: StandbyStandingProps) {
    super(scope, id);
    const { aws, namePrefix, recovery, partition } = props;
    const names = standingNames(namePrefix);

    const pilotLight = new Construct(this, "pilotLight");
    const network = new AwsNetwork(pilotLight, "vpc", { network: aws.network, availabilityZones: aws.availabilityZones, namePrefix });
    new EcsCluster(pilotLight, "cluster", {
      name: names.ecsCluster,
      // The recovery's RunningTaskCount alarm exists only with Container Insights, as on recovery-aws's own cluster.
      setting: [{ name: "containerInsights", value: "enabled" }],
    });
    const loadBalancer = new LoadBalancer(pilotLight, "loadBalancer", {
      namePrefix,
      network: network.result,
      tls: { certificateArn: props.certificateArn },
    });
    const logGroup = new CloudwatchLogGroup(pilotLight, "serverLogs", {
      name: names.serverLogGroup,
      retentionInDays: LOG_RETENTION_DAYS,
      kmsKeyId: props.kmsKeyArn,
    });
    // What the recovery's task definition will reference, all granted now. Known before the day: the application
    // secret and the Redis token (the recovery config's own ARNs, in this region), every replicated secret, and, when
    // the recovery promotes the replica, the primary's master secret it names. A restored database's master secret is
    // created by RDS on the day, so it is granted by its database's tag instead (futureMasterSecretStatements).
    const restore = aws.database.restore;
    const secretArns = [
      ...new Set([
        aws.secrets.applicationSecretArn,
        aws.cache.authTokenSecretArn,
        ...props.replicaSecretArns,
        ...(restore.mode === "replica-promotion" ? [restore.masterSecretArn] : []),
      ]),
    ];
    const futureMasterSecret: FutureMasterSecret | undefined =
      restore.mode === "replica-promotion"
        ? undefined
        : {
            accountId: props.accountId,
            database: AWS_DATABASE_ENGINES[aws.database.engine].resourceType,
            identifier: names.restoredDatabase,
            key: aws.database.kmsKeyArn !== undefined ? { arn: aws.database.kmsKeyArn } : { alias: recoveryKeyAlias(namePrefix) },
          };
    new TaskRoles(pilotLight, "roles", {
      namePrefix,
      region: aws.region,
      partition,
      logGroupArn: logGroup.arn,
      secretArns,
      kmsKeyArn: props.kmsKeyArn,
      // The bucket the recovery's servers use: the replica adopted (storage mode existing), or the one it creates.
      bucketArn: `arn:${partition}:s3:::${aws.storage.bucketName}`,
      image: props.config.medplum.image,
      ...(futureMasterSecret === undefined ? {} : { futureMasterSecret }),
    });
    inRecoveryRegion(pilotLight, recovery);

    // One line per resource group; the stack output joins them with commas, so a line has none of its own.
    const zones = aws.availabilityZones.join(" ");
    const adopted = [
      aws.network.mode === "new"
        ? `VPC ${names.vpc} (${aws.network.cidr}; public and private subnets in ${zones}; ${aws.network.natGatewayPerZone ? "a NAT gateway per zone" : "one NAT gateway"}; flow logs)`
        : `the existing VPC ${aws.network.vpcId}`,
      `security groups ${(["alb", "app", "db", "cache"] as const).map((role) => names.securityGroup(role)).join(" ")}`,
      `ECS cluster ${names.ecsCluster} (Container Insights)`,
      `ALB ${names.loadBalancer} (HTTPS listener and HTTP redirect) with target group ${names.targetGroup}`,
      `IAM roles ${names.executionRole} and ${names.taskRole}`,
      `log group ${names.serverLogGroup} (KMS; ${LOG_RETENTION_DAYS} days)`,
    ];

    if (adoptsStandingCache(aws)) {
      new StandbyCache(this, "cache", { cache: aws.cache, namePrefix, recovery, kmsKeyArn: props.kmsKeyArn, network: network.result });
      adopted.push(`ElastiCache Redis ${names.cache} (${aws.cache.nodeType} x${aws.cache.nodes}; TLS, AUTH, KMS; slow log ${names.cacheSlowLogGroup})`);
    }

    const replica =
      props.standby.tier === "warm-standby"
        ? new StandbyDatabaseReplica(this, "replica", {
            primary: props.primary,
            recovery,
            database: aws.database,
            primaryDatabase: props.standby.database,
            primaryRegion: aws.primaryRegion,
            accountId: props.accountId,
            partition,
            namePrefix,
            kmsKeyArn: props.kmsKeyArn,
            privateSubnetIds: network.privateSubnetIds,
            securityGroupId: network.securityGroups.databaseId,
          })
        : undefined;

    this.standing = {
      adopted,
      entryPoint: { dnsName: loadBalancer.dnsName, zoneId: loadBalancer.zoneId },
      ...(replica === undefined ? {} : { databaseReplica: replica.replica }),
    };
  }
}

/**
 * What the standing cache ignores after creation. `kms_key_id` is ForceNew in aws_elasticache_replication_group
 * (hashicorp/terraform-provider-aws, internal/service/elasticache/replication_group.go, as are `replication_group_id`,
 * `subnet_group_name`, `port` and `at_rest_encryption_enabled`, which are fixed by the names and by AwsCache) and is the
 * one that can move without the cache's own config: a replaced standby key.
 */
export const STANDBY_CACHE_IGNORED = ["kms_key_id"];

interface StandbyCacheProps {
  readonly cache: Extract<AwsTargetConfig["cache"], { mode: "new" }>;
  readonly namePrefix: string;
  readonly recovery: AwsProvider;
  readonly kmsKeyArn: string;
  readonly network: AwsNetwork["result"];
}

/**
 * warm-standby: the recovery's own Redis (AwsCache, the settings `targets.aws.cache` gives it, the AUTH token read from
 * its secret in this region), standing in the standing private subnets and `<env>-cache` group, encrypted with the
 * standby key; recovery-aws reads it by name (AdoptedCache in ../adopted.ts). ElastiCache's creation is the longest
 * step of the day after the database, so it moves to peacetime. The token lands in this stack's state as in
 * recovery-aws's, hence the encrypted backend either way.
 *
 * No prevent_destroy: Medplum accepts an empty Redis after a recovery (cache, pub/sub and job queues), so a replaced or
 * destroyed standing cache loses nothing a recovery needs and is rebuilt by the next apply. Once the recovered servers
 * use it, though, a replacement would cut them off from Redis for the ~10 minutes of creation and drop their queued jobs,
 * so the one ForceNew argument that changes from outside its config (the key) is ignored, as on the replica.
 */
class StandbyCache extends Construct {
  constructor(scope: Construct, id: string, props: StandbyCacheProps) {
    super(scope, id);
    const cacheGroupId = props.network.securityGroups.cacheId;
    // The standing network is built without `cache`, so its cache group always exists; this guards a later change.
    if (cacheGroupId === undefined)
      throw new Error("targets.aws.cache: mode new needs the standing cache security group, which the standing network did not create");
    const cache = new AwsCache(this, "redis", {
      cache: props.cache,
      namePrefix: props.namePrefix,
      privateSubnetIds: props.network.privateSubnetIds,
      securityGroupId: cacheGroupId,
      kmsKeyArn: props.kmsKeyArn,
      lifecycle: { ignoreChanges: STANDBY_CACHE_IGNORED },
    });
    inRecoveryRegion(cache, props.recovery);
  }
}
