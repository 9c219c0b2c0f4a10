/**
 * Where peacetime dumps live, as the pods that read and write them reach it: the standby's dump and verify CronJobs
 * on the primary cluster (standby/backup-cronjobs.ts), and the recovery's restore Job when it takes the newest dump
 * from the manifest (target/restore-job.ts). Both hand the folder to the same shell library
 * (scripts/dump-store.sh) through DUMP_DESTINATION, credentials by reference, and the mounts below.
 */
import type {
  CronJobV1SpecJobTemplateSpecTemplateSpecContainerEnv,
  CronJobV1SpecJobTemplateSpecTemplateSpecContainerVolumeMount,
  CronJobV1SpecJobTemplateSpecTemplateSpecVolume,
} from "@cdktf/provider-kubernetes/lib/cron-job-v1";

export const BACKUP_DIRECTORY = "/backups";
export const SECRET_DIRECTORY = "/secrets";
/** The manifest of the newest complete dump, in the dump folder (scripts/dump-store.sh: MANIFEST_NAME). */
export const MANIFEST_NAME = "latest.json";

/** Where the dumps live. */
export type BackupDestination =
  | {
      /** A PersistentVolumeClaim (NFS, a storage array): plain files, for on-premises clusters. */
      readonly kind: "volume";
      readonly claimName: string;
      /**
       * A folder inside the volume.
       * @default - the volume's root
       */
      readonly path?: string;
    }
  | {
      readonly kind: "s3";
      readonly bucket: string;
      /** @default - the bucket's root */
      readonly prefix?: string;
      readonly region: string;
      /**
       * An S3-compatible endpoint (MinIO, Ceph RGW), e.g. `https://minio.storage.svc:9000`.
       * @default - AWS S3 in `region`
       */
      readonly endpoint?: string;
      /**
       * A Secret with keys `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`.
       * @default - the pod's own identity (IRSA, EKS Pod Identity): the image's aws CLI finds it
       */
      readonly credentialsSecret?: string;
    }
  | {
      readonly kind: "gcs";
      readonly bucket: string;
      /** @default - the bucket's root */
      readonly prefix?: string;
      /**
       * A Secret with key `key.json` (a service account key).
       * @default - workload identity
       */
      readonly credentialsSecret?: string;
    }
  | {
      readonly kind: "azure-blob";
      readonly account: string;
      readonly container: string;
      /** @default - the container's root */
      readonly prefix?: string;
      /** A Secret with key `sasToken`: a SAS allowing read, write, list and delete on the container. */
      readonly sasTokenSecret: string;
    };

/** A Secret's key as a file; 0440 with the pod's fsGroup lets the non-root user read it, and nobody else. */
export function secretFileVolume(name: string, secretName: string, key: string, path: string): CronJobV1SpecJobTemplateSpecTemplateSpecVolume {
  return { name, secret: { secretName, defaultMode: "0440", optional: false, items: [{ key, path }] } };
}

export interface DestinationMount {
  /** DUMP_DESTINATION as the scripts read it (dump-store.sh). */
  readonly url: string;
  readonly env: CronJobV1SpecJobTemplateSpecTemplateSpecContainerEnv[];
  readonly mounts: CronJobV1SpecJobTemplateSpecTemplateSpecContainerVolumeMount[];
  readonly volumes: CronJobV1SpecJobTemplateSpecTemplateSpecVolume[];
}

const withPrefix = (base: string, prefix: string | undefined) => (prefix === undefined || prefix === "" ? base : `${base}/${prefix.replace(/^\/+|\/+$/g, "")}`);

/** How each destination reaches the scripts: a URL, credentials by reference, and what must be mounted. */
export function destinationMount(destination: BackupDestination): DestinationMount {
  const fromSecret = (variable: string, secretName: string, key: string): CronJobV1SpecJobTemplateSpecTemplateSpecContainerEnv => ({
    name: variable,
    valueFrom: { secretKeyRef: { name: secretName, key, optional: false } },
  });
  switch (destination.kind) {
    case "volume":
      return {
        url: withPrefix(BACKUP_DIRECTORY, destination.path),
        env: [],
        mounts: [{ name: "backups", mountPath: BACKUP_DIRECTORY }],
        volumes: [{ name: "backups", persistentVolumeClaim: { claimName: destination.claimName } }],
      };
    case "s3":
      return {
        url: withPrefix(`s3://${destination.bucket}`, destination.prefix),
        env: [
          { name: "AWS_REGION", value: destination.region },
          ...(destination.endpoint !== undefined ? [{ name: "S3_ENDPOINT", value: destination.endpoint }] : []),
          ...(destination.credentialsSecret !== undefined
            ? [
                fromSecret("AWS_ACCESS_KEY_ID", destination.credentialsSecret, "AWS_ACCESS_KEY_ID"),
                fromSecret("AWS_SECRET_ACCESS_KEY", destination.credentialsSecret, "AWS_SECRET_ACCESS_KEY"),
              ]
            : []),
        ],
        mounts: [],
        volumes: [],
      };
    case "gcs":
      return destination.credentialsSecret !== undefined
        ? {
            url: withPrefix(`gs://${destination.bucket}`, destination.prefix),
            env: [{ name: "GOOGLE_APPLICATION_CREDENTIALS", value: `${SECRET_DIRECTORY}/gcs/key.json` }],
            mounts: [{ name: "gcs-credentials", mountPath: `${SECRET_DIRECTORY}/gcs`, readOnly: true }],
            volumes: [secretFileVolume("gcs-credentials", destination.credentialsSecret, "key.json", "key.json")],
          }
        : { url: withPrefix(`gs://${destination.bucket}`, destination.prefix), env: [], mounts: [], volumes: [] };
    case "azure-blob":
      return {
        url: withPrefix(`https://${destination.account}.blob.core.windows.net/${destination.container}`, destination.prefix),
        env: [{ name: "AZURE_SAS_TOKEN_FILE", value: `${SECRET_DIRECTORY}/azure/sasToken` }],
        mounts: [{ name: "azure-sas", mountPath: `${SECRET_DIRECTORY}/azure`, readOnly: true }],
        volumes: [secretFileVolume("azure-sas", destination.sasTokenSecret, "sasToken", "sasToken")],
      };
  }
}

export { describeDestination } from "./dump-folder";
