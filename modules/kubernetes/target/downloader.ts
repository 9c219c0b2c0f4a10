/**
 * The restore Job's init container that fetches the dump into the shared scratch volume, one recipe per object store.
 * Credentials come from an existing Secret; the URL is not secret. The images are pinned defaults, overridable in
 * config (`database.dump.downloaderImage`) for clusters that pull from a mirror.
 */
import type { JobV1SpecTemplateSpecInitContainer, JobV1SpecTemplateSpecVolume } from "@cdktf/provider-kubernetes/lib/job-v1";
import type { DumpDatabaseConfig } from "./postgres";
import { restrictedContainerSecurity } from "./labels";

export const DUMP_DIRECTORY = "/dump";
export const DUMP_FILE = `${DUMP_DIRECTORY}/medplum.dump`;
/** The downloaders run as the same non-root user as the Medplum server. */
const DOWNLOADER_USER = 65532;

export type DumpStore = "s3" | "gcs" | "azure-blob";

export const DEFAULT_DOWNLOADER_IMAGES: Readonly<Record<DumpStore, string>> = {
  s3: "amazon/aws-cli:2.17.0",
  gcs: "google/cloud-sdk:489.0.0-slim",
  "azure-blob": "curlimages/curl:8.9.1",
};

export function dumpStore(url: string): DumpStore {
  if (url.startsWith("s3://")) return "s3";
  if (url.startsWith("gs://")) return "gcs";
  return "azure-blob";
}

export interface Downloader {
  readonly container: JobV1SpecTemplateSpecInitContainer;
  /** Volumes the container needs beyond the dump and tmp directories. */
  readonly volumes: JobV1SpecTemplateSpecVolume[];
}

/** A container's ephemeral-storage request and limit, as Kubernetes quantities. */
export interface EphemeralStorage {
  readonly request: string;
  readonly limit: string;
}

/** `ephemeralStorage`: what the pod reserves of the node's ephemeral storage (restore-job.ts: scratchSpace). */
export function downloader(dump: DumpDatabaseConfig["dump"], ephemeralStorage: EphemeralStorage): Downloader {
  const store = dumpStore(dump.url);
  const fromSecret = (name: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: dump.credentialsSecret, key, optional: false } } });
  const base = {
    name: "download",
    image: dump.downloaderImage ?? DEFAULT_DOWNLOADER_IMAGES[store],
    imagePullPolicy: "IfNotPresent",
    securityContext: restrictedContainerSecurity(DOWNLOADER_USER),
    resources: {
      requests: { cpu: "250m", memory: "256Mi", "ephemeral-storage": ephemeralStorage.request },
      limits: { cpu: "1000m", memory: "1024Mi", "ephemeral-storage": ephemeralStorage.limit },
    },
    volumeMount: [
      { name: "dump", mountPath: DUMP_DIRECTORY },
      { name: "tmp", mountPath: "/tmp" },
    ],
  };
  switch (store) {
    case "s3":
      return {
        volumes: [],
        container: {
          ...base,
          command: ["aws", "s3", "cp", "--only-show-errors", ...(dump.s3Endpoint !== undefined ? ["--endpoint-url", dump.s3Endpoint] : []), dump.url, DUMP_FILE],
          env: [
            fromSecret("AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"),
            fromSecret("AWS_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"),
            { name: "AWS_REGION", value: dump.s3Region },
            { name: "HOME", value: "/tmp" },
          ],
        },
      };
    case "gcs":
      return {
        volumes: [{ name: "credentials", secret: { secretName: dump.credentialsSecret, defaultMode: "0400", items: [{ key: "key.json", path: "key.json" }] } }],
        container: {
          ...base,
          command: ["sh", "-c", 'gcloud auth login --cred-file=/credentials/key.json --quiet && exec gcloud storage cp "$DUMP_URL" "$DUMP_FILE"'],
          env: [
            { name: "DUMP_URL", value: dump.url },
            { name: "DUMP_FILE", value: DUMP_FILE },
            // gcloud keeps its state in the config directory; the root filesystem is read-only.
            { name: "CLOUDSDK_CONFIG", value: "/tmp/gcloud" },
            { name: "HOME", value: "/tmp" },
          ],
          volumeMount: [...base.volumeMount, { name: "credentials", mountPath: "/credentials", readOnly: true }],
        },
      };
    case "azure-blob":
      return {
        volumes: [],
        container: {
          ...base,
          // The SAS token is appended inside the container, so it is in no argument and no synthesized value.
          command: ["sh", "-c", 'exec curl --fail --silent --show-error --retry 5 --retry-all-errors --output "$DUMP_FILE" "$DUMP_URL?$SAS_TOKEN"'],
          env: [{ name: "DUMP_URL", value: dump.url }, { name: "DUMP_FILE", value: DUMP_FILE }, fromSecret("SAS_TOKEN", "sasToken")],
        },
      };
  }
}
