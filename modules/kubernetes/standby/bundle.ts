/**
 * The Kubernetes standby bundle, tier backup-restore: on the primary cluster, dump Medplum's database on a schedule to
 * storage the recovery location can read, and prove the newest dump restores (docs/standby.md). Binaries, secrets and
 * the certificate are the team's on plain Kubernetes (object storage it replicates, Secrets it syncs, cert-manager in
 * the recovery cluster), so those steps prepare nothing and say so in the stack's outputs.
 */
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import type { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { KubernetesStandbyConfig, RecoveryConfig } from "../../../config/schema";
import { configureStateBackend } from "../../../providers/backend";
import { recoveryTags } from "../../../config/naming";
import type { RecoveryPointCopies, StandbyBundle, StandbyStepResults } from "../../standby-contracts";
import { type BackupDestination, describeDestination } from "../dump-store";
import { BackupCronJobs, type SecretKey } from "./backup-cronjobs";

/** `every N minutes` as a cron expression that repeats evenly through the day (the schema allows only such N). */
export function dumpSchedule(minutes: number): string {
  if (minutes < 60) return `*/${minutes} * * * *`;
  if (minutes === 1440) return "0 0 * * *";
  return `0 */${minutes / 60} * * *`;
}

/** What standby-k8s's steps hand the later ones, beyond the contract's common results. */
export interface KubernetesStandbyStepResults extends StandbyStepResults {
  /** The primary cluster, where the database and the CronJobs run; the recovery location is only read by the recovery. */
  readonly providers: { readonly primary: KubernetesProvider };
  readonly recoveryPoints: RecoveryPointCopies & {
    readonly backups: BackupCronJobs;
    /** Where the verify posts its result. @default - the Job status only */
    readonly webhook?: SecretKey;
  };
}

export function createKubernetesStandbyBundle(config: RecoveryConfig): StandbyBundle<KubernetesStandbyStepResults> {
  const standby: KubernetesStandbyConfig | undefined = config.targets.kubernetes?.standby;
  if (standby === undefined) {
    throw new Error("targets.kubernetes.standby: (not set) is required by the Kubernetes standby bundle; add a standby section or do not build standby-k8s");
  }
  const destination = standby.destination as BackupDestination;
  return {
    target: "kubernetes",
    tier: standby.tier,
    configureProviders(stack: TerraformStack, stackName: string) {
      configureStateBackend(stack, stackName, standby.backend);
      return { primary: new KubernetesProvider(stack, "kubernetes", { configPath: standby.kubeconfig.path, configContext: standby.kubeconfig.context }) };
    },
    recoveryPoints(scope: Construct) {
      const tags = recoveryTags(config);
      const webhook = standby.webhookSecret !== undefined ? { secretName: standby.webhookSecret.secretName, key: standby.webhookSecret.key } : undefined;
      const backups = new BackupCronJobs(scope, "backups", {
        namespace: standby.namespace,
        labels: { "app.kubernetes.io/part-of": "medplum-dr", environment: tags.environment as string },
        database: { ...standby.database, passwordSecret: { secretName: standby.database.passwordSecret.secretName, key: standby.database.passwordSecret.key } },
        dumpSchedule: dumpSchedule(standby.dumpEveryMinutes),
        verifySchedule: standby.verifySchedule,
        retention: {
          ...(standby.retention.count !== undefined ? { count: standby.retention.count } : {}),
          ...(standby.retention.days !== undefined ? { days: standby.retention.days } : {}),
        },
        destination,
        image: standby.image,
        dumpResources: { scratchGiB: destination.kind === "volume" ? 1 : standby.verifyScratchGiB },
        verifyResources: { scratchGiB: standby.verifyScratchGiB },
        // Two intervals without a new dump mean the dump CronJob stopped: the verify then fails loudly.
        verifyMaxAgeHours: Math.max(1, Math.ceil((2 * standby.dumpEveryMinutes) / 60)),
        ...(webhook !== undefined ? { webhookSecret: webhook } : {}),
      });
      return {
        backups,
        ...(webhook !== undefined ? { webhook } : {}),
        destination: describeDestination(destination),
        schedule: dumpSchedule(standby.dumpEveryMinutes),
        intervalMinutes: standby.dumpEveryMinutes,
        retentionDays: standby.retention.days ?? 0,
      };
    },
    binaries: () => ({
      source: "none",
      replica: "none",
      lag: "not replicated by standby-k8s: replicate targets.kubernetes.storage's bucket with the store's own replication",
    }),
    secrets: () => ({ secrets: [] }),
    certificate: () => ({ hostname: config.medplum.hostnames.api, certificateId: "none" }),
    // backup-restore keeps nothing standing: the recovery builds the whole cluster side from the newest dump.
    standing: () => ({ adopted: [] }),
    watches: (_scope, { recoveryPoints: { webhook } }) => ({
      alertDestinations: [webhook !== undefined ? `webhook (Secret ${webhook.secretName})` : "the CronJobs' Job status"],
      watches: ["dump CronJob failed (Job status)", "verify: checksum, restore or row counts failed, or the newest dump too old (Job status and webhook)"],
    }),
  };
}
