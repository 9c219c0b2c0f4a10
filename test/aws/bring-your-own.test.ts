/**
 * A platform team plugs in its own Redis and its own load balancer (`mode: existing`): the recovery creates neither,
 * points the servers at them, and adds only the security group rules the servers need to reach them.
 */
import { exampleConfig } from "../support/config";
import { synthAws } from "./helpers";

const TOKEN = "arn:aws:secretsmanager:us-west-2:111122223333:secret:platform/redis-token-AbCdEf";
const REDIS_GROUP = "sg-0123456789abcdef0";
const ALB_GROUP = "sg-0fedcba9876543210";
const ownRedis = (reachableAt: object, extra: object = {}) => ({
  targets: {
    aws: { cache: { mode: "existing", host: "master.platform-redis.abc123.usw2.cache.amazonaws.com", authTokenSecretArn: TOKEN, reachableAt, ...extra } },
  },
});
const ownAlb = {
  targets: {
    aws: {
      loadBalancer: { mode: "existing", loadBalancer: "platform-edge", targetGroup: "medplum-api", securityGroupId: ALB_GROUP },
      tls: null,
    },
  },
};

describe("bring your own Redis (targets.aws.cache mode existing)", () => {
  const stack = synthAws(ownRedis({ securityGroupId: REDIS_GROUP }, { port: 6380 }));
  const container = JSON.parse(stack.only("aws_ecs_task_definition").container_definitions)[0];
  const env = Object.fromEntries(container.environment.map((entry: { name: string; value: string }) => [entry.name, entry.value]));

  it("creates no ElastiCache, no cache subnet group and reads no token at plan time", () => {
    expect(stack.resources("aws_elasticache_replication_group")).toEqual({});
    expect(stack.resources("aws_elasticache_subnet_group")).toEqual({});
    expect(stack.json.data?.aws_secretsmanager_secret_version ?? {}).toEqual({});
    expect(Object.values(stack.resources("aws_security_group")).map((group) => group.name)).not.toContain("medplum-dr-cache");
  });

  it("points the servers at the team's Redis, with TLS, the configured port and the password from its secret", () => {
    expect(env.MEDPLUM_REDIS_HOST).toBe("master.platform-redis.abc123.usw2.cache.amazonaws.com");
    expect(env.MEDPLUM_REDIS_PORT).toBe("6380");
    expect(env.MEDPLUM_REDIS_TLS).toBe("{}");
    expect(container.secrets).toContainEqual({ name: "MEDPLUM_REDIS_PASSWORD", valueFrom: TOKEN });
  });

  it("lets the servers reach it through its own group: one egress rule from the servers, one ingress rule on its group", () => {
    const application = stack.ref("aws_security_group", "securityGroups/application", "id");
    expect(stack.at("aws_vpc_security_group_egress_rule", "applicationToCache")).toMatchObject({
      security_group_id: application,
      referenced_security_group_id: REDIS_GROUP,
      from_port: 6380,
      to_port: 6380,
    });
    expect(stack.at("aws_vpc_security_group_ingress_rule", "cacheFromApplication")).toMatchObject({
      security_group_id: REDIS_GROUP,
      referenced_security_group_id: application,
      from_port: 6380,
    });
  });

  it("reaches a Redis outside the security groups by its address range, adding no rule to anyone else's group", () => {
    const byCidr = synthAws(ownRedis({ cidr: "10.50.8.0/24" }));
    expect(byCidr.at("aws_vpc_security_group_egress_rule", "applicationToCache")).toMatchObject({ cidr_ipv4: "10.50.8.0/24", from_port: 6379 });
    expect(Object.keys(byCidr.resources("aws_vpc_security_group_ingress_rule")).some((id) => id.includes("cacheFromApplication"))).toBe(false);
  });

  it("refuses an existing Redis given without a way to reach it, naming the field", () => {
    expect(() => exampleConfig({ targets: { aws: { cache: { mode: "existing", host: "redis.internal.example.com", authTokenSecretArn: TOKEN } } } })).toThrow(
      /targets\.aws\.cache\.reachableAt/,
    );
  });

  it("keeps a config without cache.mode an ElastiCache recovery", () => {
    expect(exampleConfig().targets.aws!.cache.mode).toBe("new");
  });
});

describe("bring your own load balancer (targets.aws.loadBalancer mode existing)", () => {
  const stack = synthAws(ownAlb);
  const data = stack.json.data;
  const only = (type: string) => {
    const found = Object.entries<Record<string, any>>(data[type] ?? {});
    expect(found, type).toHaveLength(1);
    return { id: found[0]![0], body: found[0]![1] };
  };

  it("creates no ALB, listener or target group, and no load balancer security group", () => {
    for (const type of ["aws_lb", "aws_lb_listener", "aws_lb_target_group"]) expect(stack.resources(type), type).toEqual({});
    expect(Object.values(stack.resources("aws_security_group")).map((group) => group.name)).not.toContain("medplum-dr-alb");
  });

  it("finds them by name at plan time and registers the servers in the existing target group", () => {
    const alb = only("aws_lb");
    const targets = only("aws_lb_target_group");
    const listener = only("aws_lb_listener");
    expect(alb.body.name).toBe("platform-edge");
    expect(targets.body.name).toBe("medplum-api");
    expect(listener.body).toMatchObject({ load_balancer_arn: `\${data.aws_lb.${alb.id}.arn}`, port: 443 });
    const service = stack.only("aws_ecs_service");
    expect(service.load_balancer).toEqual([
      { target_group_arn: `\${data.aws_lb_target_group.${targets.id}.arn}`, container_name: "medplum-server", container_port: 8103 },
    ]);
    expect(service.depends_on).toContain(`data.aws_lb_listener.${listener.id}`);
  });

  it("fails the plan when the target group is not one Fargate tasks can register with on Medplum's port", () => {
    const conditions = only("aws_lb_target_group").body.lifecycle.postcondition.map((entry: { condition: string }) => entry.condition);
    expect(conditions).toContain('${self.target_type == "ip" && self.port == 8103 && self.protocol == "HTTP"}');
    expect(conditions).toContain('${self.health_check[0].path == "/healthcheck"}');
  });

  it("switches DNS to the existing ALB and alarms on its metrics", () => {
    const alb = only("aws_lb");
    expect(stack.only("aws_route53_record").alias).toMatchObject({ name: `\${data.aws_lb.${alb.id}.dns_name}`, zone_id: `\${data.aws_lb.${alb.id}.zone_id}` });
    expect(stack.at("aws_cloudwatch_metric_alarm", "loadBalancer5xx").dimensions).toEqual({ LoadBalancer: `\${data.aws_lb.${alb.id}.arn_suffix}` });
  });

  it("admits the servers only from the team's load balancer group and adds only the forwarding rule to it", () => {
    const application = stack.ref("aws_security_group", "securityGroups/application", "id");
    expect(stack.at("aws_vpc_security_group_ingress_rule", "applicationFromLoadBalancer").referenced_security_group_id).toBe(ALB_GROUP);
    expect(stack.at("aws_vpc_security_group_egress_rule", "loadBalancerToApplication")).toMatchObject({
      security_group_id: ALB_GROUP,
      referenced_security_group_id: application,
      from_port: 8103,
    });
    const onAlbGroup = Object.values(stack.resources("aws_vpc_security_group_ingress_rule")).filter((rule) => rule.security_group_id === ALB_GROUP);
    expect(onAlbGroup).toEqual([]);
  });

  it("takes the load balancer by ARN too", () => {
    const arn = "arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/app/platform-edge/50dc6c495c0c9188";
    const byArn = synthAws({ targets: { aws: { ...ownAlb.targets.aws, loadBalancer: { ...ownAlb.targets.aws.loadBalancer, loadBalancer: arn } } } });
    expect(Object.values<Record<string, unknown>>(byArn.json.data.aws_lb)[0]).toMatchObject({ arn });
  });

  it.each([
    [{ ...ownAlb.targets.aws }, null],
    [{ loadBalancer: ownAlb.targets.aws.loadBalancer }, /targets\.aws\.tls: .* is not used: targets\.aws\.loadBalancer is mode existing/],
    [{ tls: null }, /targets\.aws\.tls: \(not set\) is required: a new load balancer/],
    [{ loadBalancer: { ...ownAlb.targets.aws.loadBalancer, targetGroup: "-bad-" } }, /targets\.aws\.loadBalancer\.targetGroup: .*is not a target group name/],
  ])("checks the load balancer and tls sections together (%j)", (aws, error) => {
    const parse = () => exampleConfig({ targets: { aws } });
    if (error === null) expect(parse).not.toThrow();
    else expect(parse).toThrow(error);
  });
});
