/**
 * The Azure standby bundle (`standby-azure`): prepares `targets.azure.region` for a recovery from `primaryRegion` in
 * peacetime, in the tier `targets.azure.standby.tier` names (docs/standby.md, Azure). Each step lives in its own file;
 * this one wires them, passing the Azure details later steps need through the typed step results (results.ts).
 */
import type { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { AzureTargetConfig, RecoveryConfig } from "../../../config/schema";
import type { AzureStandbyConfig } from "../../../config/schema/azure";
import { recoveryTags } from "../../../config/naming";
import type { StandbyBundle } from "../../standby-contracts";
import { APPLICATION_ROUTING_CLASS } from "../index";
import { standbyReplicaName, standbyResourceGroupName, standingClusterName } from "../standing-names";
import { zonePlan } from "../zones";
import { StandbyBinaries } from "./binaries";
import { StandbyCertificate } from "./certificate";
import { configureStandbyProviders } from "./providers";
import { StandbyRecoveryPoints } from "./recovery-points";
import type { AzureStandbyStepResults } from "./results";
import { StandbySecrets } from "./secrets";
import { StandbyStanding } from "./standing";
import { StandbyWatchesConstruct } from "./watches";
import { keepsStandingInfrastructure } from "../../standby-contracts";

export type { AzureStandbyStepResults } from "./results";

export function createAzureStandbyBundle(config: RecoveryConfig): StandbyBundle<AzureStandbyStepResults> {
  const azure: AzureTargetConfig | undefined = config.targets.azure;
  const standby: AzureStandbyConfig | undefined = azure?.standby;
  if (azure === undefined || standby === undefined) {
    throw new Error(
      "targets.azure.standby: (not set) is required by the Azure standby bundle; add a standby section to targets.azure or do not build standby-azure",
    );
  }
  const namePrefix = config.environment;
  const tags = { ...recoveryTags(config), purpose: "disaster-recovery-standby" };
  const location = azure.region;
  const zones = zonePlan(azure);

  return {
    target: "azure",
    tier: standby.tier,

    configureProviders(stack: TerraformStack, stackName: string) {
      return configureStandbyProviders(stack, stackName, azure, standby);
    },

    recoveryPoints(scope: Construct, { providers }) {
      return new StandbyRecoveryPoints(scope, "geoBackup", {
        primary: providers.primary,
        primaryServerId: standby.database.primaryServerId,
        primaryRegion: azure.primaryRegion,
        sourceVersion: azure.database.sourceVersion,
        minimumBackupRetentionDays: standby.database.minimumBackupRetentionDays,
        resourceGroupName: standbyResourceGroupName(config, standby),
        location,
        tags,
        requireGeoRedundantBackup: standby.tier !== "warm-standby",
        namePrefix,
      }).copies;
    },

    binaries(scope: Construct, { providers, recoveryPoints }) {
      return new StandbyBinaries(scope, "objectReplication", {
        primary: providers.primary,
        storage: standby.storage,
        resourceGroupName: recoveryPoints.resourceGroupName,
        location,
        replication: zones.storageReplication,
        tags,
      }).binaries;
    },

    secrets(scope: Construct, { providers, recoveryPoints }) {
      return new StandbySecrets(scope, "vault", {
        primary: providers.primary,
        standby: standby.secrets,
        secrets: azure.secrets,
        tenantId: azure.tenantId,
        resourceGroupName: recoveryPoints.resourceGroupName,
        location,
        tags,
      }).secrets;
    },

    certificate(scope: Construct, { providers, secrets }) {
      const hostname = config.medplum.hostnames.api;
      const tls = azure.ingress.tls;
      const primaryKeyVaultId = standby.secrets.primaryKeyVaultId;
      if (tls.mode !== "key-vault-certificate" || primaryKeyVaultId === undefined) return { hostname, certificateId: "none" };
      return new StandbyCertificate(scope, "ingress", {
        primary: providers.primary,
        primaryKeyVaultId,
        vaultId: secrets.vaultId,
        name: tls.certificateUri.replace(/\/$/, "").split("/").pop()!,
        hostname,
        runnerObjectId: secrets.runnerObjectId,
      }).certificate;
    },

    standing(scope: Construct, { recoveryPoints, secrets }) {
      // backup-restore keeps nothing standing.
      if (!keepsStandingInfrastructure(standby.tier)) return { adopted: [] };
      const cidr = standby.network?.cidr;
      if (cidr === undefined) throw new Error(`targets.azure.standby.network: (not set) is required by tier ${standby.tier}`);
      return new StandbyStanding(scope, "recoveryRegion", {
        azure,
        cidr,
        namePrefix,
        resourceGroupName: recoveryPoints.resourceGroupName,
        clusterName: standingClusterName(config),
        zones,
        applicationRouting: azure.ingress.className === APPLICATION_ROUTING_CLASS,
        vaultId: secrets.vaultId,
        ...(standby.tier === "warm-standby"
          ? { replica: { name: standbyReplicaName(config, standby), sourceServerId: standby.database.primaryServerId } }
          : {}),
        tags,
      }).standing;
    },

    watches(scope: Construct, { recoveryPoints, binaries, standing }) {
      return new StandbyWatchesConstruct(scope, "alerts", {
        alerts: azure.alerts,
        namePrefix,
        resourceGroupName: recoveryPoints.resourceGroupName,
        location,
        ...(standing.logAnalyticsWorkspaceId !== undefined ? { logAnalyticsWorkspaceId: standing.logAnalyticsWorkspaceId } : {}),
        objectReplicationPolicyId: binaries.sourcePolicyId,
        ...(standing.replicaServerId !== undefined ? { replicaServerId: standing.replicaServerId } : {}),
        rpoMinutes: config.objectives.rpoMinutes,
        healthCheckHost: standby.watchPrimary ? config.medplum.hostnames.api : undefined,
        tags,
      }).watches;
    },
  };
}
