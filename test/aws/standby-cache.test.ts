/**
 * warm-standby keeps the recovery's Redis standing: standby-aws creates it with recovery-aws's own AwsCache under the
 * standing name, and recovery-aws reads it by that name instead of creating it. pilot-light and backup-restore still
 * create it on the day, and a team's own Redis (cache mode existing) changes nothing.
 */
import { MEDPLUM_VARIABLES } from "../../modules/medplum/server-environment";
import { standingNames } from "../../modules/aws/standing-names";
import { STANDBY_CACHE_IGNORED } from "../../modules/aws/standby/standing";
import { standbyConfig, synthStandby } from "../standby/helpers";
import { synthAws } from "./helpers";

const names = standingNames("medplum-dr");
const TOKEN_SECRET = "arn:aws:secretsmanager:us-west-2:111122223333:secret:medplum/redis-auth-AbCdEf";
const OWN_REDIS = {
  targets: {
    aws: {
      cache: {
        mode: "existing",
        nodeType: null,
        nodes: null,
        engineVersion: null,
        host: "master.platform-redis.abc123.usw2.cache.amazonaws.com",
        authTokenSecretArn: "arn:aws:secretsmanager:us-west-2:111122223333:secret:platform/redis-AbCdEf",
        reachableAt: { securityGroupId: "sg-0123456789abcdef0" },
      },
    },
  },
};

const data = (json: Record<string, any>, type: string): Record<string, Record<string, any>> => json.data?.[type] ?? {};
const environmentOf = (stack: ReturnType<typeof synthAws>) => {
  const container = JSON.parse(stack.only("aws_ecs_task_definition").container_definitions)[0];
  return Object.fromEntries(container.environment.map(({ name, value }: { name: string; value: string }) => [name, value]));
};

describe("standby-aws warm-standby: the cache standing in the recovery region", () => {
  const warm = synthStandby(standbyConfig({ tier: "warm-standby" }));

  it("is the recovery's own replication group, under the standing name, with the settings of targets.aws.cache", () => {
    const group = warm.only("aws_elasticache_replication_group");
    expect(group.replication_group_id).toBe(names.cache);
    expect(group).toMatchObject({
      engine: "redis",
      engine_version: "7.1",
      parameter_group_name: "default.redis7",
      node_type: "cache.t4g.medium",
      num_cache_clusters: 2,
      port: 6379,
      at_rest_encryption_enabled: "true",
      transit_encryption_enabled: true,
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      provider: "aws.recovery",
    });
    expect(warm.only("aws_elasticache_subnet_group").name).toBe(names.cache);
    const slowLog = Object.values(warm.resources("aws_cloudwatch_log_group")).find((logs) => logs.name === names.cacheSlowLogGroup);
    expect(slowLog?.provider).toBe("aws.recovery");
  });

  it("takes its AUTH token from the configured secret, read in the recovery region, never in clear", () => {
    const tokens = Object.entries(data(warm.json, "aws_secretsmanager_secret_version"));
    expect(tokens.map(([, body]) => [body.secret_id, body.provider])).toEqual([[TOKEN_SECRET, "aws.recovery"]]);
    expect(warm.only("aws_elasticache_replication_group").auth_token).toBe(
      `\${sensitive(data.aws_secretsmanager_secret_version.${tokens[0]![0]}.secret_string)}`,
    );
  });

  it("sits in the standing private subnets and cache security group, encrypted with the standby key", () => {
    const [subnetGroupId] = Object.keys(warm.resources("aws_elasticache_subnet_group"));
    const group = warm.only("aws_elasticache_replication_group");
    expect(group.subnet_group_name).toBe(warm.ref("aws_elasticache_subnet_group", subnetGroupId!, "name"));
    const [cacheGroupId] = Object.entries(warm.resources("aws_security_group")).find(([, body]) => body.name === names.securityGroup("cache"))!;
    expect(group.security_group_ids).toEqual([warm.ref("aws_security_group", cacheGroupId, "id")]);
    const privateSubnets = Object.entries(warm.resources("aws_subnet"))
      .filter(([, body]) => body.tags?.tier === "private")
      .map(([id]) => warm.ref("aws_subnet", id, "id"));
    expect(privateSubnets).toHaveLength(2);
    expect(warm.only("aws_elasticache_subnet_group").subnet_ids).toEqual(privateSubnets);
    const [keyId] = Object.entries(warm.resources("aws_kms_key")).find(([, key]) => String(key.description).includes("standby copies"))!;
    expect(group.kms_key_id).toBe(warm.ref("aws_kms_key", keyId, "arn"));
  });

  it("ignores a replaced standby key rather than replacing a cache the recovered servers may use, and is not prevent_destroy", () => {
    const group = warm.only("aws_elasticache_replication_group");
    expect(group.lifecycle).toEqual({ ignore_changes: STANDBY_CACHE_IGNORED });
    expect(STANDBY_CACHE_IGNORED).toEqual(["kms_key_id"]);
  });

  it("is listed among what the tier keeps standing", () => {
    expect(warm.json.output.standing_infrastructure.value).toContain(`ElastiCache Redis ${names.cache}`);
  });

  it("is not built in pilot-light, nor with a team's own Redis", () => {
    expect(synthStandby(standbyConfig({ tier: "pilot-light" })).resources("aws_elasticache_replication_group")).toEqual({});
    const own = synthStandby(standbyConfig({ tier: "warm-standby" }, OWN_REDIS));
    expect(own.resources("aws_elasticache_replication_group")).toEqual({});
    expect(own.resources("aws_elasticache_subnet_group")).toEqual({});
    expect(data(own.json, "aws_secretsmanager_secret_version")).toEqual({});
  });
});

describe("recovery-aws warm-standby: adopts the standing cache by name", () => {
  const warm = synthAws(standbyConfig({ tier: "warm-standby" }));

  it("creates no ElastiCache and reads no token, but the replication group by its standing name", () => {
    for (const type of ["aws_elasticache_replication_group", "aws_elasticache_subnet_group"]) expect(warm.resources(type), type).toEqual({});
    expect(Object.values(warm.resources("aws_cloudwatch_log_group")).map((logs) => logs.name)).not.toContain(names.cacheSlowLogGroup);
    expect(data(warm.json, "aws_secretsmanager_secret_version")).toEqual({});
    const groups = Object.values(data(warm.json, "aws_elasticache_replication_group"));
    expect(groups.map((group) => group.replication_group_id)).toEqual([names.cache]);
  });

  it("fails the plan, naming the cache and standby-aws, unless the group has AUTH, an endpoint and the Redis port", () => {
    const [group] = Object.values(data(warm.json, "aws_elasticache_replication_group"));
    const [postcondition] = group!.lifecycle.postcondition;
    expect(postcondition.condition).toBe('${self.auth_token_enabled && self.port == 6379 && self.primary_endpoint_address != ""}');
    expect(postcondition.error_message).toContain(names.cache);
    expect(postcondition.error_message).toContain("apply standby-aws (tier warm-standby, cache mode new) first");
  });

  it("points the servers at its primary endpoint, over TLS, with the password from the configured secret", () => {
    const [id] = Object.keys(data(warm.json, "aws_elasticache_replication_group"));
    const environment = environmentOf(warm);
    expect(environment[MEDPLUM_VARIABLES.redisHost]).toBe(`\${data.aws_elasticache_replication_group.${id}.primary_endpoint_address}`);
    expect(environment[MEDPLUM_VARIABLES.redisPort]).toBe("6379");
    expect(environment[MEDPLUM_VARIABLES.redisTls]).toBe("{}");
    const container = JSON.parse(warm.only("aws_ecs_task_definition").container_definitions)[0];
    expect(container.secrets).toContainEqual({ name: MEDPLUM_VARIABLES.redisPassword, valueFrom: TOKEN_SECRET });
  });

  it("uses a team's own Redis as before (cache mode existing)", () => {
    const own = synthAws(standbyConfig({ tier: "warm-standby" }, OWN_REDIS));
    expect(data(own.json, "aws_elasticache_replication_group")).toEqual({});
    expect(environmentOf(own)[MEDPLUM_VARIABLES.redisHost]).toBe(OWN_REDIS.targets.aws.cache.host);
  });

  it("pilot-light still creates the cache on the day, with its token read at plan time", () => {
    const aws = standbyConfig().targets.aws!;
    const pilot = synthAws({ ...standbyConfig(), targets: { aws: { ...aws, standby: { ...aws.standby!, tier: "pilot-light" } } } });
    expect(pilot.only("aws_elasticache_replication_group").replication_group_id).toBe(names.cache);
    expect(data(pilot.json, "aws_elasticache_replication_group")).toEqual({});
    expect(Object.keys(data(pilot.json, "aws_secretsmanager_secret_version"))).toHaveLength(1);
  });
});
