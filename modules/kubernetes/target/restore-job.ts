/**
 * The restore Job: an init container downloads the dump into an emptyDir, then the project's restore script (the
 * very file tested against a real PostgreSQL, mounted from a ConfigMap generated at synth time) loads it into the
 * recovered Postgres. Terraform waits for the Job to complete, and the Medplum Deployment depends on it.
 *
 * A re-run never restores again: every change to the Job is ignored once it exists, and the script itself does
 * nothing on a database it already restored.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { JobV1 } from "@cdktf/provider-kubernetes/lib/job-v1";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { RecoveryConfig } from "../../../config/schema";
import { downloader, DUMP_DIRECTORY, DUMP_FILE } from "./downloader";
import { componentLabels, componentSelector, DATABASE_NAME, POSTGRES_NAME, POSTGRES_PORT, restrictedContainerSecurity, restrictedPodSecurity, RESTORE_NAME } from "./labels";
import type { DumpDatabaseConfig } from "./postgres";

export const RESTORE_SCRIPT_PATH = join(__dirname, "../scripts/restore-medplum-db.sh");
const SCRIPT_DIRECTORY = "/scripts";
const SCRIPT_NAME = "restore-medplum-db.sh";

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
    const fetch = downloader(database.dump);
    const secretValue = (secretName: string, key: string) => ({ secretKeyRef: { name: secretName, key, optional: false } });

    this.script = new ConfigMapV1(this, "script", {
      metadata: { name: `${RESTORE_NAME}-script`, namespace, labels },
      data: { [SCRIPT_NAME]: escapeTerraformTemplate(readFileSync(RESTORE_SCRIPT_PATH, "utf8")) },
    });

    const timeout = `${database.dump.timeoutMinutes}m`;
    this.job = new JobV1(this, "job", {
      dependsOn: [...props.dependsOn],
      metadata: { name: RESTORE_NAME, namespace, labels },
      waitForCompletion: true,
      timeouts: { create: timeout, update: timeout },
      // Restore inputs: once the Job exists, nothing about it may change (a changed Job is a new restore).
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
                command: ["bash", `${SCRIPT_DIRECTORY}/${SCRIPT_NAME}`, DUMP_FILE],
                env: [
                  { name: "PGHOST", value: props.postgresHost },
                  { name: "PGPORT", value: String(POSTGRES_PORT) },
                  { name: "PGUSER", value: "postgres" },
                  { name: "PGPASSWORD", valueFrom: secretValue(database.superuser.secretName, database.superuser.passwordKey) },
                  { name: "MEDPLUM_DB_NAME", value: DATABASE_NAME },
                  { name: "MEDPLUM_DB_USER", valueFrom: secretValue(database.credentials.secretName, database.credentials.usernameKey) },
                  { name: "MEDPLUM_DB_PASSWORD", valueFrom: secretValue(database.credentials.secretName, database.credentials.passwordKey) },
                  { name: "RESTORE_JOBS", value: "2" },
                  ...(database.dump.sha256 !== undefined ? [{ name: "DUMP_SHA256", value: database.dump.sha256 }] : []),
                ],
                resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "2000m", memory: "2048Mi" } },
                securityContext: restrictedContainerSecurity(database.runAsUser),
                volumeMount: [
                  { name: "dump", mountPath: DUMP_DIRECTORY, readOnly: true },
                  { name: "script", mountPath: SCRIPT_DIRECTORY, readOnly: true },
                  { name: "tmp", mountPath: "/tmp" },
                ],
              },
            ],
            volume: [
              // Node ephemeral storage must hold the whole dump (see docs/targets/kubernetes.md).
              { name: "dump", emptyDir: {} },
              { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
              { name: "script", configMap: { name: this.script.metadata.name, defaultMode: "0555" } },
              ...fetch.volumes,
            ],
          },
        },
      },
    });

    const endpointPort = objectStorePort(database.dump.s3Endpoint);
    this.networkPolicy = new NetworkPolicyV1(this, "networkPolicy", {
      metadata: { name: RESTORE_NAME, namespace, labels },
      spec: {
        podSelector: { matchLabels: componentSelector(RESTORE_NAME) },
        policyTypes: ["Ingress", "Egress"],
        egress: [
          { to: [{ podSelector: { matchLabels: componentSelector(POSTGRES_NAME) } }], ports: [{ port: String(POSTGRES_PORT), protocol: "TCP" }] },
          { ports: [{ port: "53", protocol: "UDP" }, { port: "53", protocol: "TCP" }] },
          { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }, { ipBlock: { cidr: "::/0" } }], ports: [{ port: String(endpointPort), protocol: "TCP" }] },
        ],
      },
    });
  }
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
