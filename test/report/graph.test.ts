import { interpolations } from "../../facts/terraform-expressions";
import { buildDependencyGraph } from "../../report/graph";
import type { TerraformJson } from "../../report/stack-json";

const meta = (path: string) => ({ "//": { metadata: { path: `recovery-test/${path}`, uniqueId: path.replace(/\//g, "_") } } });

/** A hand-written stack: every way a reference can hide in Terraform JSON. */
const STACK: TerraformJson = {
  locals: { db_endpoint: "${aws_rds_cluster.cluster.endpoint}:5432" },
  variable: { image_tag: { type: "string" } },
  data: {
    aws_secretsmanager_secret_version: { token: { ...meta("cache/token"), secret_id: "arn:aws:secretsmanager:us-west-2:1:secret:x" } },
  },
  resource: {
    aws_vpc: { vpc: { ...meta("network/vpc"), cidr_block: "10.0.0.0/16" } },
    aws_security_group: { db: { ...meta("database/sg"), vpc_id: "${aws_vpc.vpc.id}" } },
    aws_rds_cluster: {
      cluster: {
        ...meta("database/cluster"),
        // a reference in a list, inside a string with text around it
        vpc_security_group_ids: ["prefix-${aws_security_group.db.id}-suffix"],
        lifecycle: { ignore_changes: ["snapshot_identifier"] },
      },
    },
    aws_elasticache_replication_group: {
      redis: {
        ...meta("cache/redis"),
        // a data source reference inside a function call with nested braces
        auth_token: '${lookup({ "a" = data.aws_secretsmanager_secret_version.token.secret_string }, "a")}',
      },
    },
    aws_ecs_task_definition: {
      task: {
        ...meta("application/task"),
        // a JSON-encoded string with interpolations inside, and a reference through a local
        container_definitions: JSON.stringify([
          { image: "medplum/medplum-server:${var.image_tag}", environment: [{ name: "DB", value: "${local.db_endpoint}" }] },
        ]),
      },
    },
    aws_ecs_service: {
      service: {
        ...meta("application/service"),
        task_definition: "${aws_ecs_task_definition.task.arn}",
        // a reference in a nested block
        network_configuration: { security_groups: ["${aws_security_group.db.id}"] },
        depends_on: ["aws_rds_cluster.cluster", "data.aws_secretsmanager_secret_version.token"],
        description: "mentions aws_vpc.vpc in plain text, which is not a reference; $${aws_vpc.vpc.id} is an escaped literal",
        dynamic_things: "${each.value} ${count.index} ${path.module} ${self.id}",
      },
    },
    aws_route53_record: { api: { ...meta("traffic/api"), provider: "aws.primary", name: "api.example.com" } },
  },
};

describe("buildDependencyGraph", () => {
  const graph = buildDependencyGraph(STACK, "recovery-test");
  const deps = (address: string) => graph.byAddress.get(address)?.dependsOn;

  it("finds references inside lists and strings with text around them", () => {
    expect(deps("aws_rds_cluster.cluster")).toEqual(["aws_security_group.db"]);
  });

  it("finds data source references inside function calls and object constructors", () => {
    expect(deps("aws_elasticache_replication_group.redis")).toEqual(["data.aws_secretsmanager_secret_version.token"]);
  });

  it("finds references inside JSON-encoded strings, to locals and variables", () => {
    expect(deps("aws_ecs_task_definition.task")).toEqual(["local.db_endpoint", "var.image_tag"]);
    expect(deps("local.db_endpoint")).toEqual(["aws_rds_cluster.cluster"]);
  });

  it("merges explicit depends_on (resources and data sources) with references in nested blocks", () => {
    expect(deps("aws_ecs_service.service")).toEqual([
      "aws_ecs_task_definition.task",
      "aws_rds_cluster.cluster",
      "aws_security_group.db",
      "data.aws_secretsmanager_secret_version.token",
    ]);
  });

  it("ignores plain text, escaped $${...}, meta-arguments and Terraform's own objects (each, count, path, self)", () => {
    expect(deps("aws_ecs_service.service")).not.toContain("aws_vpc.vpc");
    expect(deps("aws_route53_record.api")).toEqual([]);
  });

  it("classifies every block by the step construct in its path, data sources too", () => {
    expect(Object.fromEntries(graph.nodes.map((node) => [node.address, node.step]))).toEqual({
      "aws_ecs_service.service": "application",
      "aws_ecs_task_definition.task": "application",
      "aws_elasticache_replication_group.redis": "cache",
      "aws_rds_cluster.cluster": "database",
      "aws_route53_record.api": "traffic",
      "aws_security_group.db": "database",
      "aws_vpc.vpc": "network",
      "data.aws_secretsmanager_secret_version.token": "cache",
      "local.db_endpoint": "stack",
      "var.image_tag": "stack",
    });
    expect(graph.byAddress.get("aws_rds_cluster.cluster")?.label).toBe("database/cluster");
  });

  it("puts blocks outside the step constructs at stack level", () => {
    const outside = buildDependencyGraph({ resource: { aws_s3_bucket: { b: { ...meta("elsewhere/bucket") } } } }, "recovery-test");
    expect(outside.nodes[0]).toMatchObject({ step: "stack", label: "elsewhere/bucket" });
  });
});

describe("provider configurations", () => {
  const graph = buildDependencyGraph(
    {
      provider: {
        aws: [{ region: "us-west-2" }, { alias: "primary", region: "us-east-1" }],
        kubernetes: [{ host: "https://${google_container_cluster.gke.endpoint}", token: "${data.google_client_config.me.access_token}" }],
      },
      data: { google_client_config: { me: {} } },
      resource: {
        google_container_cluster: { gke: { ...meta("application/cluster") } },
        kubernetes_deployment_v1: { medplum: { ...meta("application/deployment") } },
        aws_s3_bucket: { here: { ...meta("storage/here") }, there: { ...meta("storage/there"), provider: "aws.primary" } },
      },
    },
    "recovery-test",
  );

  it("make Kubernetes resources wait for the cluster their provider is configured from", () => {
    expect(graph.byAddress.get("kubernetes_deployment_v1.medplum")?.dependsOn).toEqual(["provider.kubernetes"]);
    expect(graph.byAddress.get("provider.kubernetes")?.dependsOn).toEqual(["data.google_client_config.me", "google_container_cluster.gke"]);
  });

  it("follow the provider meta-argument, else the provider the type is named after", () => {
    expect(graph.byAddress.get("aws_s3_bucket.here")?.dependsOn).toEqual(["provider.aws"]);
    expect(graph.byAddress.get("aws_s3_bucket.there")?.dependsOn).toEqual(["provider.aws.primary"]);
  });
});

describe("interpolations", () => {
  it.each([
    { text: "${a.b}", expected: ["a.b"] },
    { text: "x${a.b}y${c.d}z", expected: ["a.b", "c.d"] },
    { text: '${f({ "k" = "}" })}', expected: ['f({ "k" = "}" })'] },
    { text: "$${literal.value}", expected: [] },
    { text: "no interpolation", expected: [] },
  ])("reads $text", ({ text, expected }) => {
    expect(interpolations(text)).toEqual(expected);
  });
});
