/**
 * The standby-aws stack as synthesized: what it attaches to the primary and what it owns, the copy into the recovery
 * region and its key, the replication, the secrets (never a value), the watches, determinism, and the policy pass the
 * synth runs on it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evaluateStackJson, RECOVERY_PACK } from "../../policy";
import { synthesize } from "../../synth/synthesize";
import { exampleConfig, exampleRpoSeconds, NAMED_SNAPSHOT_RESTORE, RDS_SNAPSHOT_RESTORE } from "../support/config";
import { buildRecoveryApp } from "../../stacks/app";
import { STANDBY_STEPS } from "../../stacks/standby-stack";
import { standbyConfig, synthStandby, type Resource } from "./helpers";

const example = synthStandby(standbyConfig());
const idOf = (stack: typeof example, type: string, pick: (resource: Resource) => boolean): string => {
  const found = Object.entries(stack.resources(type)).filter(([, resource]) => pick(resource));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]![0];
};

describe("which stacks the app builds", () => {
  it("adds standby-aws after the recovery stacks, only for a target with a standby section", () => {
    expect(example.stacks).toEqual(["recovery-aws", "standby-aws"]);
    const outdir = mkdtempSync(join(tmpdir(), "medplum-dr-standby-none-"));
    try {
      const { stacks } = buildRecoveryApp(
        exampleConfig({ targets: { gcp: null, azure: null, kubernetes: null, aws: { standby: null, database: { restore: NAMED_SNAPSHOT_RESTORE } } } }),
        outdir,
      );
      expect(stacks.map((stack) => stack.node.id)).toEqual(["recovery-aws"]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe("providers and state", () => {
  it("has one aliased provider per region and every resource names one", () => {
    expect(example.json.provider.aws.map((block: Resource) => [block.alias, block.region])).toEqual([
      ["primary", "us-east-1"],
      ["recovery", "us-west-2"],
    ]);
    expect(
      example
        .all()
        .filter(({ resource }) => !["aws.primary", "aws.recovery"].includes(resource.provider))
        .map(({ id }) => id),
    ).toEqual([]);
  });

  it("adds a us-east-1 provider for the Route 53 alarm only when neither region is us-east-1", () => {
    const elsewhere = synthStandby(standbyConfig({ replicatedSecretArns: [] }, { targets: { aws: { primaryRegion: "us-east-2" } } }));
    expect(elsewhere.json.provider.aws.map((block: Resource) => [block.alias, block.region])).toEqual([
      ["primary", "us-east-2"],
      ["recovery", "us-west-2"],
      ["route53-metrics", "us-east-1"],
    ]);
    const alarm = Object.values(elsewhere.resources("aws_cloudwatch_metric_alarm")).find((resource) => resource.namespace === "AWS/Route53")!;
    expect(alarm.provider).toBe("aws.route53-metrics");
    // The alarm publishes to a topic of its own region.
    const topicId = idOf(elsewhere, "aws_sns_topic", (topic) => topic.provider === "aws.route53-metrics");
    expect(alarm.alarm_actions).toEqual([elsewhere.ref("aws_sns_topic", topicId, "arn")]);
  });

  it("keeps its own state, apart from the recovery's", () => {
    expect(example.json.terraform.backend.local.path).toBe("../../../state/standby-aws.tfstate");
  });

  it("puts every resource and data source under one of StandbyStack's step constructs", () => {
    const data = Object.values(example.json.data as Record<string, Record<string, Resource>>).flatMap((byId) => Object.values(byId));
    const steps = new Set([...example.all().map(({ resource }) => resource), ...data].map((block) => String(block["//"].metadata.path).split("/")[1]));
    expect([...steps].every((step) => (STANDBY_STEPS as readonly string[]).includes(step))).toBe(true);
    // backup-restore keeps nothing standing, so that step is the only one without resources.
    expect([...steps].sort()).toEqual(STANDBY_STEPS.filter((step) => step !== "standing").sort());
  });
});

describe("the primary's resources: attached to, never owned", () => {
  it("creates no database, and no bucket, versioning or encryption of the primary bucket", () => {
    expect(example.resources("aws_rds_cluster")).toEqual({});
    expect(example.resources("aws_db_instance")).toEqual({});
    const ownedBuckets = Object.values(example.resources("aws_s3_bucket")).map((bucket) => bucket.bucket);
    expect(ownedBuckets).toEqual(["medplum-binaries-usw2"]);
    for (const type of [
      "aws_s3_bucket_versioning",
      "aws_s3_bucket_server_side_encryption_configuration",
      "aws_s3_bucket_policy",
      "aws_s3_bucket_public_access_block",
    ]) {
      expect(Object.values(example.resources(type)).map((resource) => resource.provider)).toEqual(["aws.recovery"]);
    }
  });

  it("selects the primary's Aurora cluster by ARN in the primary region for the backup plan", () => {
    const selection = example.only("aws_backup_selection");
    expect(selection.provider).toBe("aws.primary");
    expect(selection.resources).toEqual(["arn:aws:rds:us-east-1:111122223333:cluster:medplum-prod"]);
    expect(selection.iam_role_arn).toMatch(/^\$\{aws_iam_role\.recoveryPoints_backup_role_\w+\.arn\}$/);
  });

  it("attaches a replication configuration to the primary bucket, in the primary region", () => {
    const replication = example.only("aws_s3_bucket_replication_configuration");
    expect(replication.provider).toBe("aws.primary");
    expect(replication.bucket).toBe("medplum-binaries-use1");
    const replicaId = idOf(example, "aws_s3_bucket", () => true);
    expect(replication.rule[0].destination.bucket).toBe(example.ref("aws_s3_bucket", replicaId, "arn"));
    expect(replication.rule[0].delete_marker_replication).toEqual({ status: "Disabled" });
    // S3 accepts it only once the destination is versioned.
    expect(replication.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_versioning\./)]);
  });
});

describe("recovery points copied into the recovery region", () => {
  const plan = example.only("aws_backup_plan");
  const rule = plan.rule[0];
  const vaults = example.resources("aws_backup_vault");
  const recoveryVaultId = idOf(example, "aws_backup_vault", (vault) => vault.provider === "aws.recovery");

  it("runs the plan in the primary region on the configured schedule, into a primary-region vault", () => {
    expect(plan.provider).toBe("aws.primary");
    expect(rule.schedule).toBe("cron(0 0/1 * * ? *)");
    expect(rule.start_window).toBe(60);
    const primaryVaultId = idOf(example, "aws_backup_vault", (vault) => vault.provider === "aws.primary");
    expect(rule.target_vault_name).toBe(example.ref("aws_backup_vault", primaryVaultId, "name"));
    expect(rule.lifecycle).toEqual({ delete_after: 7 });
  });

  it("copies every recovery point into the recovery vault, which the standby key of the recovery region encrypts", () => {
    expect(rule.copy_action).toEqual([{ destination_vault_arn: example.ref("aws_backup_vault", recoveryVaultId, "arn"), lifecycle: { delete_after: 14 } }]);
    const keyId = idOf(example, "aws_kms_key", (key) => key.provider === "aws.recovery");
    expect(vaults[recoveryVaultId]!.kms_key_arn).toBe(example.ref("aws_kms_key", keyId, "arn"));
    const key = example.resources("aws_kms_key")[keyId]!;
    expect(key.enable_key_rotation).toBe(true);
    expect(key.lifecycle).toEqual({ prevent_destroy: true });
    // The backup role may use that key for the copy.
    const policy = JSON.parse(Object.values(example.resources("aws_iam_role_policy")).find((p) => p.name === "encrypt-copies-with-standby-key")!.policy);
    expect(policy.Statement[0].Resource).toBe(example.ref("aws_kms_key", keyId, "arn"));
  });

  it("follows the configured interval and tags the recovery points for the recovery to find", () => {
    const sixHourly = synthStandby(standbyConfig({ database: { backupEveryHours: 6 } })).only("aws_backup_plan").rule[0];
    expect(sixHourly.schedule).toBe("cron(0 0/6 * * ? *)");
    expect(synthStandby(standbyConfig({ database: { backupEveryHours: 24 } })).only("aws_backup_plan").rule[0].schedule).toBe("cron(0 0 * * ? *)");
    expect(rule.recovery_point_tags).toEqual({ "medplum-dr-standby": "medplum-dr" });
  });

  it("replicates an RDS instance's automated backups into the recovery region with the standby key; Aurora has none", () => {
    expect(example.resources("aws_db_instance_automated_backups_replication")).toEqual({});
    const rds = synthStandby(
      standbyConfig(
        { database: { automatedBackupsRetentionDays: 10 } },
        {
          targets: {
            aws: {
              database: {
                engine: "postgres",
                restore: RDS_SNAPSHOT_RESTORE,
              },
            },
          },
        },
      ),
    );
    const replication = rds.only("aws_db_instance_automated_backups_replication");
    expect(replication).toMatchObject({
      provider: "aws.recovery",
      source_db_instance_arn: "arn:aws:rds:us-east-1:111122223333:db:medplum-prod",
      retention_period: 10,
    });
    expect(replication.kms_key_id).toMatch(/^\$\{aws_kms_key\.recoveryPoints_key_\w+\.arn\}$/);
    expect(rds.only("aws_backup_selection").resources).toEqual(["arn:aws:rds:us-east-1:111122223333:db:medplum-prod"]);
    expect(rds.json.output.continuous_backup.value).toBe(
      rds.ref("aws_db_instance_automated_backups_replication", Object.keys(rds.resources("aws_db_instance_automated_backups_replication"))[0]!, "id"),
    );
  });
});

describe("binaries replicated into the replica bucket", () => {
  it("with Replication Time Control: the 15-minute threshold and metrics; without: metrics only", () => {
    const destination = example.only("aws_s3_bucket_replication_configuration").rule[0].destination;
    expect(destination.replication_time).toEqual({ status: "Enabled", time: { minutes: 15 } });
    expect(destination.metrics).toEqual({ status: "Enabled", event_threshold: { minutes: 15 } });
    const plain = synthStandby(standbyConfig({ storage: { replicationTimeControl: false } })).only("aws_s3_bucket_replication_configuration").rule[0]
      .destination;
    expect(plain.replication_time).toBeUndefined();
    expect(plain.metrics).toEqual({ status: "Enabled" });
  });

  it("decrypts SSE-KMS objects of the primary through S3 in the primary region only, and re-encrypts them with the standby key", () => {
    const sourceKey = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const kms = synthStandby(standbyConfig({ storage: { primaryBucketKmsKeyArn: sourceKey } }));
    const rule = kms.only("aws_s3_bucket_replication_configuration").rule[0];
    expect(rule.source_selection_criteria).toEqual({ sse_kms_encrypted_objects: { status: "Enabled" } });
    expect(rule.destination.encryption_configuration.replica_kms_key_id).toMatch(/^\$\{aws_kms_key\.recoveryPoints_key_\w+\.arn\}$/);
    const statements = JSON.parse(Object.values(kms.resources("aws_iam_role_policy")).find((p) => p.name === "replicate-binaries")!.policy).Statement;
    expect(statements.find((s: Resource) => s.Resource === sourceKey)).toMatchObject({
      Action: ["kms:Decrypt"],
      Condition: { StringLike: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
    });
    // Without a source key, the role gets no decrypt permission and the rule selects no SSE-KMS objects.
    const plainRule = example.only("aws_s3_bucket_replication_configuration").rule[0];
    expect(plainRule.source_selection_criteria).toBeUndefined();
    expect(example.text).not.toContain('kms:Decrypt\\"],\\"Resource\\":\\"arn:aws:kms:us-east-1');
  });

  it("keeps the replica private, versioned, TLS-only, encrypted with the standby key, and protected from destroy", () => {
    const replica = example.only("aws_s3_bucket");
    expect(replica).toMatchObject({ provider: "aws.recovery", force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(example.only("aws_s3_bucket_versioning").versioning_configuration).toEqual({ status: "Enabled" });
    expect(example.only("aws_s3_bucket_server_side_encryption_configuration").rule[0].apply_server_side_encryption_by_default).toMatchObject({
      sse_algorithm: "aws:kms",
    });
    expect(JSON.parse(example.only("aws_s3_bucket_policy").policy).Statement[0]).toMatchObject({
      Effect: "Deny",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
  });
});

describe("secrets, certificate and watches", () => {
  it("checks each secret's replica in the recovery region by metadata, and never carries a value", () => {
    const replicas = Object.values(example.json.data.aws_secretsmanager_secret as Record<string, Resource>);
    expect(replicas.map((data) => [data.provider, data.arn])).toEqual([
      ["aws.recovery", "arn:aws:secretsmanager:us-west-2:111122223333:secret:medplum/app-AbCdEf"],
      ["aws.recovery", "arn:aws:secretsmanager:us-west-2:111122223333:secret:medplum/redis-auth-AbCdEf"],
    ]);
    expect(Object.keys(example.json.data)).toEqual(["aws_secretsmanager_secret"]);
    expect(example.resources("aws_secretsmanager_secret_version")).toEqual({});
    expect(example.text).not.toMatch(/secret_string|password|auth_token/);
  });

  it("requests the api certificate in the recovery region and validates it through the hosted zone", () => {
    const certificate = example.only("aws_acm_certificate");
    expect(certificate).toMatchObject({ provider: "aws.recovery", domain_name: "api.medplum.example.com", validation_method: "DNS" });
    const record = example.only("aws_route53_record");
    expect(record).toMatchObject({ zone_id: "Z0123456789EXAMPLE", allow_overwrite: true });
    expect(record.name).toMatch(/domain_validation_options\)\.0\.resource_record_name/);
    expect(example.json.output.certificate_id.value).toMatch(/^\$\{aws_acm_certificate_validation\.\w+\.certificate_arn\}$/);
    const none = synthStandby(standbyConfig({ issueCertificate: false }));
    expect(none.resources("aws_acm_certificate")).toEqual({});
    expect(none.json.output.certificate_id.value).toBe("none");
  });

  it("pages on failed backup and copy jobs, failed or lagging replication, and the primary's /healthcheck", () => {
    const rules = Object.values(example.resources("aws_cloudwatch_event_rule")).map((rule) => JSON.parse(rule.event_pattern));
    expect(rules).toEqual([
      { source: ["aws.backup"], "detail-type": ["Backup Job State Change"], detail: { state: ["FAILED", "ABORTED", "EXPIRED"] } },
      { source: ["aws.backup"], "detail-type": ["Copy Job State Change"], detail: { state: ["FAILED", "PARTIAL"] } },
    ]);
    const alarms = Object.values(example.resources("aws_cloudwatch_metric_alarm"));
    const lag = alarms.find((alarm) => alarm.metric_name === "ReplicationLatency")!;
    // The RPO objective of the example, in seconds.
    expect(lag).toMatchObject({
      threshold: exampleRpoSeconds(),
      dimensions: { SourceBucket: "medplum-binaries-use1", DestinationBucket: "medplum-binaries-usw2", RuleId: "medplum-dr-standby" },
    });
    expect(alarms.find((alarm) => alarm.metric_name === "OperationsFailedReplication")).toMatchObject({ threshold: 0, provider: "aws.primary" });
    const healthCheck = example.only("aws_route53_health_check");
    expect(healthCheck).toMatchObject({ fqdn: "api.medplum.example.com", resource_path: "/healthcheck", type: "HTTPS", port: 443 });
    // The primary is us-east-1 here: one topic serves every watch, encrypted with a key that lets alarms and events publish.
    const topicId = idOf(example, "aws_sns_topic", () => true);
    for (const alarm of alarms) expect(alarm.alarm_actions).toEqual([example.ref("aws_sns_topic", topicId, "arn")]);
    const alertsKey = JSON.parse(Object.values(example.resources("aws_kms_key")).find((key) => key.provider === "aws.primary")!.policy);
    expect(alertsKey.Statement[1].Principal.Service).toEqual(["cloudwatch.amazonaws.com", "events.amazonaws.com"]);
    expect(synthStandby(standbyConfig({ watchPrimary: false })).resources("aws_route53_health_check")).toEqual({});
  });
});

describe("the stack's outputs", () => {
  it("say what standby prepared, in the contract's terms, and carry nothing sensitive", () => {
    const outputs = example.json.output as Record<string, { value: string; sensitive?: boolean }>;
    expect(Object.keys(outputs).sort()).toEqual(
      [
        "standby_tier",
        "recovery_point_destination",
        "recovery_point_schedule",
        "recovery_point_interval_minutes",
        "continuous_backup",
        "binaries_replica",
        "binaries_replication_lag",
        "secrets_in_recovery_location",
        "certificate_id",
        "standing_infrastructure",
        "database_replica",
        "alert_destinations",
      ].sort(),
    );
    expect(outputs.standing_infrastructure!.value).toBe("");
    expect(outputs.database_replica!.value).toBe("none");
    expect(outputs.standby_tier!.value).toBe("backup-restore");
    expect(outputs.recovery_point_interval_minutes!.value).toBe("60");
    expect(outputs.continuous_backup!.value).toBe("none");
    expect(outputs.binaries_replication_lag!.value).toMatch(/Replication Time Control/);
    expect(outputs.secrets_in_recovery_location!.value.split(",")).toHaveLength(2);
    expect(Object.values(outputs).filter((output) => output.sensitive)).toEqual([]);
  });
});

describe("synth guarantees", () => {
  it("gives byte-identical output for the same config", () => {
    expect(synthStandby(standbyConfig(), { fresh: true }).text).toBe(synthStandby(standbyConfig(), { fresh: true }).text);
  });

  it("passes the HIPAA-aligned pack and the apply-time rules with no finding", () => {
    const report = evaluateStackJson(example.json as never, "standby-aws", { suppressions: [] }, RECOVERY_PACK);
    expect(report.findings).toEqual([]);
    // The pack does look at these resources: a replica that a teardown could empty is an error.
    const careless = structuredClone(example.json);
    Object.values(careless.resource.aws_s3_bucket as Record<string, Resource>)[0]!.force_destroy = true;
    expect(
      evaluateStackJson(careless as never, "standby-aws", { suppressions: [] }, RECOVERY_PACK).findings.map((finding) => [finding.ruleId, finding.severity]),
    ).toEqual([["BucketNoForceDestroy", "error"]]);
  });

  it("is checked by the synth's own policy pass and written beside the recovery stack", () => {
    const parent = mkdtempSync(join(tmpdir(), "medplum-dr-standby-synth-"));
    try {
      const outcome = synthesize({ config: standbyConfig(), outdir: join(parent, "cdktf.out"), fromCli: false });
      expect(outcome).toMatchObject({ status: "written", stacks: ["recovery-aws", "standby-aws"] });
      expect(outcome.status === "written" && outcome.policy).toMatch(/policy standby-aws: 0 errors, 0 warnings/);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
