import { synthAws } from "./helpers";

describe("cache: ElastiCache Redis", () => {
  const stack = synthAws();
  const redis = stack.only("aws_elasticache_replication_group");

  it("runs the configured Redis version, encrypted at rest with the recovery key and in transit", () => {
    expect(redis).toMatchObject({
      engine: "redis",
      engine_version: "7.1",
      at_rest_encryption_enabled: "true",
      kms_key_id: stack.ref("aws_kms_key", "database/key", "arn"),
      transit_encryption_enabled: true,
      port: 6379,
    });
  });

  it("takes the AUTH token from the configured secret at plan time, never as a literal", () => {
    const token = stack.only("aws_elasticache_replication_group").auth_token;
    expect(token).toBe(
      `\${sensitive(data.aws_secretsmanager_secret_version.${Object.keys(stack.json.data.aws_secretsmanager_secret_version)[0]}.secret_string)}`,
    );
    expect(Object.values(stack.json.data.aws_secretsmanager_secret_version)[0]).toMatchObject({
      secret_id: "arn:aws:secretsmanager:us-west-2:111122223333:secret:medplum/redis-auth-AbCdEf",
    });
    expect(JSON.stringify(stack.json.output)).not.toContain("secret_string");
  });

  it("fails over automatically across zones when it has more than one node", () => {
    expect(redis).toMatchObject({ num_cache_clusters: 2, automatic_failover_enabled: true, multi_az_enabled: true });
    const single = synthAws({ targets: { aws: { cache: { nodes: 1 } } } }).only("aws_elasticache_replication_group");
    expect(single).toMatchObject({ num_cache_clusters: 1, automatic_failover_enabled: false, multi_az_enabled: false });
  });

  it("lives in the private subnets behind the cache security group", () => {
    expect(redis.subnet_group_name).toBe(stack.ref("aws_elasticache_subnet_group", "cache", "name"));
    expect(redis.security_group_ids).toEqual([stack.ref("aws_security_group", "securityGroups/cache", "id")]);
  });

  it("gives the servers the password as a reference to the configured secret (plain string, no JSON key)", () => {
    const container = JSON.parse(stack.only("aws_ecs_task_definition").container_definitions)[0];
    expect(container.secrets).toContainEqual({
      name: "MEDPLUM_REDIS_PASSWORD",
      valueFrom: "arn:aws:secretsmanager:us-west-2:111122223333:secret:medplum/redis-auth-AbCdEf",
    });
    expect(container.environment).toContainEqual({ name: "MEDPLUM_REDIS_TLS", value: "{}" });
  });
});
