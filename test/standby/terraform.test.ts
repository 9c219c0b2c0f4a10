/**
 * Real Terraform on the synthesized `standby-aws` stack: `terraform init` from the offline provider mirror (hashicorp/aws
 * 5.100.0, the version the bindings target), `validate`, and a plan with fake credentials through `terraform test`
 * (report/terraform-plan.ts, as for recovery-aws). The plan proves the provider accepts every argument and block as
 * synthesized, for each engine, region layout and tier (backup-restore, pilot-light, warm-standby with the failover records),
 * and with the CloudFront preparation (the origin access control and the grants in the replica's and the key's policies); it cannot prove what AWS would accept at apply time (docs/standby.md,
 * "What was not verified"). Without Terraform this skips loudly, and fails in CI.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type PlanStackResult, planStacksOffline } from "../../report/terraform-plan";
import { buildRecoveryApp } from "../../stacks/app";
import { skipWithoutTerraform } from "../report/terraform-helpers";
import type { ConfigOverrides } from "../support/config";
import { STANDBY_ROUTING, standbyConfig } from "./helpers";
import { RDS_SNAPSHOT_RESTORE } from "../support/config";

const RDS = {
  engine: "postgres",
  restore: RDS_SNAPSHOT_RESTORE,
};

const VARIANTS: ReadonlyArray<{
  name: string;
  standby: ConfigOverrides;
  overrides: ConfigOverrides;
  expected: Readonly<Record<string, number>>;
  absent: readonly string[];
}> = [
  {
    name: "the example's section: Aurora, Replication Time Control, primary in us-east-1",
    standby: {},
    overrides: {},
    expected: {
      aws_backup_vault: 2,
      aws_backup_plan: 1,
      aws_backup_selection: 1,
      aws_s3_bucket_replication_configuration: 1,
      aws_acm_certificate_validation: 1,
      aws_route53_health_check: 1,
      aws_sns_topic: 1,
      aws_kms_key: 2,
    },
    absent: ["aws_db_instance_automated_backups_replication"],
  },
  {
    name: "RDS with replicated automated backups, an SSE-KMS primary bucket, no certificate, no health check",
    standby: {
      storage: { replicationTimeControl: false, primaryBucketKmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
      issueCertificate: false,
      watchPrimary: false,
    },
    overrides: { targets: { aws: { database: RDS } } },
    expected: { aws_db_instance_automated_backups_replication: 1, aws_backup_selection: 1, aws_s3_bucket_replication_configuration: 1 },
    absent: ["aws_acm_certificate", "aws_route53_health_check"],
  },
  {
    name: "CloudFront prepared: the origin access control, the replica's grant to the storage distribution, the key's to both",
    standby: {
      cloudfront: {
        storageDistributionArn: "arn:aws:cloudfront::111122223333:distribution/E1STORAGE2EXAMPLE",
        appDistributionArn: "arn:aws:cloudfront::111122223333:distribution/E2APP3EXAMPLE",
      },
    },
    overrides: {},
    expected: { aws_cloudfront_origin_access_control: 1, aws_s3_bucket_policy: 1, aws_kms_key: 2, aws_s3_bucket: 1 },
    absent: ["aws_cloudfront_distribution", "aws_cloudfront_origin_access_identity"],
  },
  {
    name: "primary in us-east-2: the health-check alarm and its topic in us-east-1",
    standby: { replicatedSecretArns: [], database: { backupEveryHours: 24 } },
    overrides: { targets: { aws: { primaryRegion: "us-east-2" } } },
    expected: { aws_sns_topic: 2, aws_kms_key: 3, aws_cloudwatch_metric_alarm: 3 },
    absent: [],
  },
  {
    name: "pilot-light: the network, ECS cluster, load balancer, roles and log group in the recovery region",
    standby: { tier: "pilot-light" },
    overrides: {},
    expected: {
      aws_vpc: 1,
      aws_subnet: 4,
      aws_nat_gateway: 2,
      aws_security_group: 4,
      aws_ecs_cluster: 1,
      aws_lb: 1,
      aws_lb_listener: 2,
      aws_lb_target_group: 1,
      aws_iam_role: 5,
      aws_cloudwatch_log_group: 2,
      aws_backup_plan: 1,
      // The certificate's validation record only: no failover pair without failoverRecords.
      aws_route53_record: 1,
    },
    absent: ["aws_rds_cluster", "aws_db_instance", "aws_ecs_service", "aws_elasticache_replication_group"],
  },
  {
    name: "warm-standby, Aurora: a Global Database secondary in the recovery region, and the failover record pair",
    standby: {
      tier: "warm-standby",
      failoverRecords: { primaryDnsName: "medplum-prod-alb-123456789.us-east-1.elb.amazonaws.com", primaryZoneId: "Z35SXDOTRQ7X7K" },
    },
    overrides: STANDBY_ROUTING,
    expected: {
      aws_rds_global_cluster: 1,
      aws_rds_cluster: 1,
      aws_rds_cluster_instance: 1,
      aws_db_subnet_group: 1,
      aws_rds_cluster_parameter_group: 1,
      aws_lb: 1,
      aws_route53_record: 3,
      aws_elasticache_replication_group: 1,
      aws_elasticache_subnet_group: 1,
    },
    absent: ["aws_db_instance", "aws_ecs_service"],
  },
  {
    name: "warm-standby, RDS: a cross-region read replica of the primary instance",
    standby: { tier: "warm-standby" },
    overrides: { targets: { aws: { database: RDS } } },
    expected: {
      aws_db_instance: 1,
      aws_db_parameter_group: 1,
      aws_db_subnet_group: 1,
      aws_db_instance_automated_backups_replication: 1,
      aws_elasticache_replication_group: 1,
    },
    absent: ["aws_rds_global_cluster", "aws_rds_cluster"],
  },
];

describe("terraform validate and an offline plan of the standby-aws stack", () => {
  if (skipWithoutTerraform("test/standby/terraform.test.ts (terraform init/validate/plan of standby-aws)")) {
    it.skip("needs Terraform and the aws provider mirror", () => undefined);
    return;
  }
  const started = Date.now();
  const outdirs: string[] = [];
  // One `terraform init` and one `terraform test` for every variant (a run block each): each Terraform process loads
  // the aws provider's schema, so one process instead of seven saves most of the CPU (report/plan/plan-stack.ts).
  let planned: Promise<PlanStackResult[]>;
  beforeAll(() => {
    const directories = VARIANTS.map(({ standby, overrides }) => {
      const outdir = mkdtempSync(join(tmpdir(), "medplum-dr-standby-tf-"));
      outdirs.push(outdir);
      buildRecoveryApp(standbyConfig(standby, overrides), outdir).app.synth();
      return join(outdir, "stacks", "standby-aws");
    });
    planned = planStacksOffline(directories.map((directory) => ({ directory })));
    // A failure is reported by the tests that await it, not as an unhandled rejection.
    planned.catch(() => undefined);
  }, 600_000);
  afterAll(async () => {
    await Promise.allSettled([planned]);
    for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
    console.log(`terraform init + validate + plan of ${VARIANTS.length} standby-aws variants took ${Math.round((Date.now() - started) / 1000)} s`);
  }, 600_000);

  it.each(VARIANTS.map((variant, index) => ({ ...variant, index })))(
    "$name: validates, and plans only creations",
    async ({ standby, expected, absent, index }) => {
      const result = (await planned)[index]!;
      expect(result.validate).toMatchObject({ valid: true, errorCount: 0, warningCount: 0 });
      expect(result.summary).toMatchObject({ change: 0, destroy: 0, replace: [] });
      expect(result.summary.changes.every((change) => change.action === "create")).toBe(true);
      const plannedOf = (type: string) => result.summary.changes.filter((change) => change.type === type).length;
      for (const [type, count] of Object.entries(expected)) expect([type, plannedOf(type)]).toEqual([type, count]);
      for (const type of absent) expect([type, plannedOf(type)]).toEqual([type, 0]);
      // Only the secrets' replicas are read from AWS, and their values never are; warm-standby also reads the Redis
      // token its standing cache is created with (ElastiCache takes it only as an argument).
      const values = result.overriddenData.filter((address) => !address.startsWith("data.aws_secretsmanager_secret."));
      const warm = (standby as { tier?: string }).tier === "warm-standby";
      expect(values).toEqual(warm ? ["data.aws_secretsmanager_secret_version.standing_recovery_cache_redis_authToken_155E2C20"] : []);
    },
    600_000,
  );
});
