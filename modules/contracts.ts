/**
 * The contracts every cloud bundle implements, in the recovery's own vocabulary.
 *
 * `RecoveryStack` composes a recovery from these steps in the order the disaster-recovery runbook gives them:
 * restore the database, provision the application tier connected to it, switch traffic, watch it. Provider types never
 * appear here: they stay inside `modules/<cloud>/`, so a fork can replace one cloud's implementation of one step without
 * touching the stack or the other clouds.
 */
import type { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { RecoveryConfig, TargetName } from "../config/schema";

/** Where a secret value lives; the workload reads it at run time, so the value never passes through Terraform config. */
export interface SecretReference {
  /** The store that holds the value. */
  readonly store: "aws-secrets-manager" | "gcp-secret-manager" | "azure-key-vault" | "kubernetes-secret";
  /** ARN, secret resource name, vault secret id, or `<namespace>/<secret name>`, depending on the store. */
  readonly id: string;
  /** The JSON key (or Kubernetes Secret data key) inside the secret, when the secret holds more than one value. */
  readonly key?: string;
}

/** The recovery's private network, as far as the other steps need to know it. */
export interface RecoveryNetwork {
  /** The cloud's identifier for the network (VPC id, VPC network self link, VNet id, or a namespace on Kubernetes). */
  readonly networkId: string;
}

/**
 * How each restore mode bounds data loss, by its nature: the newest recovery point it restores from (`recovery-point`),
 * continuous backups or logs up to a chosen time (`continuous`), a replica's replication lag (`replication-lag`), or the
 * interval between logical dumps (`dump-interval`). `none` when the stack adopts a database recovered outside it.
 */
export type RpoClass = "recovery-point" | "continuous" | "replication-lag" | "dump-interval" | "none";

/** Every restore mode a bundle can emit, with the RPO class it belongs to: the one list the report keys on. */
export const RESTORE_MODES = {
  snapshot: "recovery-point",
  backup: "recovery-point",
  "point-in-time": "continuous",
  "point-in-time-clone": "continuous",
  "geo-restore": "recovery-point",
  "replica-promotion": "replication-lag",
  "logical-dump": "dump-interval",
  existing: "none",
} as const satisfies Readonly<Record<string, RpoClass>>;
export type RestoreMode = keyof typeof RESTORE_MODES;

/** How the database was brought back, for outputs, the runbook and the plan report. */
export interface RestoreProvenance {
  /** The restore mode chosen in config. */
  readonly mode: RestoreMode;
  /** What the data came from: a snapshot ARN, a backup run, a source server, a dump URL. */
  readonly source: string;
  /** The point in time recovered to: an RFC 3339 time, `latest`, or `as of <snapshot>`. */
  readonly point: string;
  /**
   * When the source was taken (RFC 3339), where config or a plan-time lookup knows it: the RPO is measured from it.
   * @default - not known at synth
   */
  readonly sourceTakenAt?: string;
}

/** A PostgreSQL database holding the recovered Medplum data, reachable from the application tier. */
export interface RestoredDatabase {
  /** Engine family and major version, e.g. `aurora-postgresql 16`. */
  readonly engine: string;
  /** The cloud's identifier for the database (cluster identifier, instance name, server id); monitoring keys on it. */
  readonly resourceId: string;
  readonly host: string;
  readonly port: number;
  readonly databaseName: string;
  readonly username: SecretReference | string;
  readonly password: SecretReference;
  readonly restore: RestoreProvenance;
}

/** The Redis Medplum uses for cache, pub/sub and job queues; an empty one is acceptable after a recovery. */
export interface RecoveredCache {
  readonly resourceId: string;
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  /**
   * PEM of the CA that signs the cache's server certificate, when it is a private one (Memorystore); clients verify
   * against it instead of the system CAs. Public, not a secret.
   * @default - the server certificate chains to a public CA
   */
  readonly serverCaCertificate?: string;
  readonly password: SecretReference;
}

/** Object storage for Medplum binaries (attachments, documents), replicated into the recovery location in peacetime. */
export interface BinaryStorage {
  /** The bucket, container or volume name. */
  readonly name: string;
  /** The value of Medplum's `binaryStorage` setting, e.g. `s3:<bucket>`, `gs:<bucket>`, `azure:<account>:<container>`. */
  readonly medplumBinaryStorage: string;
}

/** Medplum's own sensitive settings (signing key and friends), held in the recovery location's secret store. */
export interface ApplicationSecrets {
  /** Medplum environment variable name (e.g. `MEDPLUM_SIGNING_KEY`) to where its value lives. */
  readonly environment: Readonly<Record<string, SecretReference>>;
}

/** The running Medplum server tier. */
export interface ApplicationTier {
  /** DNS name of the entry point (load balancer hostname, or ingress address) that traffic should be switched to. */
  readonly entryPointDnsName: string;
  /** The cloud's identifier for the entry point, for alias records and load balancer metrics. */
  readonly entryPointId: string;
  /** The cloud's identifier for the service running the servers (ECS service, Deployment), for monitoring. */
  readonly serviceId: string;
}

/** The DNS change that sends users to the recovered environment. */
export interface TrafficSwitch {
  /** The public URL users reach Medplum's API on after the switch. */
  readonly apiUrl: string;
  /** A one-line description of the routing, e.g. `Route 53 failover SECONDARY with health check`. */
  readonly routing: string;
}

/** What watches the recovered environment. */
export interface Monitoring {
  /** Where alerts go (SNS topic ARN, notification channel ids, action group id). */
  readonly alertDestination: string;
}

/**
 * What each step of a recovery returns. A bundle extends these with its own cloud details (subnets, a key, the load
 * balancer) and declares them as the type parameter of `RecoveryBundle`, so every value a later step uses arrives
 * through its parameters and the type checker follows it from the step that made it.
 */
export interface RecoveryStepResults {
  /** What `configureProviders` declared that a step configures later (a Kubernetes provider the cluster step connects); opaque to the stack. */
  readonly providers: unknown;
  readonly network: RecoveryNetwork;
  readonly database: RestoredDatabase;
  readonly cache: RecoveredCache;
  readonly storage: BinaryStorage;
  readonly secrets: ApplicationSecrets;
  readonly application: ApplicationTier;
  readonly traffic: TrafficSwitch;
  readonly monitoring: Monitoring;
}

/** The providers and the results of the steps that ran before `step`, in `RECOVERY_STEP_ORDER`. */
export type EarlierSteps<R extends RecoveryStepResults, Step extends RecoveryStep> = Pick<R, "providers" | StepsBefore<Step>>;

/** The order `RecoveryStack` runs the steps in; a step's inputs are the results of every step before it. */
export const RECOVERY_STEP_ORDER = ["network", "database", "cache", "storage", "secrets", "application", "traffic", "monitoring"] as const;
type StepOrder = typeof RECOVERY_STEP_ORDER;
type RecoveryStep = StepOrder[number];
type Before<Order extends readonly string[], Step extends string, Acc extends string = never> = Order extends readonly [
  infer Head extends string,
  ...infer Rest extends readonly string[],
]
  ? Head extends Step
    ? Acc
    : Before<Rest, Step, Acc | Head>
  : Acc;
type StepsBefore<Step extends RecoveryStep> = Before<StepOrder, Step> & keyof RecoveryStepResults;

/** The steps `RecoveryStack` composes, in order. Each receives the results of every step before it. */
export interface RecoveryBundle<R extends RecoveryStepResults = RecoveryStepResults> {
  readonly target: TargetName;
  /** Configures providers and the state backend on the stack; the first thing the stack does. */
  configureProviders(stack: TerraformStack, stackName: string): R["providers"];
  network(scope: Construct, inputs: EarlierSteps<R, "network">): R["network"];
  restoreDatabase(scope: Construct, inputs: EarlierSteps<R, "database">): R["database"];
  cache(scope: Construct, inputs: EarlierSteps<R, "cache">): R["cache"];
  binaryStorage(scope: Construct, inputs: EarlierSteps<R, "storage">): R["storage"];
  applicationSecrets(scope: Construct, inputs: EarlierSteps<R, "secrets">): R["secrets"];
  applicationTier(scope: Construct, inputs: EarlierSteps<R, "application">): R["application"];
  switchTraffic(scope: Construct, inputs: EarlierSteps<R, "traffic">): R["traffic"];
  monitoring(scope: Construct, inputs: EarlierSteps<R, "monitoring">): R["monitoring"];
}

/**
 * A bundle whose step results are its own business: the stack runs it without knowing them. Method parameters are
 * bivariant in TypeScript, so any `RecoveryBundle<R>` is one; the type checking of the flow happens inside the bundle,
 * against its own `R`, and in `RecoveryStack`, which is generic over it.
 */
export type AnyRecoveryBundle = RecoveryBundle<RecoveryStepResults>;

/** Builds the bundle for one target from the validated config. */
export type RecoveryBundleFactory = (config: RecoveryConfig) => AnyRecoveryBundle;
