/**
 * The contracts every cloud's standby bundle implements, in the recovery's vocabulary: what a recovery needs to find
 * in the recovery location on the day, prepared in peacetime (issue 14, docs/standby.md).
 *
 * `StandbyStack` composes these steps; provider types stay inside `modules/<cloud>/standby/`. Each step reports what it
 * prepared as plain values (names, ARNs, intervals), so the stack's outputs and the plan report say the same thing for
 * every cloud. Secrets are never passed as values: a `SecretReference` says where the recovery finds one.
 */
import type { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { RecoveryConfig, TargetName } from "../config/schema";
import type { SecretReference } from "./contracts";

/**
 * AWS's four DR strategies (https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html):
 * each tier prepares everything the one before it does, so the recovery creates less on the day.
 */
export const STANDBY_TIERS = ["backup-restore", "pilot-light", "warm-standby"] as const;
export type StandbyTier = (typeof STANDBY_TIERS)[number];

/** Whether a tier keeps infrastructure standing in the recovery location (network, cluster, load balancer...) for the recovery to adopt. */
export function keepsStandingInfrastructure(tier: string | undefined): boolean {
  return tier === "pilot-light" || tier === "warm-standby";
}

/** Database recovery points copied into the recovery location on a schedule. */
export interface RecoveryPointCopies {
  /** Where the copies land (a backup vault ARN, a bucket...): what the recovery restores from. */
  readonly destination: string;
  /** The schedule in the cloud's own syntax, e.g. `cron(0 0/1 * * ? *)`. */
  readonly schedule: string;
  /** Minutes between two recovery points: the database RPO, before the copy's own duration. */
  readonly intervalMinutes: number;
  /** How long a copy stays in the recovery location, in days. */
  readonly retentionDays: number;
  /**
   * A continuous copy for point-in-time recovery in the recovery location (replicated automated backups), when the
   * engine has one. @default - none: recovery points only
   */
  readonly continuous?: { readonly id: string; readonly retentionDays: number };
}

/** Medplum's binaries replicated into a bucket in the recovery location. */
export interface ReplicatedBinaries {
  readonly source: string;
  readonly replica: string;
  /** A one-line description of the replication's lag class, e.g. `S3 Replication Time Control (15 minutes)`. */
  readonly lag: string;
}

/** Where the recovery finds each secret it needs, in the recovery location's secret store. */
export interface SecretsInRecoveryLocation {
  readonly secrets: readonly SecretReference[];
}

/** The TLS certificate for the API host, issued in the recovery location ahead of the day. */
export interface IssuedCertificate {
  readonly hostname: string;
  /** The certificate's identifier (an ACM ARN), or `none` when the config does not ask for one. */
  readonly certificateId: string;
}

/** What pages someone when the preparation breaks or the primary goes down. */
export interface StandbyWatches {
  /** Where alerts go, one per region the watches live in. */
  readonly alertDestinations: readonly string[];
  /** One line per watch, e.g. `backup copy job failed (EventBridge, us-east-1)`. */
  readonly watches: readonly string[];
}

/**
 * What a pilot-light or warm-standby tier keeps standing in the recovery location for the recovery to adopt (found
 * there by name or tag, never through this stack's state), so the recovery's critical path shrinks with the tier.
 */
export interface StandingInfrastructure {
  /** One line per standing resource the recovery adopts, e.g. `ALB medplum-prod-dr (HTTPS listener)`; empty for backup-restore. */
  readonly adopted: readonly string[];
  /**
   * The live replica of the database a warm standby keeps, which the recovery promotes.
   * @default - none: the recovery restores from a recovery point
   */
  readonly databaseReplica?: { readonly id: string; readonly lag: string };
}

/** What each standby step returns; a bundle extends them with its own cloud details, as `RecoveryStepResults` does. */
export interface StandbyStepResults {
  /** The bundle's providers (primary and recovery location); opaque to the stack. */
  readonly providers: unknown;
  readonly recoveryPoints: RecoveryPointCopies;
  readonly binaries: ReplicatedBinaries;
  readonly secrets: SecretsInRecoveryLocation;
  readonly certificate: IssuedCertificate;
  readonly standing: StandingInfrastructure;
  readonly watches: StandbyWatches;
}

type Earlier<R extends StandbyStepResults, K extends keyof StandbyStepResults> = Pick<R, K>;

/** The steps `StandbyStack` composes, in order; each receives the results of the steps before it. */
export interface StandbyBundle<R extends StandbyStepResults = StandbyStepResults> {
  readonly target: TargetName;
  readonly tier: StandbyTier;
  /** Providers for the primary and the recovery location (aliased), and the state backend. */
  configureProviders(stack: TerraformStack, stackName: string): R["providers"];
  recoveryPoints(scope: Construct, inputs: Earlier<R, "providers">): R["recoveryPoints"];
  binaries(scope: Construct, inputs: Earlier<R, "providers" | "recoveryPoints">): R["binaries"];
  secrets(scope: Construct, inputs: Earlier<R, "providers" | "recoveryPoints" | "binaries">): R["secrets"];
  certificate(scope: Construct, inputs: Earlier<R, "providers" | "recoveryPoints" | "binaries" | "secrets">): R["certificate"];
  /** Standing infrastructure of the tier (network, cluster, load balancer, a live replica); nothing for backup-restore. */
  standing(scope: Construct, inputs: Earlier<R, "providers" | "recoveryPoints" | "binaries" | "secrets" | "certificate">): R["standing"];
  watches(scope: Construct, inputs: Earlier<R, "providers" | "recoveryPoints" | "binaries" | "secrets" | "certificate" | "standing">): R["watches"];
}

/** A standby bundle run by a stack that does not know its cloud details (see `AnyRecoveryBundle`). */
export type AnyStandbyBundle = StandbyBundle<StandbyStepResults>;

/** Builds the standby bundle for one target from the validated config; only called when the target has `standby`. */
export type StandbyBundleFactory = (config: RecoveryConfig) => AnyStandbyBundle;
