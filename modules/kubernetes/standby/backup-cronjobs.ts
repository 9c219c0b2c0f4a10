/**
 * Peacetime backups of Medplum's database on the primary cluster: a CronJob that `pg_dump -Fc`s it on the RPO's
 * schedule to a mounted volume or an object store (modules/kubernetes/scripts/dump-medplum-db.sh), and a CronJob that
 * restores the newest dump into a throwaway PostgreSQL inside its own pod with the recovery's restore script and
 * compares every table's row count (verify-medplum-dump.sh). A backup never restored is not a backup: a failed verify
 * is a failed Job (the cluster's Job alerts see it) and, with `webhookSecret`, a POST to that URL.
 *
 * The scripts reach the pods through one ConfigMap holding the files byte for byte (the same files the real-PostgreSQL
 * tests run). Both pods follow the restricted Pod Security profile: non-root, read-only root filesystem, an emptyDir
 * for scratch whose size the pod requests as ephemeral storage, every capability dropped, seccomp RuntimeDefault.
 * No secret value is synthesized: passwords, keys and the webhook URL come from existing Secrets.
 */
import { readFileSync } from "node:fs";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import {
  CronJobV1,
  type CronJobV1SpecJobTemplateSpecTemplateSpecContainerEnv,
  type CronJobV1SpecJobTemplateSpecTemplateSpecContainerVolumeMount,
  type CronJobV1SpecJobTemplateSpecTemplateSpecVolume,
} from "@cdktf/provider-kubernetes/lib/cron-job-v1";
import { Construct } from "constructs";
import { type BackupDestination, destinationMount, SECRET_DIRECTORY, secretFileVolume } from "../dump-store";
import { projectFile } from "../../project-files";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../target/labels";
import { escapeTerraformTemplate } from "../target/restore-job";
import { backupCronJobsProblems } from "./validation";

export { type BackupDestination, destinationMount } from "../dump-store";

/** The files the ConfigMap carries, in the order a reader meets them. */
export const BACKUP_SCRIPT_FILES = ["dump-medplum-db.sh", "verify-medplum-dump.sh", "dump-store.sh", "restore-medplum-db.sh"] as const;
export const backupScriptPath = (file: (typeof BACKUP_SCRIPT_FILES)[number]) => projectFile("modules", "kubernetes", "scripts", file);

const SCRIPT_DIRECTORY = "/scripts";
const SCRATCH_DIRECTORY = "/scratch";
/** The postgres user of the official (Debian) postgres image: initdb needs a user with a passwd entry. */
export const POSTGRES_IMAGE_USER = 999;
/** Room for logs and the scripts' small files beside the dump (and, when verifying, the restored database). */
const EPHEMERAL_OVERHEAD_GIB = 1;

/** A Secret in the namespace and the key holding the value. */
export interface SecretKey {
  readonly secretName: string;
  readonly key: string;
}

/** CPU, memory and scratch space of one CronJob's pod. */
export interface BackupJobResources {
  /** @default "500m" for the dump, "1000m" for the verify */
  readonly cpu?: string;
  /** @default "512Mi" for the dump, "2Gi" for the verify */
  readonly memory?: string;
  /**
   * The scratch emptyDir (`/scratch`): for the dump, the dump before its upload (nothing with a volume destination);
   * for the verify, the downloaded dump plus the database restored from it (a few times the dump's size).
   * The pod requests it, plus 1 GiB, as ephemeral storage.
   */
  readonly scratchGiB: number;
}

export interface BackupCronJobsProps {
  readonly namespace: string;
  /**
   * Prefix of every object's name: `<name>-scripts`, `<name>-dump`, `<name>-verify`.
   * @default "medplum-backup"
   */
  readonly name?: string;
  /** @default - none beyond the component labels */
  readonly labels?: Readonly<Record<string, string>>;
  readonly database: {
    readonly host: string;
    /** @default 5432 */
    readonly port?: number;
    /** @default "medplum" */
    readonly name?: string;
    /** A role that can read every table (Medplum's own role, or a read-only one). */
    readonly user: string;
    readonly passwordSecret: SecretKey;
  };
  /** When to dump, as a cron expression (`*\/30 * * * *`, `@hourly`): its interval is the RPO this tier gives. */
  readonly dumpSchedule: string;
  /** When to verify the newest dump, e.g. daily at a quiet hour. */
  readonly verifySchedule: string;
  /**
   * The time zone of both schedules (an IANA name; CronJob `timeZone`, Kubernetes >= 1.27).
   * @default - the kube-controller-manager's time zone
   */
  readonly timeZone?: string;
  /** Which dumps to keep: a dump is kept when either rule keeps it; the newest always is. At least one is needed. */
  readonly retention: {
    /** @default - no count rule */
    readonly count?: number;
    /** @default - no age rule */
    readonly days?: number;
  };
  readonly destination: BackupDestination;
  /**
   * The image of both jobs: bash, the PostgreSQL client and server binaries of the database's major version or later
   * (pg_dump, pg_restore, psql, initdb, pg_ctl, postgres), sha256sum, and for an object store its CLI (aws, gcloud) or
   * curl. The official `postgres:<major>` image has everything a volume destination needs.
   */
  readonly image: string;
  /**
   * The user both pods run as; with the local throwaway server it must have a passwd entry in the image.
   * @default 999 (postgres in the official image)
   */
  readonly runAsUser?: number;
  readonly dumpResources: BackupJobResources;
  readonly verifyResources: BackupJobResources;
  /** @default 120 */
  readonly dumpTimeoutMinutes?: number;
  /** @default 240 */
  readonly verifyTimeoutMinutes?: number;
  /**
   * Retries of a failed run before the Job is marked failed.
   * @default 1
   */
  readonly backoffLimit?: number;
  /**
   * The verify fails when the newest dump is older than this: a dump CronJob that stopped running breaks the RPO
   * silently otherwise.
   * @default - twice the dump interval is not derivable from a cron expression, so no limit
   */
  readonly verifyMaxAgeHours?: number;
  /**
   * A Secret key holding a URL the verify POSTs its result to (JSON: status, dump, sha256, tables, rows, message).
   * @default - the Job status only
   */
  readonly webhookSecret?: SecretKey;
}

export class BackupCronJobs extends Construct {
  readonly scripts: ConfigMapV1;
  readonly dump: CronJobV1;
  readonly verify: CronJobV1;

  constructor(scope: Construct, id: string, props: BackupCronJobsProps) {
    super(scope, id);
    const problems = backupCronJobsProblems(props);
    if (problems.length > 0) throw new Error(`BackupCronJobs ${id}: ${problems.join("; ")}`);

    const name = props.name ?? "medplum-backup";
    const user = props.runAsUser ?? POSTGRES_IMAGE_USER;
    const labels = (component: string) => ({
      ...props.labels,
      "app.kubernetes.io/name": `${name}-${component}`,
      "app.kubernetes.io/part-of": "medplum",
      "app.kubernetes.io/managed-by": "medplum-dr",
    });
    const destination = destinationMount(props.destination);

    this.scripts = new ConfigMapV1(this, "scripts", {
      metadata: { name: `${name}-scripts`, namespace: props.namespace, labels: labels("scripts") },
      data: Object.fromEntries(BACKUP_SCRIPT_FILES.map((file) => [file, escapeTerraformTemplate(readFileSync(backupScriptPath(file), "utf8"))])),
    });

    const common: CronJobV1SpecJobTemplateSpecTemplateSpecContainerEnv[] = [
      { name: "DUMP_DESTINATION", value: destination.url },
      { name: "TMPDIR", value: SCRATCH_DIRECTORY },
      // The CLIs keep their state in the home folder; the root filesystem is read-only.
      { name: "HOME", value: SCRATCH_DIRECTORY },
      { name: "CLOUDSDK_CONFIG", value: `${SCRATCH_DIRECTORY}/gcloud` },
      ...destination.env,
    ];
    const database = props.database;
    const dumpEnv: CronJobV1SpecJobTemplateSpecTemplateSpecContainerEnv[] = [
      { name: "PGHOST", value: database.host },
      { name: "PGPORT", value: String(database.port ?? 5432) },
      { name: "PGUSER", value: database.user },
      { name: "PGPASSWORD", valueFrom: { secretKeyRef: { name: database.passwordSecret.secretName, key: database.passwordSecret.key, optional: false } } },
      { name: "MEDPLUM_DB_NAME", value: database.name ?? "medplum" },
      { name: "DUMP_SCRATCH_DIR", value: SCRATCH_DIRECTORY },
      { name: "DUMP_RETENTION_COUNT", value: String(props.retention.count ?? 0) },
      { name: "DUMP_RETENTION_DAYS", value: String(props.retention.days ?? 0) },
      ...common,
    ];
    const webhook = props.webhookSecret;
    const verifyEnv: CronJobV1SpecJobTemplateSpecTemplateSpecContainerEnv[] = [
      // A throwaway PostgreSQL inside the pod: the verify never loads the primary's server or holds its password.
      { name: "VERIFY_SERVER", value: "local" },
      { name: "VERIFY_SCRATCH_DIR", value: SCRATCH_DIRECTORY },
      ...(props.verifyMaxAgeHours !== undefined ? [{ name: "VERIFY_MAX_AGE_HOURS", value: String(props.verifyMaxAgeHours) }] : []),
      ...(webhook !== undefined ? [{ name: "VERIFY_WEBHOOK_URL_FILE", value: `${SECRET_DIRECTORY}/webhook/url` }] : []),
      ...common,
    ];
    const webhookVolume: CronJobV1SpecJobTemplateSpecTemplateSpecVolume[] =
      webhook !== undefined ? [secretFileVolume("webhook", webhook.secretName, webhook.key, "url")] : [];
    const webhookMount = webhook !== undefined ? [{ name: "webhook", mountPath: `${SECRET_DIRECTORY}/webhook`, readOnly: true }] : [];

    const cronJob = (component: "dump" | "verify", spec: JobSpec) =>
      new CronJobV1(this, component, {
        metadata: { name: `${name}-${component}`, namespace: props.namespace, labels: labels(component) },
        spec: {
          schedule: spec.schedule,
          ...(props.timeZone !== undefined ? { timezone: props.timeZone } : {}),
          // One dump at a time: an overlapping run would race the previous one's manifest and pruning.
          concurrencyPolicy: "Forbid",
          // A run that could not start within an hour of its slot is skipped, not queued behind the next one.
          startingDeadlineSeconds: 3600,
          successfulJobsHistoryLimit: 3,
          failedJobsHistoryLimit: 3,
          jobTemplate: {
            metadata: { labels: labels(component) },
            spec: {
              backoffLimit: props.backoffLimit ?? 1,
              activeDeadlineSeconds: spec.timeoutMinutes * 60,
              template: {
                metadata: { labels: labels(component) },
                spec: {
                  restartPolicy: "Never",
                  automountServiceAccountToken: false,
                  enableServiceLinks: false,
                  securityContext: restrictedPodSecurity(user),
                  container: [
                    {
                      name: component,
                      image: props.image,
                      imagePullPolicy: "IfNotPresent",
                      command: ["bash", `${SCRIPT_DIRECTORY}/${component === "dump" ? "dump-medplum-db.sh" : "verify-medplum-dump.sh"}`],
                      env: spec.env,
                      resources: {
                        requests: { cpu: spec.cpu, memory: spec.memory, "ephemeral-storage": `${spec.scratchGiB + EPHEMERAL_OVERHEAD_GIB}Gi` },
                        limits: { cpu: spec.cpu, memory: spec.memory, "ephemeral-storage": `${spec.scratchGiB + 2 * EPHEMERAL_OVERHEAD_GIB}Gi` },
                      },
                      securityContext: restrictedContainerSecurity(user),
                      volumeMount: [
                        { name: "scripts", mountPath: SCRIPT_DIRECTORY, readOnly: true },
                        { name: "scratch", mountPath: SCRATCH_DIRECTORY },
                        // The verify only reads the dumps.
                        ...destination.mounts.map((mount) => ({
                          ...mount,
                          readOnly: mount.readOnly === true || (component === "verify" && mount.name === "backups"),
                        })),
                        ...spec.mounts,
                      ],
                    },
                  ],
                  volume: [
                    { name: "scripts", configMap: { name: this.scripts.metadata.name, defaultMode: "0555" } },
                    { name: "scratch", emptyDir: { sizeLimit: `${spec.scratchGiB}Gi` } },
                    ...destination.volumes,
                    ...spec.volumes,
                  ],
                },
              },
            },
          },
        },
      });

    this.dump = cronJob("dump", {
      schedule: props.dumpSchedule,
      timeoutMinutes: props.dumpTimeoutMinutes ?? 120,
      env: dumpEnv,
      cpu: props.dumpResources.cpu ?? "500m",
      memory: props.dumpResources.memory ?? "512Mi",
      scratchGiB: props.dumpResources.scratchGiB,
      mounts: [],
      volumes: [],
    });
    this.verify = cronJob("verify", {
      schedule: props.verifySchedule,
      timeoutMinutes: props.verifyTimeoutMinutes ?? 240,
      env: verifyEnv,
      cpu: props.verifyResources.cpu ?? "1000m",
      memory: props.verifyResources.memory ?? "2Gi",
      scratchGiB: props.verifyResources.scratchGiB,
      mounts: webhookMount,
      volumes: webhookVolume,
    });
  }
}

interface JobSpec {
  readonly schedule: string;
  readonly timeoutMinutes: number;
  readonly env: CronJobV1SpecJobTemplateSpecTemplateSpecContainerEnv[];
  readonly cpu: string;
  readonly memory: string;
  readonly scratchGiB: number;
  readonly mounts: CronJobV1SpecJobTemplateSpecTemplateSpecContainerVolumeMount[];
  readonly volumes: CronJobV1SpecJobTemplateSpecTemplateSpecVolume[];
}
