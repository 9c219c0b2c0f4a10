/**
 * The restore Job's init container that fetches the dump into the shared scratch volume: one dump by URL, one recipe
 * per object store, or the newest dump a standby wrote, through the manifest beside it (fetch-newest-dump.sh, which
 * checks the dump's SHA-256 against the manifest). Credentials come from an existing Secret; the URL is not secret.
 * The images are pinned defaults, overridable in config (`database.dump.downloaderImage`) for clusters that pull from
 * a mirror.
 */
import type { JobV1SpecTemplateSpecInitContainer, JobV1SpecTemplateSpecVolume } from "@cdktf/provider-kubernetes/lib/job-v1";
import type { DumpManifestLocation } from "../../../config/schema/kubernetes";
import { destinationMount, MANIFEST_NAME } from "../dump-store";
import type { DumpDatabaseConfig } from "./postgres";
import { restrictedContainerSecurity } from "./labels";

export const DUMP_DIRECTORY = "/dump";
export const DUMP_FILE = `${DUMP_DIRECTORY}/medplum.dump`;
/** Where fetch-newest-dump.sh puts the manifest (beside the dump it names), for `restore-medplum-db.sh --manifest`. */
export const FETCHED_MANIFEST = `${DUMP_DIRECTORY}/${MANIFEST_NAME}`;
/** The downloaders run as the same non-root user as the Medplum server. */
const DOWNLOADER_USER = 65532;

export type DumpStore = "s3" | "gcs" | "azure-blob";

export const DEFAULT_DOWNLOADER_IMAGES: Readonly<Record<DumpStore, string>> = {
  s3: "amazon/aws-cli:2.17.0",
  gcs: "google/cloud-sdk:489.0.0-slim",
  "azure-blob": "curlimages/curl:8.9.1",
};

/**
 * Images for fetch-newest-dump.sh, which is a bash script over dump-store.sh: bash, coreutils, sed, and the store's
 * CLI or curl (the curl image has no bash). A volume needs no client at all, so the database image serves.
 */
export const DEFAULT_FETCH_IMAGES: Readonly<Record<Exclude<DumpManifestLocation["kind"], "volume">, string>> = {
  s3: "amazon/aws-cli:2.17.0",
  gcs: "google/cloud-sdk:489.0.0-slim",
  "azure-blob": "mcr.microsoft.com/azure-cli:2.63.0",
};

/** The one dump a restore reads: by URL, or the newest one named by a standby's manifest. */
export type DumpSource =
  | { readonly kind: "url"; readonly url: string; readonly credentialsSecret: string }
  | { readonly kind: "manifest"; readonly location: DumpManifestLocation };

/** The dump config's source; the config's cross-field rules make sure exactly one is given. */
export function dumpSource(dump: DumpDatabaseConfig["dump"]): DumpSource {
  if (dump.manifest !== undefined) return { kind: "manifest", location: dump.manifest };
  if (dump.url !== undefined && dump.credentialsSecret !== undefined) return { kind: "url", url: dump.url, credentialsSecret: dump.credentialsSecret };
  throw new Error(
    "targets.kubernetes.database.dump: gives neither url with credentialsSecret nor manifest; expected one of them (the config's validation should have said so)",
  );
}

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
export function downloader(dump: DumpDatabaseConfig["dump"], source: Extract<DumpSource, { kind: "url" }>, ephemeralStorage: EphemeralStorage): Downloader {
  const store = dumpStore(source.url);
  const fromSecret = (name: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: source.credentialsSecret, key, optional: false } } });
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
          command: [
            "aws",
            "s3",
            "cp",
            "--only-show-errors",
            ...(dump.s3Endpoint !== undefined ? ["--endpoint-url", dump.s3Endpoint] : []),
            source.url,
            DUMP_FILE,
          ],
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
        volumes: [
          { name: "credentials", secret: { secretName: source.credentialsSecret, defaultMode: "0400", items: [{ key: "key.json", path: "key.json" }] } },
        ],
        container: {
          ...base,
          command: ["sh", "-c", 'gcloud auth login --cred-file=/credentials/key.json --quiet && exec gcloud storage cp "$DUMP_URL" "$DUMP_FILE"'],
          env: [
            { name: "DUMP_URL", value: source.url },
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
          env: [{ name: "DUMP_URL", value: source.url }, { name: "DUMP_FILE", value: DUMP_FILE }, fromSecret("SAS_TOKEN", "sasToken")],
        },
      };
  }
}

export interface ManifestFetcherProps {
  readonly dump: DumpDatabaseConfig["dump"];
  readonly location: DumpManifestLocation;
  readonly ephemeralStorage: EphemeralStorage;
  /** The database image: it has bash and coreutils, all a volume needs. */
  readonly databaseImage: string;
  /** The folder the script ConfigMap (with fetch-newest-dump.sh and dump-store.sh) is mounted at, and its volume. */
  readonly scriptDirectory: string;
  readonly scriptVolume: string;
}

/**
 * The init container that fetches the newest dump through the manifest, with the same folder, credentials and mounts
 * as the standby's CronJobs (dump-store.ts: destinationMount), so a location copied from `standby.destination` is
 * read exactly as it was written. The volume is mounted read-only: the recovery never changes the dump folder.
 */
export function manifestFetcher(props: ManifestFetcherProps): Downloader {
  const { location } = props;
  const folder = destinationMount(location);
  const image = props.dump.downloaderImage ?? (location.kind === "volume" ? props.databaseImage : DEFAULT_FETCH_IMAGES[location.kind]);
  return {
    volumes: folder.volumes.map((volume) =>
      volume.persistentVolumeClaim !== undefined ? { ...volume, persistentVolumeClaim: { ...volume.persistentVolumeClaim, readOnly: true } } : volume,
    ),
    container: {
      name: "download",
      image,
      imagePullPolicy: "IfNotPresent",
      command: ["bash", `${props.scriptDirectory}/fetch-newest-dump.sh`, DUMP_DIRECTORY],
      env: [
        { name: "DUMP_DESTINATION", value: folder.url },
        // The CLIs keep their state in the home folder; the root filesystem is read-only.
        { name: "HOME", value: "/tmp" },
        { name: "TMPDIR", value: "/tmp" },
        { name: "CLOUDSDK_CONFIG", value: "/tmp/gcloud" },
        ...folder.env,
      ],
      securityContext: restrictedContainerSecurity(DOWNLOADER_USER),
      resources: {
        requests: { cpu: "250m", memory: "256Mi", "ephemeral-storage": props.ephemeralStorage.request },
        limits: { cpu: "1000m", memory: "1024Mi", "ephemeral-storage": props.ephemeralStorage.limit },
      },
      volumeMount: [
        { name: "dump", mountPath: DUMP_DIRECTORY },
        { name: "tmp", mountPath: "/tmp" },
        { name: props.scriptVolume, mountPath: props.scriptDirectory, readOnly: true },
        ...folder.mounts.map((mount) => ({ ...mount, readOnly: true })),
      ],
    },
  };
}
