/**
 * The aws ForceNew tables (facts/force-new.ts) against the aws 5.100.0 provider itself: one resource instance per
 * settable attribute (and per direction for numbers), the state holding one value and the configuration another,
 * planned with `terraform plan -refresh=false` from the offline mirror. The provider's own `replace_paths` must list an
 * attribute exactly when the table says it forces replacement, in both directions: an attribute the table misses, or
 * one it claims, fails here. Nothing is read from AWS (fake credentials, no refresh, every client pointed at an
 * unreachable loopback proxy).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FORCE_NEW, type ForceNewTable } from "../../facts/force-new";
import { findPluginDir } from "../../report/terraform-plan";
import { skipWithoutTerraform } from "../report/terraform-helpers";
import { FAKE_AWS_PROVIDER, offlineTerraformEnv, runTerraform } from "../support/tf-offline";

const ACCOUNT = "111122223333";
const arn = (service: string, resource: string) => `arn:aws:${service}:us-west-2:${ACCOUNT}:${resource}`;
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

type ResourceType = "aws_rds_cluster" | "aws_rds_cluster_instance" | "aws_db_instance";

/** What every instance of the type carries, in state and configuration alike. */
const BASE: Readonly<Record<ResourceType, Record<string, unknown>>> = {
  aws_rds_cluster: { engine: "aurora-postgresql", cluster_identifier: "probe" },
  aws_rds_cluster_instance: { cluster_identifier: "probe", instance_class: "db.r6g.large", engine: "aurora-postgresql", identifier: "probe-1" },
  aws_db_instance: { instance_class: "db.r6g.large", engine: "postgres", identifier: "probe" },
};
/** Provider defaults the state must already hold, or their absence would itself plan a change. */
const STATE_BASE: Readonly<Partial<Record<ResourceType, Record<string, unknown>>>> = {
  aws_rds_cluster: { engine_mode: "provisioned", availability_zones: ["us-west-2a"] },
};
/** Write-only arguments and their versions cannot sit in state. */
const SKIP = new Set(["id", "tags_all", "timeouts", "password_wo", "master_password_wo", "password_wo_version", "master_password_wo_version"]);
/** Two valid values per attribute the provider validates; anything else gets generic ones by type. */
const VALUES: Readonly<Record<string, readonly [unknown, unknown]>> = {
  kms_key_id: [arn("kms", "key/aaaa"), arn("kms", "key/bbbb")],
  master_user_secret_kms_key_id: [arn("kms", "key/aaaa"), arn("kms", "key/bbbb")],
  performance_insights_kms_key_id: [arn("kms", "key/aaaa"), arn("kms", "key/bbbb")],
  monitoring_role_arn: [role("a"), role("b")],
  domain_auth_secret_arn: [arn("secretsmanager", "secret:a"), arn("secretsmanager", "secret:b")],
  iam_roles: [[role("a")], [role("b")]],
  backup_window: ["03:00-04:00", "05:00-06:00"],
  preferred_backup_window: ["03:00-04:00", "05:00-06:00"],
  maintenance_window: ["sun:07:00-sun:08:00", "mon:07:00-mon:08:00"],
  preferred_maintenance_window: ["sun:07:00-sun:08:00", "mon:07:00-mon:08:00"],
  backup_target: ["region", "outposts"],
  storage_type: ["gp2", "gp3"],
  network_type: ["IPV4", "DUAL"],
  replica_mode: ["open-read-only", "mounted"],
  engine_mode: ["provisioned", "serverless"],
  database_insights_mode: ["standard", "advanced"],
  enabled_cloudwatch_logs_exports: [["postgresql"], ["upgrade"]],
  availability_zones: [["us-west-2a"], ["us-west-2b"]],
  availability_zone: ["us-west-2a", "us-west-2b"],
  engine_lifecycle_support: ["open-source-rds-extended-support", "open-source-rds-extended-support-disabled"],
  custom_iam_instance_profile: ["AWSRDSCustomA", "AWSRDSCustomB"],
  cluster_scalability_type: ["standard", "limitless"],
  monitoring_interval: [0, 60],
  performance_insights_retention_period: [7, 731],
  backtrack_window: [0, 3600],
  ca_cert_identifier: ["rds-ca-rsa2048-g1", "rds-ca-ecc384-g1"],
  ca_certificate_identifier: ["rds-ca-rsa2048-g1", "rds-ca-ecc384-g1"],
  timezone: ["UTC", "GMT"],
  character_set_name: ["AL32UTF8", "UTF8"],
  nchar_character_set_name: ["AL16UTF16", "UTF8"],
  identifier: ["probe-a", "probe-b"],
  cluster_identifier: ["probe-a", "probe-b"],
  identifier_prefix: ["pa-", "pb-"],
  cluster_identifier_prefix: ["pa-", "pb-"],
  final_snapshot_identifier: ["final-a", "final-b"],
  db_name: ["dba", "dbb"],
  database_name: ["dba", "dbb"],
  source_region: ["us-east-1", "us-east-2"],
  domain_dns_ips: [
    ["10.0.0.1", "10.0.0.2"],
    ["10.0.0.3", "10.0.0.4"],
  ],
  promotion_tier: [0, 1],
  port: [5432, 5433],
  iops: [3000, 4000],
  storage_throughput: [125, 250],
  allocated_storage: [100, 200],
  max_allocated_storage: [300, 400],
  backup_retention_period: [7, 14],
  "restore_to_point_in_time.restore_time": ["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"],
  "restore_to_point_in_time.restore_to_time": ["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"],
  "restore_to_point_in_time.restore_type": ["full-copy", "copy-on-write"],
  "restore_to_point_in_time.source_db_instance_automated_backups_arn": [arn("rds", "auto-backup:ab-a"), arn("rds", "auto-backup:ab-b")],
  "s3_import.ingestion_role": [role("a"), role("b")],
  "scaling_configuration.timeout_action": ["ForceApplyCapacityChange", "RollbackCapacityChange"],
  "scaling_configuration.max_capacity": [16, 32],
  "scaling_configuration.min_capacity": [2, 4],
  "scaling_configuration.seconds_until_auto_pause": [300, 600],
  "scaling_configuration.seconds_before_timeout": [60, 120],
  "serverlessv2_scaling_configuration.max_capacity": [16, 32],
  "serverlessv2_scaling_configuration.min_capacity": [1, 2],
  "serverlessv2_scaling_configuration.seconds_until_auto_pause": [300, 600],
};
/** A coherent block to vary one attribute in (the blocks have ExactlyOneOf / ConflictsWith rules). */
const BLOCK_BASES: Readonly<Record<string, ReadonlyArray<Record<string, unknown>>>> = {
  "aws_db_instance.restore_to_point_in_time": [
    { source_db_instance_automated_backups_arn: arn("rds", "auto-backup:ab-a"), use_latest_restorable_time: true },
    { source_db_instance_identifier: "src", restore_time: "2026-01-01T00:00:00Z" },
    { source_dbi_resource_id: "db-a", use_latest_restorable_time: true },
  ],
  "aws_rds_cluster.restore_to_point_in_time": [
    { source_cluster_identifier: "src", use_latest_restorable_time: true, restore_type: "copy-on-write" },
    { source_cluster_resource_id: "cluster-a", restore_to_time: "2026-01-01T00:00:00Z" },
  ],
};

interface SchemaAttribute {
  readonly type: unknown;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
}
interface SchemaBlock {
  readonly attributes?: Record<string, SchemaAttribute>;
  readonly block_types?: Record<string, { readonly block: SchemaBlock }>;
}

interface Probe {
  readonly type: ResourceType;
  /** The attribute path changed, as the table spells it; `(added)` adds the whole block. */
  readonly path: string;
  readonly label: string;
  readonly base: Record<string, unknown>;
  readonly state: Record<string, unknown>;
  readonly config: Record<string, unknown>;
}

function values(path: string, type: unknown): readonly [unknown, unknown] {
  const known = VALUES[path] ?? (path.includes(".") ? undefined : VALUES[path]);
  if (known) return known;
  if (type === "bool") return [false, true];
  if (type === "number") return [100, 200];
  if (type === "string") return ["alpha", "bravo"];
  if (Array.isArray(type) && type[0] === "map") return [{ k: "a" }, { k: "b" }];
  return [["alpha"], ["bravo"]];
}

function probesFor(type: ResourceType, schema: SchemaBlock): Probe[] {
  const probes: Probe[] = [];
  const base = (path: string) => {
    const own = { ...BASE[type] };
    if (path === "identifier_prefix") delete own.identifier;
    if (path === "cluster_identifier_prefix") delete own.cluster_identifier;
    return own;
  };
  for (const [name, attribute] of Object.entries(schema.attributes ?? {})) {
    if (SKIP.has(name) || (attribute.computed && !attribute.optional && !attribute.required)) continue;
    const [a, b] =
      name === "engine" ? (type === "aws_db_instance" ? ["postgres", "mysql"] : ["aurora-postgresql", "aurora-mysql"]) : values(name, attribute.type);
    probes.push({ type, path: name, label: name, base: base(name), state: { [name]: a }, config: { [name]: b } });
    if (attribute.type === "number")
      probes.push({ type, path: name, label: `${name} (smaller)`, base: base(name), state: { [name]: b }, config: { [name]: a } });
  }
  for (const [blockName, { block }] of Object.entries(schema.block_types ?? {})) {
    if (blockName === "timeouts") continue;
    const bases = BLOCK_BASES[`${type}.${blockName}`] ?? [{}];
    const full = (attribute?: string) => {
      const chosen = { ...(bases.find((candidate) => attribute !== undefined && attribute in candidate) ?? bases[0]) };
      for (const [name, nested] of Object.entries(block.attributes ?? {}))
        if (nested.required && !(name in chosen)) chosen[name] = values(`${blockName}.${name}`, nested.type)[0];
      return chosen;
    };
    probes.push({ type, path: blockName, label: `${blockName} (added)`, base: base(blockName), state: { [blockName]: [] }, config: { [blockName]: [full()] } });
    for (const [name, nested] of Object.entries(block.attributes ?? {})) {
      if (nested.computed && !nested.optional) continue;
      const chosen = full(name);
      if (typeof chosen[name] === "boolean") continue; // exclusive booleans: covered by the swaps below
      const [a, b] = values(`${blockName}.${name}`, nested.type);
      probes.push({
        type,
        path: `${blockName}.${name}`,
        label: `${blockName}.${name}`,
        base: base(blockName),
        state: { [blockName]: [{ ...chosen, [name]: a }] },
        config: { [blockName]: [{ ...chosen, [name]: b }] },
      });
    }
  }
  return probes;
}

/** What the table says a probe's change does. */
function expectedReplacement(table: ForceNewTable, probe: Probe): boolean {
  const body = { ...probe.base, ...probe.config };
  return table.attributes.some((fact) => {
    if (!(fact.when?.(body) ?? true)) return false;
    if (probe.label.endsWith("(added)")) return fact.path === probe.path || fact.path.startsWith(`${probe.path}.`);
    if (fact.trigger === "shrink" && !probe.label.endsWith("(smaller)")) return false;
    return fact.path === probe.path;
  });
}

describe("facts/force-new.ts aws tables against the aws 5.100.0 provider", () => {
  if (skipWithoutTerraform("test/facts/force-new-aws.test.ts (plans of every RDS attribute against the aws provider mirror)")) {
    it.skip("needs Terraform and the aws provider mirror", () => undefined);
    return;
  }
  const workDir = mkdtempSync(join(tmpdir(), "medplum-dr-force-new-"));
  // Any HTTP call the provider might attempt fails at once against a closed loopback port instead of reaching AWS.
  const env = offlineTerraformEnv();
  const provider = FAKE_AWS_PROVIDER;
  let results: Array<{ probe: Probe; replaced: boolean; paths: string[] }> = [];

  beforeAll(async () => {
    const terraform = { required_providers: { aws: { source: "hashicorp/aws", version: FORCE_NEW.aws_rds_cluster.version } } };
    writeFileSync(join(workDir, "main.tf.json"), JSON.stringify({ terraform, provider: { aws: provider } }));
    const init = await runTerraform(["init", "-input=false", "-no-color", `-plugin-dir=${(await findPluginDir()) ?? "/opt/tf-plugins"}`], workDir, env);
    if (init.code !== 0) throw new Error(`terraform init failed: ${init.stderr}`);
    const shown = await runTerraform(["providers", "schema", "-json"], workDir, env);
    const schemas = JSON.parse(shown.stdout).provider_schemas["registry.terraform.io/hashicorp/aws"].resource_schemas as Record<
      string,
      { version: number; block: SchemaBlock }
    >;

    const probes = (Object.keys(BASE) as ResourceType[]).flatMap((type) => probesFor(type, schemas[type]!.block));
    const resource: Record<string, Record<string, unknown>> = {};
    const state = {
      version: 4,
      terraform_version: "1.11.0",
      serial: 1,
      lineage: "00000000-0000-4000-8000-000000000000",
      outputs: {},
      resources: [] as unknown[],
    };
    probes.forEach((probe, index) => {
      (resource[probe.type] ??= {})[`p${index}`] = { ...probe.base, ...probe.config };
      state.resources.push({
        mode: "managed",
        type: probe.type,
        name: `p${index}`,
        provider: 'provider["registry.terraform.io/hashicorp/aws"]',
        instances: [
          {
            schema_version: schemas[probe.type]!.version,
            attributes: { id: "probe", ...STATE_BASE[probe.type], ...probe.base, ...probe.state },
            sensitive_attributes: [],
          },
        ],
      });
    });
    writeFileSync(join(workDir, "main.tf.json"), JSON.stringify({ terraform, provider: { aws: provider }, resource }));
    writeFileSync(join(workDir, "terraform.tfstate"), JSON.stringify(state));
    const plan = await runTerraform(["plan", "-refresh=false", "-input=false", "-lock=false", "-no-color", "-out=probe.plan"], workDir, env);
    if (plan.code !== 0) throw new Error(`terraform plan failed: ${plan.stderr}`);
    const json = JSON.parse((await runTerraform(["show", "-json", "probe.plan"], workDir, env)).stdout) as {
      resource_changes: Array<{ address: string; change: { actions: string[]; replace_paths?: unknown[][] } }>;
    };
    const changes = new Map(json.resource_changes.map((change) => [change.address, change.change]));
    results = probes.map((probe, index) => {
      const change = changes.get(`${probe.type}.p${index}`);
      const paths = (change?.replace_paths ?? []).map((path) => path.filter((step) => typeof step === "string").join("."));
      return { probe, replaced: change?.actions.includes("delete") ?? false, paths };
    });
  }, 600_000);

  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it.each(Object.keys(BASE) as ResourceType[])("%s: the provider replaces the resource for exactly the attributes the table lists", (type) => {
    const table = FORCE_NEW[type];
    const disagreements = results
      .filter(({ probe }) => probe.type === type)
      .filter(({ probe, replaced }) => replaced !== expectedReplacement(table, probe))
      .map(
        ({ probe, replaced, paths }) =>
          `${probe.label}: the provider ${replaced ? `replaces (${paths.join(", ")})` : "updates in place"}, the table says ${replaced ? "it does not" : "it replaces"}`,
      );
    expect(results.filter(({ probe }) => probe.type === type).length).toBeGreaterThan(20);
    expect(disagreements).toEqual([]);
  });

  it("replaces for the attribute changed alone, never for the unchanged rest of the probe", () => {
    const stray = results
      .filter(({ replaced, probe, paths }) => replaced && paths.some((path) => !path.startsWith(probe.path)))
      .map(({ probe, paths }) => `${probe.label}: ${paths.join(", ")}`);
    expect(stray).toEqual([]);
  });

  it("reads a changed restore time as a replacement of the aurora cluster and as an in-place no-op of the RDS instance (5.100.0)", () => {
    const cluster = results.find(({ probe }) => probe.type === "aws_rds_cluster" && probe.path === "restore_to_point_in_time.restore_to_time");
    const instance = results.find(({ probe }) => probe.type === "aws_db_instance" && probe.path === "restore_to_point_in_time.restore_time");
    expect(cluster?.replaced).toBe(true);
    expect(instance?.replaced).toBe(false);
  });
});
