/**
 * The AWS standby bundle: prepares `targets.aws.region` for a recovery from `primaryRegion` in peacetime
 * (docs/standby.md). Each step lives in its own file; this one wires them. Every step receives the results of the
 * steps before it (`AwsStandbyStepResults`), so the AWS details a later step needs (the standby key, the replica
 * bucket, the certificate's ARN) travel as typed results rather than through shared variables.
 */
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { AwsStandbyConfig, AwsTargetConfig, RecoveryConfig } from "../../../config/schema";
import { resourceName } from "../../../config/naming";
import type {
  IssuedCertificate,
  RecoveryPointCopies,
  ReplicatedBinaries,
  SecretsInRecoveryLocation,
  StandbyBundle,
  StandbyStepResults,
  StandbyWatches,
  StandingInfrastructure,
} from "../../standby-contracts";
import { keepsStandingInfrastructure } from "../../standby-contracts";
import { arnAccount } from "../encryption-key";
import { type CloudfrontOrigin, StandbyBinaries } from "./binaries";
import { NO_CERTIFICATE, StandbyCertificate } from "./certificate";
import { StandbyKey } from "./key";
import { configureStandbyProviders, ROUTE53_METRICS_REGION, type StandbyProviders } from "./providers";
import { StandbyRecoveryPoints } from "./recovery-points";
import { replicaNames } from "./replica";
import { replicaSecretArn, StandbySecrets } from "./secrets";
import { StandbyStanding, type StandingEntryPoint } from "./standing";
import { StandbyWatchesConstruct } from "./watches";

/** What each AWS standby step returns: the contract's values plus the AWS details later steps build on. */
export interface AwsStandbyStepResults extends StandbyStepResults {
  readonly providers: StandbyProviders;
  readonly recoveryPoints: RecoveryPointCopies & {
    /** The standby key of the recovery region, created with the first copies; binaries and standing logs use it too. */
    readonly recoveryKeyArn: string;
  };
  readonly binaries: ReplicatedBinaries & {
    readonly primaryBucketName: string;
    readonly replicaBucketName: string;
    /** What the storage distribution's origin switch needs; none without targets.aws.standby.cloudfront. */
    readonly cloudfront: CloudfrontOrigin | undefined;
  };
  readonly secrets: SecretsInRecoveryLocation;
  readonly certificate: IssuedCertificate & {
    /** The certificate's ARN once validated, for the standing HTTPS listener; none when the config asks for no certificate. */
    readonly certificateArn: string | undefined;
  };
  readonly standing: StandingInfrastructure & {
    /** The standing load balancer (pilot-light and warm-standby), where the SECONDARY failover record points. */
    readonly entryPoint: StandingEntryPoint | undefined;
  };
  readonly watches: StandbyWatches;
}

export function createAwsStandbyBundle(config: RecoveryConfig): StandbyBundle<AwsStandbyStepResults> {
  const aws: AwsTargetConfig | undefined = config.targets.aws;
  const standby: AwsStandbyConfig | undefined = aws?.standby;
  if (aws === undefined || standby === undefined) {
    throw new Error("targets.aws.standby: (not set) is required by the AWS standby bundle; add a standby section to targets.aws or do not build standby-aws");
  }
  const namePrefix = resourceName(config, "").replace(/-$/, "");
  const fail = (message: string): never => {
    throw new Error(message);
  };
  // Same account as the recovery (cross-account standby is not built): read from config, so the plan needs no AWS reads.
  const fromSecret = arnAccount(aws.secrets.applicationSecretArn);
  const partition = fromSecret.partition;
  const accountId = aws.accountId ?? fromSecret.accountId;
  const preventDestroy = aws.database.deletionProtection;
  const cloudfront = standby.cloudfront;
  const distributionArns =
    cloudfront === undefined
      ? []
      : [cloudfront.storageDistributionArn, ...(cloudfront.appDistributionArn === undefined ? [] : [cloudfront.appDistributionArn])];

  return {
    target: "aws",
    tier: standby.tier,

    configureProviders(stack: TerraformStack, stackName: string) {
      return configureStandbyProviders(stack, stackName, config, aws, standby);
    },

    recoveryPoints(scope: Construct, { providers }) {
      const { primary, recovery } = providers;
      // The first step that encrypts anything in the recovery region creates the standby key.
      const recoveryKeyArn = new StandbyKey(scope, "key", {
        provider: recovery,
        aliasName: `${namePrefix}-standby`,
        description: `${namePrefix}: Medplum standby copies (database recovery points, binaries) in ${aws.region}`,
        accountId,
        partition,
        forAlerts: false,
        preventDestroy,
        // The standing tiers' log groups are encrypted with it too.
        ...(standby.tier === "backup-restore" ? {} : { logsRegion: aws.region }),
        // The replica's SSE-KMS objects (everything the recovered Medplum writes) served through the distributions.
        ...(distributionArns.length === 0 ? {} : { cloudfrontDistributionArns: distributionArns }),
      }).arn;
      const recoveryPoints = new StandbyRecoveryPoints(scope, "backup", {
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
      return { ...recoveryPoints.copies, recoveryKeyArn };
    },

    binaries(scope: Construct, { providers, recoveryPoints }) {
      const replicated = new StandbyBinaries(scope, "replication", {
        primary: providers.primary,
        recovery: providers.recovery,
        storage: standby.storage,
        replicaBucketName: standby.storage.replicaBucketName,
        namePrefix,
        primaryRegion: aws.primaryRegion,
        partition,
        kmsKeyArn: recoveryPoints.recoveryKeyArn,
        preventDestroy,
        ...(cloudfront === undefined ? {} : { storageDistributionArn: cloudfront.storageDistributionArn }),
      });
      const origin = replicated.cloudfront;
      if (origin !== undefined) {
        // At the stack's top level, beside the common outputs, so the runbook reads them by these names.
        const stack = TerraformStack.of(scope);
        const output = (id: string, value: string, description: string) => new TerraformOutput(stack, id, { value, description });
        output(
          "cloudfront_origin_access_control_id",
          origin.originAccessControlId,
          "The origin access control the storage distribution reads the replica with",
        );
        output(
          "binaries_replica_domain_name",
          origin.domainName,
          "The replica's S3 REST endpoint: the storage distribution's origin domain name after the switch",
        );
        output(
          "cloudfront_distribution_ids",
          distributionArns.map((arn) => arn.slice(arn.lastIndexOf("/") + 1)).join(","),
          "The distributions standby-aws prepared the replica and the standby key for (storage first)",
        );
      }
      return {
        ...replicated.binaries,
        primaryBucketName: replicated.primaryBucketName,
        replicaBucketName: replicated.replicaBucketName,
        cloudfront: origin,
      };
    },

    secrets(scope: Construct, { providers }) {
      return new StandbySecrets(scope, "replicas", { recovery: providers.recovery, region: aws.region, primarySecretArns: standby.replicatedSecretArns })
        .secrets;
    },

    certificate(scope: Construct, { providers }) {
      const hostname = config.medplum.hostnames.api;
      if (!standby.issueCertificate) return { ...NO_CERTIFICATE(hostname), certificateArn: undefined };
      const issued = new StandbyCertificate(scope, "api", { recovery: providers.recovery, hostname, hostedZoneId: aws.dns.hostedZoneId }).certificate;
      return { ...issued, certificateArn: issued.certificateId };
    },

    standing(scope: Construct, { providers, recoveryPoints, certificate }) {
      // backup-restore keeps nothing standing.
      if (!keepsStandingInfrastructure(standby.tier)) return { adopted: [], entryPoint: undefined };
      return new StandbyStanding(scope, "recovery", {
        config,
        aws,
        standby,
        primary: providers.primary,
        recovery: providers.recovery,
        namePrefix,
        accountId,
        partition,
        kmsKeyArn: recoveryPoints.recoveryKeyArn,
        // The replicas' ARNs as literals (the secrets step reads each one, so a missing replica still fails the plan).
        replicaSecretArns: standby.replicatedSecretArns.map((arn) => replicaSecretArn(arn, aws.region)),
        // Without a certificate of its own, the listener uses the one the recovery config names (in this region).
        certificateArn:
          certificate.certificateArn ??
          aws.tls?.certificateArn ??
          fail(
            `targets.aws.standby.issueCertificate: false with targets.aws.tls not set; the ${standby.tier} load balancer needs a certificate: set issueCertificate true or give tls.certificateArn`,
          ),
      }).standing;
    },

    watches(scope: Construct, { providers, binaries, standing }) {
      const failover = standby.failoverRecords;
      const entryPoint = standing.entryPoint;
      if (failover !== undefined && entryPoint === undefined) {
        throw new Error(
          `targets.aws.standby.failoverRecords: set with tier ${standby.tier}, which keeps no load balancer standing; use tier pilot-light or warm-standby`,
        );
      }
      return new StandbyWatchesConstruct(scope, "alarms", {
        namePrefix,
        accountId,
        partition,
        emails: aws.alerts.emails,
        primary: { region: aws.primaryRegion, provider: providers.primary },
        route53Metrics: { region: ROUTE53_METRICS_REGION, provider: providers.route53Metrics },
        primaryBucketName: binaries.primaryBucketName,
        replicaBucketName: binaries.replicaBucketName,
        rpoMinutes: config.objectives.rpoMinutes,
        healthCheckHost: standby.watchPrimary ? config.medplum.hostnames.api : undefined,
        ...(standing.databaseReplica === undefined
          ? {}
          : {
              replica: {
                recovery: { region: aws.region, provider: providers.recovery },
                engine: aws.database.engine,
                identifier: replicaNames(namePrefix).replica,
              },
            }),
        ...(failover === undefined || entryPoint === undefined
          ? {}
          : { failoverRecords: { ...failover, hostedZoneId: aws.dns.hostedZoneId, hostname: config.medplum.hostnames.api, secondary: entryPoint } }),
      }).watches;
    },
  };
}
