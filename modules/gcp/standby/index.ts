/**
 * The GCP standby bundle (`standby-gcp`): prepares `targets.gcp.region` in `targets.gcp.project` for a recovery from
 * the primary named in `targets.gcp.standby.primary`, in peacetime (docs/standby.md, "GCP"). Tiers:
 *   - backup-restore: the primary's Cloud SQL backups checked where they are kept, binaries replicated into a replica
 *     bucket, secrets readable in the recovery project, a Certificate Manager certificate issued ahead, watches;
 *   - pilot-light: plus the recovery VPC (private services access, NAT) and the private GKE Autopilot cluster;
 *   - warm-standby: plus a cross-region Cloud SQL read replica of the primary, which the recovery promotes.
 * Each step lives in its own file and returns what later steps need (`GcpStandbyStepResults`).
 */
import type { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { GcpTargetConfig, RecoveryConfig } from "../../../config/schema";
import { recoveryTags } from "../../../config/naming";
import type { ReplicatedBinaries, StandbyBundle, StandbyStepResults } from "../../standby-contracts";
import { keepsStandingInfrastructure } from "../../standby-contracts";
import { StandbyBinaries } from "./binaries";
import { StandbyCertificate } from "./certificate";
import { configureGcpStandbyProviders, type GcpStandbyConfig, type GcpStandbyProviders } from "./providers";
import { StandbyDatabaseBackups } from "./recovery-points";
import { recoverySecretIds, StandbySecrets } from "./secrets";
import { type GcpStandingInfrastructure, StandbyStanding } from "./standing";
import { StandbyWatchesConstruct } from "./watches";

export interface GcpReplicatedBinaries extends ReplicatedBinaries {
  /** `transferJobs/...` of the replication job, for its failure watch. */
  readonly transferJobName: string;
}

/** What each GCP standby step hands the later ones, beyond the contract. */
export interface GcpStandbyStepResults extends StandbyStepResults {
  readonly providers: GcpStandbyProviders;
  readonly binaries: GcpReplicatedBinaries;
  readonly standing: GcpStandingInfrastructure;
}

export function createGcpStandbyBundle(config: RecoveryConfig): StandbyBundle<GcpStandbyStepResults> {
  const gcp: GcpTargetConfig | undefined = config.targets.gcp;
  const standby: GcpStandbyConfig | undefined = gcp?.standby;
  if (gcp === undefined || standby === undefined) {
    throw new Error("targets.gcp.standby: (not set) is required by the GCP standby bundle; add a standby section to targets.gcp or do not build standby-gcp");
  }
  const namePrefix = config.environment;
  const labels = { ...recoveryTags(config), purpose: "disaster-recovery-standby" };
  const { restore } = gcp.database;

  return {
    target: "gcp",
    tier: standby.tier,

    configureProviders: (stack: TerraformStack, stackName: string) => configureGcpStandbyProviders(stack, stackName, config, gcp, standby),

    recoveryPoints: (scope: Construct, { providers }) =>
      new StandbyDatabaseBackups(scope, "backups", {
        primary: providers.primary,
        project: standby.primary.project,
        instanceName: standby.primary.databaseInstance,
        primaryRegion: gcp.primaryRegion,
        minimumRetainedBackups: standby.database.minimumRetainedBackups,
      }).copies,

    binaries: (scope, { providers }) => {
      const replicated = new StandbyBinaries(scope, "replication", {
        primary: providers.primary,
        recovery: providers.recovery,
        project: gcp.project,
        region: gcp.region,
        namePrefix,
        primaryBucketName: standby.primary.bucketName,
        replicaBucketName: standby.binaries.replicaBucketName,
        labels,
        preventDestroy: gcp.database.deletionProtection,
      });
      return { ...replicated.binaries, transferJobName: replicated.job.name };
    },

    secrets: (scope, { providers }) =>
      new StandbySecrets(scope, "secretManager", {
        primary: providers.primary,
        recovery: providers.recovery,
        primaryProject: standby.primary.project,
        recoveryProject: gcp.project,
        primaryRegion: gcp.primaryRegion,
        secretIds: recoverySecretIds(gcp),
        labels,
      }).secrets,

    certificate: (scope, { providers }) => {
      const hostname = config.medplum.hostnames.api;
      if (!standby.issueCertificate) return { hostname, certificateId: "none" };
      return new StandbyCertificate(scope, "api", {
        recovery: providers.recovery,
        project: gcp.project,
        namePrefix,
        hostname,
        managedZone: gcp.dns.managedZone,
        labels,
      }).certificate;
    },

    standing: (scope, { providers }) => {
      // backup-restore keeps nothing standing: the recovery creates network, cluster and database on the day.
      if (!keepsStandingInfrastructure(standby.tier)) return { adopted: [] };
      return new StandbyStanding(scope, "recoveryRegion", {
        recovery: providers.recovery,
        gcp,
        standby,
        namePrefix,
        labels,
        ...(restore.mode === "replica-promotion" ? { replicaName: restore.replicaInstance } : {}),
      }).standing;
    },

    watches: (scope, { providers, binaries, standing }) =>
      new StandbyWatchesConstruct(scope, "alerts", {
        recovery: providers.recovery,
        project: gcp.project,
        namePrefix,
        alerts: gcp.alerts,
        ...(standby.watchPrimary ? { primaryHost: config.medplum.hostnames.api } : {}),
        ...(standing.replicaDatabaseId !== undefined ? { replicaDatabaseId: standing.replicaDatabaseId } : {}),
        rpoMinutes: config.objectives.rpoMinutes,
        transferJobName: binaries.transferJobName,
        labels,
      }).watches,
  };
}
