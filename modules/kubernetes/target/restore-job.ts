/**
 * The restore Job: an init container downloads the dump into a scratch volume of `dump.scratchGiB`, then the
 * project's restore script (the very file tested against a real PostgreSQL, mounted from a ConfigMap generated at
 * synth time) loads it into the recovered Postgres. Terraform waits for the Job to complete, and the Medplum
 * Deployment depends on it.
 *
 * With `dump.manifest`, the init container runs fetch-newest-dump.sh instead: it reads the manifest of the standby's
 * dump folder when the Job runs, downloads the newest dump it names and checks its SHA-256 against the manifest; the
 * restore script (`--manifest`) checks it again before touching the database. A mismatch fails the pod, so the Job,
 * so `terraform apply`. Nothing in the Job's spec depends on which dump is the newest: a newer manifest changes no
 * attribute, and the guards below hold for it as for a URL.
 *
 * The scratch volume is bounded either way: an emptyDir with a size limit whose space the pod requests as
 * ephemeral storage (so the scheduler picks a node that has it, and an oversized dump evicts this pod, not the node's
 * other pods), or, with `dump.scratchStorageClass`, a generic ephemeral volume claimed from that class.
 *
 * A re-run never restores again: every change to the Job is ignored once it exists, and the script itself does
 * nothing on a database it already restored.
 */
import { readFileSync } from "node:fs";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { JobV1, type JobV1SpecTemplateSpecVolume } from "@cdktf/provider-kubernetes/lib/job-v1";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { projectFile } from "../../project-files";
import type { RecoveryConfig } from "../../../config/schema";
import { dumpScratchGiB } from "../../../config/schema/kubernetes";
import { downloader, DUMP_DIRECTORY, DUMP_FILE, dumpSource, type EphemeralStorage, FETCHED_MANIFEST, manifestFetcher } from "./downloader";
import {
  componentLabels,
  componentSelector,
  DATABASE_NAME,
  POSTGRES_NAME,
  POSTGRES_PORT,
  restrictedContainerSecurity,
  restrictedPodSecurity,
  RESTORE_NAME,
} from "./labels";
import type { DumpDatabaseConfig } from "./postgres";

export const RESTORE_SCRIPT_PATH = projectFile("modules", "kubernetes", "scripts", "restore-medplum-db.sh");
/** What the init container runs with `dump.manifest`, and the store library it sources. */
export const FETCH_SCRIPT_FILES = ["fetch-newest-dump.sh", "dump-store.sh"] as const;
export const fetchScriptPath = (file: (typeof FETCH_SCRIPT_FILES)[number]) => projectFile("modules", "kubernetes", "scripts", file);
const SCRIPT_DIRECTORY = "/scripts";
const SCRIPT_NAME = "restore-medplum-db.sh";
const SCRIPT_VOLUME = "script";

export interface RestoreJobProps {
  readonly config: RecoveryConfig;
  readonly database: DumpDatabaseConfig;
  readonly namespace: string;
  readonly postgresHost: string;
  /** The Postgres StatefulSet: Terraform waits for its rollout, so the Job starts against a ready server. */
  readonly dependsOn: readonly ITerraformDependable[];
}

export class RestoreJob extends Construct {
  readonly script: ConfigMapV1;
  readonly job: JobV1;
  readonly networkPolicy: NetworkPolicyV1;

  constructor(scope: Construct, id: string, props: RestoreJobProps) {
    super(scope, id);
    const { database, namespace } = props;
    const labels = componentLabels(props.config, RESTORE_NAME);
    const scratch = scratchSpace(database, labels);
    const source = dumpSource(database.dump);
    const fetch =
      source.kind === "url"
        ? downloader(database.dump, source, scratch.ephemeralStorage)
        : manifestFetcher({
            dump: database.dump,
            location: source.location,
            ephemeralStorage: scratch.ephemeralStorage,
            databaseImage: database.image,
            scriptDirectory: SCRIPT_DIRECTORY,
            scriptVolume: SCRIPT_VOLUME,
          });
    const secretValue = (secretName: string, key: string) => ({ secretKeyRef: { name: secretName, key, optional: false } });

    this.script = new ConfigMapV1(this, "script", {
      metadata: { name: `${RESTORE_NAME}-script`, namespace, labels },
      data: {
        [SCRIPT_NAME]: escapeTerraformTemplate(readFileSync(RESTORE_SCRIPT_PATH, "utf8")),
        ...(source.kind === "manifest"
          ? Object.fromEntries(FETCH_SCRIPT_FILES.map((file) => [file, escapeTerraformTemplate(readFileSync(fetchScriptPath(file), "utf8"))]))
          : {}),
      },
    });

    const timeout = `${database.dump.timeoutMinutes}m`;
    this.job = new JobV1(this, "job", {
      dependsOn: [...props.dependsOn],
      metadata: { name: RESTORE_NAME, namespace, labels },
      waitForCompletion: true,
      timeouts: { create: timeout, update: timeout },
      // Restore inputs: once the Job exists, nothing about it may change (a changed Job is a new restore). Every
      // field of the Job's spec, the pod template included, is ForceNew in the kubernetes provider
      // (https://github.com/hashicorp/terraform-provider-kubernetes/blob/main/kubernetes/schema_job_spec.go), so
      // ignoring every change is what keeps a re-run, with another URL or a newer manifest, from restoring again.
      // The script's restore marker is the second guard.
      lifecycle: { ignoreChanges: "all" },
      spec: {
        backoffLimit: 2,
        completions: 1,
        parallelism: 1,
        activeDeadlineSeconds: database.dump.timeoutMinutes * 60,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: "Never",
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurity(database.runAsUser),
            initContainer: [fetch.container],
            container: [
              {
                name: "restore",
                // The Postgres image carries the matching pg_restore and psql, bash and sha256sum.
                image: database.image,
                imagePullPolicy: "IfNotPresent",
                command: ["bash", `${SCRIPT_DIRECTORY}/${SCRIPT_NAME}`, ...(source.kind === "url" ? [DUMP_FILE] : ["--manifest", FETCHED_MANIFEST])],
                env: [
                  { name: "PGHOST", value: props.postgresHost },
                  { name: "PGPORT", value: String(POSTGRES_PORT) },
                  { name: "PGUSER", value: "postgres" },
                  { name: "PGPASSWORD", valueFrom: secretValue(database.superuser.secretName, database.superuser.passwordKey) },
                  { name: "MEDPLUM_DB_NAME", value: DATABASE_NAME },
                  { name: "MEDPLUM_DB_USER", valueFrom: secretValue(database.credentials.secretName, database.credentials.usernameKey) },
                  { name: "MEDPLUM_DB_PASSWORD", valueFrom: secretValue(database.credentials.secretName, database.credentials.passwordKey) },
                  { name: "RESTORE_JOBS", value: "2" },
                  ...(source.kind === "url" && database.dump.sha256 !== undefined ? [{ name: "DUMP_SHA256", value: database.dump.sha256 }] : []),
                ],
                resources: {
                  requests: { cpu: "500m", memory: "512Mi", "ephemeral-storage": scratch.ephemeralStorage.request },
                  limits: { cpu: "2000m", memory: "2048Mi", "ephemeral-storage": scratch.ephemeralStorage.limit },
                },
                securityContext: restrictedContainerSecurity(database.runAsUser),
                volumeMount: [
                  { name: "dump", mountPath: DUMP_DIRECTORY, readOnly: true },
                  { name: SCRIPT_VOLUME, mountPath: SCRIPT_DIRECTORY, readOnly: true },
                  { name: "tmp", mountPath: "/tmp" },
                ],
              },
            ],
            volume: [
              scratch.volume,
              { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
              { name: SCRIPT_VOLUME, configMap: { name: this.script.metadata.name, defaultMode: "0555" } },
              ...fetch.volumes,
            ],
          },
        },
      },
    });

    // A volume is mounted, not downloaded: only an object store needs a way out.
    const endpointPort =
      source.kind === "url"
        ? objectStorePort(database.dump.s3Endpoint)
        : source.location.kind === "volume"
          ? undefined
          : objectStorePort(source.location.kind === "s3" ? source.location.endpoint : undefined);
    this.networkPolicy = new NetworkPolicyV1(this, "networkPolicy", {
      metadata: { name: RESTORE_NAME, namespace, labels },
      spec: {
        podSelector: { matchLabels: componentSelector(RESTORE_NAME) },
        policyTypes: ["Ingress", "Egress"],
        egress: [
          { to: [{ podSelector: { matchLabels: componentSelector(POSTGRES_NAME) } }], ports: [{ port: String(POSTGRES_PORT), protocol: "TCP" }] },
          {
            ports: [
              { port: "53", protocol: "UDP" },
              { port: "53", protocol: "TCP" },
            ],
          },
          ...(endpointPort !== undefined
            ? [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }, { ipBlock: { cidr: "::/0" } }], ports: [{ port: String(endpointPort), protocol: "TCP" }] }]
            : []),
        ],
      },
    });
  }
}

/** Room for /tmp (its emptyDir is limited to 1 GiB), container logs and writable layers, beside the dump. */
const EPHEMERAL_OVERHEAD_GIB = 1;

export interface ScratchSpace {
  readonly volume: JobV1SpecTemplateSpecVolume;
  /**
   * Set on both containers: the pod's request is the larger of its init container's and the sum of its containers',
   * and the dump is on the volume while either runs.
   */
  readonly ephemeralStorage: EphemeralStorage;
}

/** The dump's scratch volume, sized from config (dumpScratchGiB), and the ephemeral storage the pod must reserve. */
export function scratchSpace(database: DumpDatabaseConfig, labels: Readonly<Record<string, string>>): ScratchSpace {
  const sizeGiB = dumpScratchGiB(database);
  const storageClass = database.dump.scratchStorageClass;
  if (storageClass !== undefined) {
    return {
      volume: {
        name: "dump",
        ephemeral: {
          volumeClaimTemplate: {
            metadata: { labels: { ...labels } },
            spec: { accessModes: ["ReadWriteOnce"], storageClassName: storageClass, resources: { requests: { storage: `${sizeGiB}Gi` } } },
          },
        },
      },
      ephemeralStorage: { request: `${EPHEMERAL_OVERHEAD_GIB}Gi`, limit: `${2 * EPHEMERAL_OVERHEAD_GIB}Gi` },
    };
  }
  return {
    volume: { name: "dump", emptyDir: { sizeLimit: `${sizeGiB}Gi` } },
    ephemeralStorage: { request: `${sizeGiB + EPHEMERAL_OVERHEAD_GIB}Gi`, limit: `${sizeGiB + 2 * EPHEMERAL_OVERHEAD_GIB}Gi` },
  };
}

/**
 * Terraform reads `${...}` and `%{...}` in any string as template syntax; the script is full of shell `${...}`, so
 * both are escaped and Terraform writes the file byte for byte.
 */
export function escapeTerraformTemplate(text: string): string {
  // Replacer functions: in a replacement string, "$$" would itself mean one "$".
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/** The port the download talks to: 443, or the S3-compatible endpoint's own. */
export function objectStorePort(endpoint: string | undefined): number {
  if (endpoint === undefined) return 443;
  const url = new URL(endpoint);
  return url.port !== "" ? Number(url.port) : url.protocol === "http:" ? 80 : 443;
}
