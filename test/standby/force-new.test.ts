/**
 * The replacement facts docs/standby.md relies on, against the aws 5.100.0 provider itself: one resource instance per
 * change, the state holding one value and the configuration another, planned with `terraform plan -refresh=false` from
 * the offline mirror (the method of test/facts/force-new-aws.test.ts). Nothing is read from AWS: fake credentials, no
 * refresh, every client pointed at a closed loopback port.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findPluginDir } from "../../report/terraform-plan";
import { skipWithoutTerraform } from "../report/terraform-helpers";
import { FAKE_AWS_PROVIDER, offlineTerraformEnv, runTerraform } from "../support/tf-offline";

const ACCOUNT = "111122223333";
const KEY_A = `arn:aws:kms:us-west-2:${ACCOUNT}:key/aaaa`;
const KEY_B = `arn:aws:kms:us-west-2:${ACCOUNT}:key/bbbb`;
const DB = `arn:aws:rds:us-east-1:${ACCOUNT}:db:medplum-prod`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/standby`;
const VAULT = `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:medplum-dr-standby`;

const LISTENER = {
  load_balancer_arn: `arn:aws:elasticloadbalancing:us-west-2:${ACCOUNT}:loadbalancer/app/medplum-dr-alb/1`,
  port: 443,
  protocol: "HTTPS",
  ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
  certificate_arn: `arn:aws:acm:us-west-2:${ACCOUNT}:certificate/aaaa`,
  default_action: [{ type: "forward", target_group_arn: `arn:aws:elasticloadbalancing:us-west-2:${ACCOUNT}:targetgroup/medplum-dr-api/1` }],
};
const PRIMARY_CLUSTER = `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:medplum-prod`;
const AURORA_SECONDARY = {
  cluster_identifier: "medplum-dr-replica",
  engine: "aurora-postgresql",
  engine_version: "16.6",
  kms_key_id: KEY_A,
  storage_encrypted: true,
};
const RDS_REPLICA = {
  identifier: "medplum-dr-replica",
  instance_class: "db.r6g.large",
  kms_key_id: KEY_A,
  storage_encrypted: true,
  backup_retention_period: 7,
};
const HEALTH_CHECK = {
  fqdn: "medplum-prod-alb-1.us-east-1.elb.amazonaws.com",
  port: 443,
  type: "HTTPS",
  resource_path: "/healthcheck",
  enable_sni: true,
  request_interval: 30,
  failure_threshold: 3,
};
const PRIMARY_RECORD = {
  zone_id: "Z0123456789EXAMPLE",
  name: "api.medplum.example.com",
  type: "A",
  set_identifier: "primary",
  failover_routing_policy: [{ type: "PRIMARY" }],
  health_check_id: "hc-1",
};

const DISTRIBUTION = `arn:aws:cloudfront::${ACCOUNT}:distribution/E1STORAGE2EXAMPLE`;
const keyPolicy = (more: unknown[]) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "AccountAdministersThroughIam", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" },
      ...more,
    ],
  });
const bucketPolicy = (more: unknown[]) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: ["arn:aws:s3:::medplum-binaries-usw2", "arn:aws:s3:::medplum-binaries-usw2/*"],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      ...more,
    ],
  });

const lifecycle = (days: number) => [{ delete_after: days, cold_storage_after: null, opt_in_to_archive_for_supported_resources: false }];
const planRule = (schedule: string) => ({
  rule_name: "every-1h-copied-to-recovery",
  target_vault_name: "medplum-dr-standby",
  schedule,
  start_window: 60,
  completion_window: 180,
  lifecycle: lifecycle(7),
  copy_action: [{ destination_vault_arn: VAULT, lifecycle: lifecycle(14) }],
  recovery_point_tags: {},
});
const replicationRule = (rtc: boolean) => ({
  id: "medplum-dr-standby",
  status: "Enabled",
  filter: [{ prefix: "", and: [], tag: [] }],
  delete_marker_replication: [{ status: "Disabled" }],
  destination: [
    {
      bucket: "arn:aws:s3:::medplum-binaries-usw2",
      storage_class: "STANDARD",
      metrics: [{ status: "Enabled", event_threshold: rtc ? [{ minutes: 15 }] : [] }],
      replication_time: rtc ? [{ status: "Enabled", time: [{ minutes: 15 }] }] : [],
    },
  ],
});

interface Probe {
  readonly label: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly state: Record<string, unknown>;
  readonly config: Record<string, unknown>;
  /** The attribute paths the provider must name in replace_paths; empty for an in-place update. */
  readonly replaces: readonly string[];
}

const PROBES: readonly Probe[] = [
  {
    label: "automated backups replication: another retention",
    type: "aws_db_instance_automated_backups_replication",
    schemaVersion: 0,
    state: { source_db_instance_arn: DB, kms_key_id: KEY_A, retention_period: 7 },
    config: { source_db_instance_arn: DB, kms_key_id: KEY_A, retention_period: 10 },
    replaces: ["retention_period"],
  },
  {
    label: "automated backups replication: another key",
    type: "aws_db_instance_automated_backups_replication",
    schemaVersion: 0,
    state: { source_db_instance_arn: DB, kms_key_id: KEY_A, retention_period: 7 },
    config: { source_db_instance_arn: DB, kms_key_id: KEY_B, retention_period: 7 },
    replaces: ["kms_key_id"],
  },
  {
    label: "backup vault: another key",
    type: "aws_backup_vault",
    schemaVersion: 0,
    state: { name: "medplum-dr-standby", kms_key_arn: KEY_A, force_destroy: false },
    config: { name: "medplum-dr-standby", kms_key_arn: KEY_B, force_destroy: false },
    replaces: ["kms_key_arn"],
  },
  {
    label: "backup vault: another name",
    type: "aws_backup_vault",
    schemaVersion: 0,
    state: { name: "medplum-dr-standby", kms_key_arn: KEY_A, force_destroy: false },
    config: { name: "other-standby", kms_key_arn: KEY_A, force_destroy: false },
    replaces: ["name"],
  },
  {
    label: "backup plan: another schedule",
    type: "aws_backup_plan",
    schemaVersion: 1,
    state: {
      name: "medplum-dr-standby",
      rule: [{ ...planRule("cron(0 0/1 * * ? *)"), enable_continuous_backup: false, schedule_expression_timezone: "Etc/UTC" }],
      advanced_backup_setting: [],
    },
    config: { name: "medplum-dr-standby", rule: [planRule("cron(0 0/6 * * ? *)")] },
    replaces: [],
  },
  {
    label: "replication configuration: Replication Time Control switched on",
    type: "aws_s3_bucket_replication_configuration",
    schemaVersion: 0,
    state: {
      bucket: "medplum-binaries-use1",
      role: ROLE,
      rule: [{ ...replicationRule(false), priority: 0, prefix: "", existing_object_replication: [], source_selection_criteria: [] }],
    },
    config: { bucket: "medplum-binaries-use1", role: ROLE, rule: [replicationRule(true)] },
    replaces: [],
  },
  {
    label: "replication configuration: another primary bucket",
    type: "aws_s3_bucket_replication_configuration",
    schemaVersion: 0,
    state: {
      bucket: "medplum-binaries-use1",
      role: ROLE,
      rule: [{ ...replicationRule(false), priority: 0, prefix: "", existing_object_replication: [], source_selection_criteria: [] }],
    },
    config: { bucket: "medplum-binaries-other", role: ROLE, rule: [replicationRule(false)] },
    replaces: ["bucket"],
  },
  // targets.aws.standby.cloudfront added to a running standby: its grants are new statements in the policies of the
  // standby key and the replica, which the provider updates in place (PutKeyPolicy, PutBucketPolicy); a replaced key
  // would leave every copy unreadable.
  {
    label: "standby key: a CloudFront statement added to its policy",
    type: "aws_kms_key",
    schemaVersion: 0,
    // key_usage and customer_master_key_spec are ForceNew and computed; a real state holds AWS's defaults.
    state: {
      description: "medplum-dr: standby copies",
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      key_usage: "ENCRYPT_DECRYPT",
      customer_master_key_spec: "SYMMETRIC_DEFAULT",
      policy: keyPolicy([]),
    },
    config: {
      description: "medplum-dr: standby copies",
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      policy: keyPolicy([
        {
          Sid: "CloudFrontDecryptsForTheStandbyDistributions",
          Effect: "Allow",
          Principal: { Service: "cloudfront.amazonaws.com" },
          Action: "kms:Decrypt",
          Resource: "*",
          Condition: { StringEquals: { "AWS:SourceArn": [DISTRIBUTION] } },
        },
      ]),
    },
    replaces: [],
  },
  {
    label: "replica bucket policy: a CloudFront statement added",
    type: "aws_s3_bucket_policy",
    schemaVersion: 0,
    state: { bucket: "medplum-binaries-usw2", policy: bucketPolicy([]) },
    config: {
      bucket: "medplum-binaries-usw2",
      policy: bucketPolicy([
        {
          Sid: "CloudFrontReadsForTheStorageDistribution",
          Effect: "Allow",
          Principal: { Service: "cloudfront.amazonaws.com" },
          Action: "s3:GetObject",
          Resource: "arn:aws:s3:::medplum-binaries-usw2/*",
          Condition: { StringEquals: { "AWS:SourceArn": DISTRIBUTION } },
        },
      ]),
    },
    replaces: [],
  },
  {
    label: "origin access control: another name (environment renamed)",
    type: "aws_cloudfront_origin_access_control",
    schemaVersion: 0,
    state: {
      name: "medplum-dr-standby-replica",
      description: "d",
      origin_access_control_origin_type: "s3",
      signing_behavior: "always",
      signing_protocol: "sigv4",
    },
    config: {
      name: "medplum-dr2-standby-replica",
      description: "d",
      origin_access_control_origin_type: "s3",
      signing_behavior: "always",
      signing_protocol: "sigv4",
    },
    replaces: [],
  },
  // Pilot-light: a replaced certificate reaches the standing listener in place; another VPC range replaces the VPC.
  {
    label: "standing HTTPS listener: another certificate",
    type: "aws_lb_listener",
    schemaVersion: 0,
    state: LISTENER,
    config: { ...LISTENER, certificate_arn: `arn:aws:acm:us-west-2:${ACCOUNT}:certificate/bbbb` },
    replaces: [],
  },
  {
    label: "standing VPC: another network.cidr",
    type: "aws_vpc",
    schemaVersion: 1,
    state: { cidr_block: "10.40.0.0/16", enable_dns_hostnames: true, enable_dns_support: true, instance_tenancy: "default" },
    config: { cidr_block: "10.41.0.0/16", enable_dns_hostnames: true, enable_dns_support: true },
    replaces: ["cidr_block"],
  },
  // Warm standby: promotion is an update of the replica that standby-aws owns, never a replacement of it.
  {
    label: "Aurora secondary: global_cluster_identifier removed (detach and promote)",
    type: "aws_rds_cluster",
    schemaVersion: 1,
    state: { ...AURORA_SECONDARY, global_cluster_identifier: "medplum-dr-global", engine_mode: "provisioned", availability_zones: ["us-west-2a"] },
    config: AURORA_SECONDARY,
    replaces: [],
  },
  {
    label: "Aurora secondary: another instance class of its instance",
    type: "aws_rds_cluster_instance",
    schemaVersion: 0,
    state: { cluster_identifier: "medplum-dr-replica", identifier: "medplum-dr-replica-1", engine: "aurora-postgresql", instance_class: "db.r6g.large" },
    config: { cluster_identifier: "medplum-dr-replica", identifier: "medplum-dr-replica-1", engine: "aurora-postgresql", instance_class: "db.r6g.xlarge" },
    replaces: [],
  },
  {
    label: "global cluster: another primary cluster (source_db_cluster_identifier)",
    type: "aws_rds_global_cluster",
    schemaVersion: 0,
    state: { global_cluster_identifier: "medplum-dr-global", source_db_cluster_identifier: PRIMARY_CLUSTER, force_destroy: true },
    config: { global_cluster_identifier: "medplum-dr-global", source_db_cluster_identifier: `${PRIMARY_CLUSTER}-2`, force_destroy: true },
    replaces: ["source_db_cluster_identifier"],
  },
  {
    label: "RDS read replica: replicate_source_db removed (promote)",
    type: "aws_db_instance",
    schemaVersion: 2,
    state: { ...RDS_REPLICA, replicate_source_db: DB },
    config: RDS_REPLICA,
    replaces: [],
  },
  {
    label: "RDS read replica: another instance class",
    type: "aws_db_instance",
    schemaVersion: 2,
    state: { ...RDS_REPLICA, replicate_source_db: DB },
    config: { ...RDS_REPLICA, replicate_source_db: DB, instance_class: "db.r6g.xlarge" },
    replaces: [],
  },
  // Failover records: the health check and both records follow a changed config in place (the provider rewrites the
  // record set through one change batch; set_identifier is not ForceNew in 5.100.0).
  {
    label: "health check: another primary entry point (fqdn)",
    type: "aws_route53_health_check",
    schemaVersion: 0,
    // measure_latency is ForceNew and defaults to false; a real state holds it.
    state: { ...HEALTH_CHECK, measure_latency: false },
    config: { ...HEALTH_CHECK, fqdn: "medplum-prod-alb-2.us-east-1.elb.amazonaws.com" },
    replaces: [],
  },
  {
    label: "PRIMARY failover record: another primary entry point (alias target)",
    type: "aws_route53_record",
    schemaVersion: 2,
    state: { ...PRIMARY_RECORD, alias: [{ name: "medplum-prod-alb-1.us-east-1.elb.amazonaws.com", zone_id: "Z35SXDOTRQ7X7K", evaluate_target_health: true }] },
    config: { ...PRIMARY_RECORD, alias: [{ name: "medplum-prod-alb-2.us-east-1.elb.amazonaws.com", zone_id: "Z35SXDOTRQ7X7K", evaluate_target_health: true }] },
    replaces: [],
  },
  {
    label: "PRIMARY failover record: another set identifier, in place",
    type: "aws_route53_record",
    schemaVersion: 2,
    state: { ...PRIMARY_RECORD, alias: [{ name: "medplum-prod-alb-1.us-east-1.elb.amazonaws.com", zone_id: "Z35SXDOTRQ7X7K", evaluate_target_health: true }] },
    config: {
      ...PRIMARY_RECORD,
      set_identifier: "use1",
      alias: [{ name: "medplum-prod-alb-1.us-east-1.elb.amazonaws.com", zone_id: "Z35SXDOTRQ7X7K", evaluate_target_health: true }],
    },
    replaces: [],
  },
];

describe("what a later change to the standby config does, per the aws 5.100.0 provider", () => {
  if (skipWithoutTerraform("test/standby/force-new.test.ts (plans of standby resources against the aws provider mirror)")) {
    it.skip("needs Terraform and the aws provider mirror", () => undefined);
    return;
  }
  const workDir = mkdtempSync(join(tmpdir(), "medplum-dr-standby-force-new-"));
  const env = offlineTerraformEnv();
  const provider = FAKE_AWS_PROVIDER;
  const changes = new Map<string, { actions: string[]; replace_paths?: unknown[][] }>();

  beforeAll(async () => {
    const resource: Record<string, Record<string, unknown>> = {};
    const resources = PROBES.map((probe, index) => {
      (resource[probe.type] ??= {})[`p${index}`] = probe.config;
      return {
        mode: "managed",
        type: probe.type,
        name: `p${index}`,
        provider: 'provider["registry.terraform.io/hashicorp/aws"]',
        instances: [{ schema_version: probe.schemaVersion, attributes: { id: "probe", ...probe.state }, sensitive_attributes: [] }],
      };
    });
    const terraform = { required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } } };
    writeFileSync(join(workDir, "main.tf.json"), JSON.stringify({ terraform, provider: { aws: provider }, resource }));
    writeFileSync(
      join(workDir, "terraform.tfstate"),
      JSON.stringify({ version: 4, terraform_version: "1.11.0", serial: 1, lineage: "00000000-0000-4000-8000-000000000000", outputs: {}, resources }),
    );
    const init = await runTerraform(["init", "-input=false", "-no-color", `-plugin-dir=${(await findPluginDir()) ?? "/opt/tf-plugins"}`], workDir, env);
    if (init.code !== 0) throw new Error(`terraform init failed: ${init.stderr}`);
    const plan = await runTerraform(["plan", "-refresh=false", "-input=false", "-lock=false", "-no-color", "-out=probe.plan"], workDir, env);
    if (plan.code !== 0) throw new Error(`terraform plan failed: ${plan.stderr}`);
    const json = JSON.parse((await runTerraform(["show", "-json", "probe.plan"], workDir, env)).stdout) as {
      resource_changes: Array<{ address: string; change: { actions: string[]; replace_paths?: unknown[][] } }>;
    };
    for (const change of json.resource_changes) changes.set(change.address, change.change);
  }, 600_000);

  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it.each(PROBES.map((probe, index) => ({ ...probe, index })))("$label", ({ type, index, replaces }) => {
    const change = changes.get(`${type}.p${index}`);
    const paths = (change?.replace_paths ?? []).map((path) => path.filter((step) => typeof step === "string").join("."));
    expect({ actions: change?.actions, paths }).toEqual(
      replaces.length === 0 ? { actions: ["update"], paths: [] } : { actions: ["delete", "create"], paths: [...replaces] },
    );
  });
});
