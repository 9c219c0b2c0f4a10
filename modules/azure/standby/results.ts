/**
 * What each standby-azure step hands to the later ones (as AzureStepResults does for the recovery): the resource
 * group, the replica account and its replication policy, the recovery vault, the standing workspace and replica.
 */
import type {
  IssuedCertificate,
  RecoveryPointCopies,
  ReplicatedBinaries,
  SecretsInRecoveryLocation,
  StandbyStepResults,
  StandbyWatches,
  StandingInfrastructure,
} from "../../standby-contracts";
import type { AzureStandbyProviders } from "./providers";

export interface AzureRecoveryPointCopies extends RecoveryPointCopies {
  /** The resource group in the recovery region everything standby creates lives in (created by this first step). */
  readonly resourceGroupName: string;
}

export interface AzureReplicatedBinaries extends ReplicatedBinaries {
  /** The object replication policy on the primary account, whose pending-work metric the watches alert on. */
  readonly sourcePolicyId: string;
}

export interface AzureSecretsInRecoveryLocation extends SecretsInRecoveryLocation {
  readonly vaultId: string;
  /** The identity running Terraform, which later steps grant data-plane roles on the vault. */
  readonly runnerObjectId: string;
}

export interface AzureStandingInfrastructure extends StandingInfrastructure {
  /** The workspace the standing cluster and replica log to; the watches reuse it. @default - none (backup-restore) */
  readonly logAnalyticsWorkspaceId?: string;
  /** The warm standby's read replica, whose lag the watches alert on. @default - none */
  readonly replicaServerId?: string;
}

export interface AzureStandbyStepResults extends StandbyStepResults {
  readonly providers: AzureStandbyProviders;
  readonly recoveryPoints: AzureRecoveryPointCopies;
  readonly binaries: AzureReplicatedBinaries;
  readonly secrets: AzureSecretsInRecoveryLocation;
  readonly certificate: IssuedCertificate;
  readonly standing: AzureStandingInfrastructure;
  readonly watches: StandbyWatches;
}
