/**
 * Redis for Medplum's cache, pub/sub and job queues. It starts empty after a recovery, which Medplum accepts, so
 * nothing is restored: only a fresh, encrypted, authenticated replication group in the private subnets.
 *
 * The AUTH token is the one value Terraform must carry (ElastiCache takes it only as an argument). It is read at plan
 * time from the Secrets Manager secret named in config through a data source whose `secret_string` the provider marks
 * sensitive, so the plan shows `(sensitive value)` and no output ever exposes it; it does sit in the state, which is
 * why the state backend is encrypted. The servers read the same secret at run time through ECS secrets.
 *
 * With `mode: existing` the team's own Redis is used instead (existingRedis below) and none of this is created. In the
 * warm-standby tier standby-aws creates this very construct in peacetime and recovery-aws reads it by name
 * (AdoptedCache in adopted.ts), so the names come from standing-names.ts, where both stacks find them.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsSecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { Fn, type TerraformResourceLifecycle } from "cdktf";
import { Construct } from "constructs";
import type { AwsTargetConfig } from "../../config/schema";
import type { RecoveredCache } from "../contracts";
import { LOG_RETENTION_DAYS } from "./log-retention";
import { REDIS_PORT } from "./security-groups";
import { standingNames } from "./standing-names";

type CacheConfig = AwsTargetConfig["cache"];
type NewCacheConfig = Extract<CacheConfig, { mode: "new" }>;
type ExistingCacheConfig = Extract<CacheConfig, { mode: "existing" }>;

export interface AwsCacheProps {
  /** `targets.aws.cache` from the config, mode new. */
  readonly cache: NewCacheConfig;
  /** Prefix for every name, e.g. `medplum-dr`. */
  readonly namePrefix: string;
  /** Private subnets for the cache nodes, at least two zones for Multi-AZ. */
  readonly privateSubnetIds: readonly string[];
  /** The security group that admits Redis from the servers only. */
  readonly securityGroupId: string;
  /** KMS key of the recovery region for data at rest and the slow log. */
  readonly kmsKeyArn: string;
  /**
   * Days the Redis slow log is kept in CloudWatch.
   * @default LOG_RETENTION_DAYS (365)
   */
  readonly logRetentionDays?: number;
  /**
   * The replication group's lifecycle (standby-aws's standing cache ignores a ForceNew argument, standby/standing.ts).
   * @default - none
   */
  readonly lifecycle?: TerraformResourceLifecycle;
}

export class AwsCache extends Construct {
  readonly recovered: RecoveredCache;

  constructor(scope: Construct, id: string, props: AwsCacheProps) {
    super(scope, id);
    const { cache, namePrefix } = props;
    const highlyAvailable = cache.nodes > 1;
    const names = standingNames(namePrefix);

    const authToken = new DataAwsSecretsmanagerSecretVersion(this, "authToken", { secretId: cache.authTokenSecretArn });

    const subnetGroup = new ElasticacheSubnetGroup(this, "subnets", {
      name: names.cache,
      description: `Private subnets of the ${namePrefix} recovery Redis`,
      subnetIds: [...props.privateSubnetIds],
    });
    const slowLog = new CloudwatchLogGroup(this, "slowLog", {
      name: names.cacheSlowLogGroup,
      retentionInDays: props.logRetentionDays ?? LOG_RETENTION_DAYS,
      kmsKeyId: props.kmsKeyArn,
    });

    const group = new ElasticacheReplicationGroup(this, "redis", {
      replicationGroupId: names.cache,
      description: `Medplum recovery Redis for ${namePrefix}`,
      engine: "redis",
      engineVersion: cache.engineVersion,
      parameterGroupName: `default.redis${cache.engineVersion.split(".")[0]}`,
      nodeType: cache.nodeType,
      numCacheClusters: cache.nodes,
      port: REDIS_PORT,
      subnetGroupName: subnetGroup.name,
      securityGroupIds: [props.securityGroupId],
      atRestEncryptionEnabled: "true",
      kmsKeyId: props.kmsKeyArn,
      transitEncryptionEnabled: true,
      // Sensitive already in the provider's schema; sensitive() states it here too, so no refactor can lose it.
      authToken: Fn.sensitive(authToken.secretString),
      // A second node only helps if it takes over on its own, in another zone.
      automaticFailoverEnabled: highlyAvailable,
      multiAzEnabled: highlyAvailable,
      logDeliveryConfiguration: [{ destination: slowLog.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" }],
      ...(props.lifecycle === undefined ? {} : { lifecycle: props.lifecycle }),
    });

    this.recovered = elastiCacheAsRecovered(group, cache.authTokenSecretArn);
  }
}

/**
 * A team's own Redis (`targets.aws.cache` mode existing): nothing is created, the servers are pointed at it and read its
 * password from the named secret at run time; the security group rules that let them reach it are in security-groups.ts.
 */
/**
 * An ElastiCache replication group as AwsCache builds it, as the cache contract: TLS and AUTH always on, the port the
 * security groups open, and the token the servers read from its secret at run time. The group is this stack's own
 * (AwsCache) or standby-aws's, read by name (AdoptedCache in adopted.ts).
 */
export function elastiCacheAsRecovered(
  group: { readonly replicationGroupId: string; readonly primaryEndpointAddress: string },
  authTokenSecretArn: string,
): RecoveredCache {
  return {
    resourceId: group.replicationGroupId,
    host: group.primaryEndpointAddress,
    port: REDIS_PORT,
    tls: true,
    password: { store: "aws-secrets-manager", id: authTokenSecretArn },
  };
}

export function existingRedis(cache: ExistingCacheConfig): RecoveredCache {
  return {
    resourceId: cache.host,
    host: cache.host,
    port: cache.port,
    tls: cache.tls,
    password: { store: "aws-secrets-manager", id: cache.authTokenSecretArn },
  };
}
