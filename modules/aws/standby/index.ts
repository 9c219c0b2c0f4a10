/**
 * The AWS standby bundle, tier backup-restore: prepares `targets.aws.region` for a recovery from `primaryRegion` in
 * peacetime (docs/standby.md). Each step lives in its own file; this one wires them and the keys they share.
 */
import type { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { AwsStandbyConfig, AwsTargetConfig, RecoveryConfig } from "../../../config/schema";
import { fromEarlierStep } from "../../earlier-step";
import { resourceName } from "../../naming";
import type { StandbyBundle } from "../../standby-contracts";
import { arnAccount } from "../encryption-key";
import { StandbyBinaries } from "./binaries";
import { NO_CERTIFICATE, StandbyCertificate } from "./certificate";
import { StandbyKey } from "./key";
import { configureStandbyProviders, ROUTE53_METRICS_REGION, type StandbyProviders } from "./providers";
import { StandbyRecoveryPoints } from "./recovery-points";
import { StandbySecrets } from "./secrets";
import { StandbyWatchesConstruct } from "./watches";

export function createAwsStandbyBundle(config: RecoveryConfig): StandbyBundle {
  const aws: AwsTargetConfig | undefined = config.targets.aws;
  const standby: AwsStandbyConfig | undefined = aws?.standby;
  if (aws === undefined || standby === undefined) {
    throw new Error("targets.aws.standby: (not set) is required by the AWS standby bundle; add a standby section to targets.aws or do not build standby-aws");
  }
  const namePrefix = resourceName(config, "").replace(/-$/, "");
  // Same account as the recovery (cross-account standby is not built): read from config, so the plan needs no AWS reads.
  const fromSecret = arnAccount(aws.secrets.applicationSecretArn);
  const partition = fromSecret.partition;
  const accountId = aws.accountId ?? fromSecret.accountId;
  const preventDestroy = aws.database.deletionProtection;

  let providers: StandbyProviders | undefined;
  let recoveryKeyArn: string | undefined;
  let recoveryPoints: StandbyRecoveryPoints | undefined;
  let binaries: StandbyBinaries | undefined;
  const needs = <T>(value: T | undefined, step: string): T => fromEarlierStep(value, "AWS standby", step);

  return {
    target: "aws",
    tier: standby.tier,

    configureProviders(stack: TerraformStack, stackName: string): void {
      providers = configureStandbyProviders(stack, stackName, config, aws, standby);
    },

    recoveryPoints(scope: Construct) {
      const { primary, recovery } = needs(providers, "providers");
      // The first step that encrypts anything in the recovery region creates the standby key.
      recoveryKeyArn = new StandbyKey(scope, "key", {
        provider: recovery,
        aliasName: `${namePrefix}-standby`,
        description: `${namePrefix}: Medplum standby copies (database recovery points, binaries) in ${aws.region}`,
        accountId,
        partition,
        forAlerts: false,
        preventDestroy,
      }).arn;
      recoveryPoints = new StandbyRecoveryPoints(scope, "backup", {
        primary,
        recovery,
        engine: aws.database.engine,
        database: standby.database,
        namePrefix,
        primaryRegion: aws.primaryRegion,
        accountId,
        partition,
        kmsKeyArn: recoveryKeyArn,
        recoveryPointTags: { "medplum-dr-standby": config.environment },
      });
      return recoveryPoints.copies;
    },

    binaries(scope: Construct) {
      const { primary, recovery } = needs(providers, "providers");
      binaries = new StandbyBinaries(scope, "replication", {
        primary,
        recovery,
        storage: standby.storage,
        replicaBucketName: standby.storage.replicaBucketName,
        namePrefix,
        primaryRegion: aws.primaryRegion,
        partition,
        kmsKeyArn: needs(recoveryKeyArn, "recoveryPoints"),
        preventDestroy,
      });
      return binaries.binaries;
    },

    secrets(scope: Construct) {
      return new StandbySecrets(scope, "replicas", { recovery: needs(providers, "providers").recovery, region: aws.region, primarySecretArns: standby.replicatedSecretArns }).secrets;
    },

    certificate(scope: Construct) {
      const hostname = config.medplum.hostnames.api;
      if (!standby.issueCertificate) return NO_CERTIFICATE(hostname);
      return new StandbyCertificate(scope, "api", { recovery: needs(providers, "providers").recovery, hostname, hostedZoneId: aws.dns.hostedZoneId }).certificate;
    },

    // backup-restore keeps nothing standing; pilot-light and warm-standby add their infrastructure here.
    standing: () => ({ adopted: [] }),

    watches(scope: Construct) {
      const { primary, route53Metrics } = needs(providers, "providers");
      needs(recoveryPoints, "recoveryPoints");
      const replicated = needs(binaries, "binaries");
      return new StandbyWatchesConstruct(scope, "alarms", {
        namePrefix,
        accountId,
        partition,
        emails: aws.alerts.emails,
        primary: { region: aws.primaryRegion, provider: primary },
        route53Metrics: { region: ROUTE53_METRICS_REGION, provider: route53Metrics },
        primaryBucketName: replicated.primaryBucketName,
        replicaBucketName: replicated.replicaBucketName,
        rpoMinutes: config.objectives.rpoMinutes,
        healthCheckHost: standby.watchPrimary ? config.medplum.hostnames.api : undefined,
      }).watches;
    },
  };
}
