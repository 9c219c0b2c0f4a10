/**
 * `targets.kubernetes`: recovery into an existing Kubernetes cluster (any distribution) through typed
 * `kubernetes_*_v1` resources only, so the stack plans without CRDs. Secret values never appear here: the config
 * names Kubernetes Secrets that exist in the namespace before the recovery (created by hand, External Secrets, the
 * Key Vault CSI driver...), and the keys inside them.
 */
import { z } from "zod";
import { EXTERNAL_DNS_DEFAULT_OWNER_ID } from "../../facts/external-dns";
import { medplumSettingNamesRule, smtpPasswordRule, type CrossFieldProblem, type CrossFieldRule } from "./cross-field";
import { cutoverTtlSeconds, nonEmpty, pastTimestamp, stateBackend } from "./common";
import {
  checkedString,
  gcsBucketNameProblem,
  HOST_NAME,
  ipCidr,
  isIpv4Address,
  isIpv6Address,
  K8S_DNS_LABEL,
  K8S_DNS_SUBDOMAIN,
  parseImageReference,
  qualifiedNameProblem,
  s3BucketNameProblem,
  url,
  urlCredential,
  urlProblem,
} from "./identifiers";

/** A DNS label (https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names): namespaces, Services and most object names. */
export const kubernetesName = z.string().regex(K8S_DNS_LABEL, "is not a Kubernetes name (lower-case letters, digits and '-', at most 63 characters)");
/** A DNS subdomain (https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-subdomain-names): Secret, StorageClass, IngressClass names. */
const secretName = z
  .string()
  .regex(K8S_DNS_SUBDOMAIN, "is not a Kubernetes Secret name (lower-case letters, digits, '-' and '.', dot-separated labels, at most 253)");
const objectName = (what: string) =>
  z.string().regex(K8S_DNS_SUBDOMAIN, `is not a Kubernetes ${what} name (lower-case letters, digits, '-' and '.', dot-separated labels, at most 253)`);
/** Secret data keys (https://kubernetes.io/docs/concepts/configuration/secret/#restriction-names-data): letters, digits, '-', '_', '.'; not "." or "..". */
const secretKey = z.string().regex(/^(?!\.{1,2}$)[-._a-zA-Z0-9]{1,253}$/, "is not a Secret data key (1-253 letters, digits, '-', '_' and '.')");
/** Label keys and values (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set). */
const labelValue = z
  .string()
  .regex(
    /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/,
    "is not a label value (empty, or 1-63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit)",
  );
const qualifiedName = checkedString(qualifiedNameProblem);
const labels = z.record(qualifiedName, labelValue);
/** Annotation values are free text; keys follow the label-key syntax. */
const annotations = z.record(qualifiedName, z.string());
/**
 * NetworkPolicy ipBlock.cidr (https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/):
 * an IPv4 or IPv6 CIDR. Kubernetes uses the enclosing network of a value with host bits set, so it is refused as ambiguous.
 */
const cidr = ipCidr("10.0.0.0/16", "Kubernetes would silently widen it to that block");

/** Floating tags of Postgres and Redis images: they move to a new release without notice. */
const FLOATING_SERVICE_TAGS = /^(latest|stable|alpine|bookworm|bullseye|trixie|slim|edge)$/;

/**
 * A pinned Postgres or Redis image: a digest, or a tag naming at least major.minor (e.g. `postgres:16.4`,
 * `postgres:16.4-bookworm`, `redis:7.2.5-alpine`), at or above the version Medplum needs. A bare major (`16`) floats
 * over minor releases and is refused too: a recovery must be reproducible.
 */
export function pinnedServiceImage(what: string, minimumMajor: number, example: string) {
  return z.string().superRefine((image, ctx) => {
    const reference = parseImageReference(image);
    if (reference?.digest !== undefined) return;
    const tag = reference?.tag;
    const advice = `pin a ${what} ${minimumMajor}+ version such as ${example}, or an @sha256 digest`;
    if (!reference)
      return ctx.addIssue({ code: "custom", message: `is not a container image reference ([registry/]repository[:tag][@sha256:digest]); ${advice}` });
    if (tag === undefined) return ctx.addIssue({ code: "custom", message: `has no tag, which means "latest"; ${advice}` });
    if (FLOATING_SERVICE_TAGS.test(tag.toLowerCase())) return ctx.addIssue({ code: "custom", message: `is a floating tag; ${advice}` });
    const version = /^v?(\d+)\.(\d+)(\.\d+)?([-_.][A-Za-z0-9._-]+)?$/.exec(tag);
    if (!version) return ctx.addIssue({ code: "custom", message: `does not name a major.minor version; ${advice}` });
    if (Number(version[1]) < minimumMajor)
      ctx.addIssue({ code: "custom", message: `is ${what} ${version[1]}; Medplum needs ${what} ${minimumMajor} or later; ${advice}` });
  });
}

/** Any helper image (e.g. the dump downloader): a digest, or a tag with a version number in it, never a floating one. */
const pinnedToolImage = z.string().superRefine((image, ctx) => {
  const reference = parseImageReference(image);
  if (reference?.digest !== undefined) return;
  const tag = reference?.tag;
  if (reference === undefined) {
    ctx.addIssue({
      code: "custom",
      message:
        "is not a container image reference ([registry/]repository[:tag][@sha256:digest]); give a versioned tag such as amazon/aws-cli:2.17.0, or an @sha256 digest",
    });
  } else if (tag === undefined || FLOATING_SERVICE_TAGS.test(tag.toLowerCase()) || !/\d+\.\d+/.test(tag)) {
    ctx.addIssue({ code: "custom", message: "is not pinned; give a versioned tag such as amazon/aws-cli:2.17.0, or an @sha256 digest" });
  }
});

/**
 * Where an existing database or Redis answers: a host name (a single-label Service name such as `pg-rw` too), or an
 * IPv4/IPv6 address (https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/).
 */
const serviceHost = (what: string) =>
  checkedString((host) =>
    (HOST_NAME.test(host) && !/^[\d.]+$/.test(host)) || isIpv4Address(host) || isIpv6Address(host)
      ? undefined
      : `is not a host name or IP address; give where ${what} answers, such as medplum-pg-rw.databases.svc.cluster.local or 10.0.12.7 (no scheme, no port)`,
  );

/** A peer allowed through a NetworkPolicy: an address range, or pods by namespace name and labels. */
const networkPeer = z.union([
  z.strictObject({ cidr }),
  z.strictObject({
    /** Namespace name; @default - the recovery namespace */
    namespace: kubernetesName.optional(),
    /** @default - every pod of the namespace */
    podLabels: labels.optional(),
  }),
]);

/**
 * Where the dump comes from: `s3://bucket/key` (https://docs.aws.amazon.com/cli/latest/reference/s3/#path-argument-type),
 * `gs://bucket/object` (https://cloud.google.com/storage/docs/gsutil/addlhelp/WildcardNames), or an Azure Blob URL
 * `https://<account>.blob.core.windows.net/<container>/<blob>`
 * (https://learn.microsoft.com/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata#resource-uri-syntax).
 * Never with a credential: a SAS token belongs in credentialsSecret (key sasToken), not in the URL, which is written
 * in clear into the Job spec and the Terraform state.
 */
const DUMP_FORMS = "give s3://<bucket>/<key>, gs://<bucket>/<object> or https://<account>.blob.core.windows.net/<container>/<blob>";
const dumpUrl = checkedString((value) => {
  const match = /^(s3|gs):\/\/([^/]*)\/(.+)$/.exec(value);
  if (match) {
    const [, scheme, bucket = "", key = ""] = match;
    const problem = scheme === "s3" ? s3BucketNameProblem(bucket) : gcsBucketNameProblem(bucket);
    if (problem !== undefined) return `has bucket "${bucket}", which ${problem}; ${DUMP_FORMS}`;
    let parsed: URL | undefined;
    try {
      parsed = new URL(value);
    } catch {
      parsed = undefined;
    }
    const credential = parsed === undefined ? undefined : urlCredential(parsed);
    if (credential !== undefined || /[?#]/.test(key)) {
      return `${credential ?? "has a query or fragment"}; an ${scheme}:// location names an object only, and the credentials come from credentialsSecret`;
    }
    return undefined;
  }
  if (!value.startsWith("https://")) return `is not a dump location; ${DUMP_FORMS}`;
  return urlProblem(value, {
    schemes: ["https:"],
    example: "https://medplumbackups.blob.core.windows.net/dumps/medplum.dump",
    instead: "put the SAS token (without the '?') in the credentialsSecret under the key sasToken and give the URL without it",
    check: (parsed) =>
      /^[a-z0-9]{3,24}\.blob\.core\.windows\.net$/.test(parsed.hostname) &&
      /^\/(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]\/.+/.test(parsed.pathname) &&
      parsed.search === ""
        ? undefined
        : `is not a dump location; ${DUMP_FORMS}`,
  });
});

/** A bucket prefix or volume folder as dump-store.sh accepts it: letters, digits, '.', '_', '/' and '-', no "..". */
const dumpFolder = z
  .string()
  .regex(/^(?!.*\.\.)[A-Za-z0-9._/-]+$/, "is not a folder name dump-store.sh accepts (letters, digits, '.', '_', '/' and '-', no '..')");
const s3Region = z.string().regex(/^([a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}|[a-z0-9][a-z0-9-]{0,62})$/, "is not a region name such as us-west-2");
const s3Endpoint = url({
  schemes: ["https:", "http:"],
  example: "https://minio.example.com:9000",
  instead: "put the access keys in credentialsSecret (keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) and give the endpoint without them",
  check: (parsed) =>
    parsed.search !== "" || parsed.hash !== "" || (parsed.pathname !== "/" && parsed.pathname !== "")
      ? "has a path, query or fragment; give the endpoint's base URL such as https://minio.example.com:9000"
      : undefined,
});

/**
 * Where the restore finds the newest dump standby-k8s wrote (or anything that writes the same manifest): the folder
 * holding `latest.json`, in the same kinds and field names as `standby.destination`, as the RECOVERY cluster reaches
 * it (a replica bucket in the recovery region, a volume claim in the recovery namespace). The restore Job has no cloud
 * identity of its own, so object stores take their credentials from a Secret in the recovery namespace.
 */
const dumpManifest = z.discriminatedUnion("kind", [
  /** A PersistentVolumeClaim in the recovery namespace that holds the dump folder (NFS, a replicated storage array). */
  z.strictObject({ kind: z.literal("volume"), claimName: kubernetesName, path: dumpFolder.optional() }),
  z.strictObject({
    kind: z.literal("s3"),
    bucket: checkedString(s3BucketNameProblem),
    prefix: dumpFolder.optional(),
    region: s3Region,
    /** An S3-compatible store (MinIO, Ceph): its endpoint. @default - AWS S3 */
    endpoint: s3Endpoint.optional(),
    /** Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (read access to the bucket is enough). */
    credentialsSecret: secretName,
  }),
  z.strictObject({
    kind: z.literal("gcs"),
    bucket: checkedString(gcsBucketNameProblem),
    prefix: dumpFolder.optional(),
    /** Secret with key `key.json`, a service account key that may read the bucket. */
    credentialsSecret: secretName,
  }),
  z.strictObject({
    kind: z.literal("azure-blob"),
    account: z.string().regex(/^[a-z0-9]{3,24}$/, "is not a storage account name (3-24 lower-case letters and digits)"),
    container: z
      .string()
      .regex(/^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, "is not a blob container name (3-63 lower-case letters, digits and single hyphens)"),
    prefix: dumpFolder.optional(),
    /** Secret with key `sasToken`: a SAS allowing read and list on the container, without the `?`. */
    sasTokenSecret: secretName,
  }),
]);

export type DumpManifestLocation = z.infer<typeof dumpManifest>;

const database = z.discriminatedUnion("mode", [
  z.strictObject({
    /** A PostgreSQL StatefulSet in the namespace, loaded from a logical dump (pg_dump custom format) by a Job. */
    mode: z.literal("restore-from-dump"),
    /** @default postgres:16.4 */
    image: pinnedServiceImage("PostgreSQL", 14, "postgres:16.4").default("postgres:16.4"),
    /** Storage class of the data volume; @default - the cluster's default storage class */
    storageClass: objectName("StorageClass").optional(),
    /** Size of the data volume; leave room for indexes and growth (about 3 x the dump). @default 100 */
    storageGiB: z.number().int().min(1).max(65536).default(100),
    /** @default 2000 */
    cpuMillicores: z.number().int().min(250).max(64000).default(2000),
    /** @default 4096 */
    memoryMiB: z.number().int().min(512).max(524288).default(4096),
    /** User id the image runs Postgres as: 999 in the Debian images, 70 in the Alpine ones. @default 999 */
    runAsUser: z.number().int().min(1).max(2147483647).default(999),
    /** The dump to restore: one dump by `url`, or the newest one a standby wrote, by `manifest`. */
    dump: z.strictObject({
      /** One dump, by its location. @default - none: give url or manifest */
      url: dumpUrl.optional(),
      /**
       * The folder of standby-k8s's dumps: the restore Job reads its manifest (latest.json) when it runs, fetches the
       * dump it names and checks the SHA-256 the manifest recorded before the database is touched. Instead of url;
       * url's sha256, takenAt, s3Endpoint, s3Region and credentialsSecret do not apply (the location carries its own).
       * @default - none: give url or manifest
       */
      manifest: dumpManifest.optional(),
      /** S3-compatible stores (MinIO, Ceph, R2...): the endpoint URL. @default - AWS S3 */
      s3Endpoint: url({
        schemes: ["https:", "http:"],
        example: "https://minio.example.com:9000",
        instead: "put the access keys in credentialsSecret (keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) and give the endpoint without them",
        check: (parsed) =>
          parsed.search !== "" || parsed.hash !== ""
            ? "has a query or fragment; give the endpoint's base URL such as https://minio.example.com:9000"
            : undefined,
      }).optional(),
      /**
       * Region of the S3 bucket: an AWS region code, or what an S3-compatible store calls its region (MinIO
       * us-east-1, Cloudflare R2 auto...). @default us-east-1
       */
      s3Region: z
        .string()
        .regex(/^([a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}|[a-z0-9][a-z0-9-]{0,62})$/, "is not a region name such as us-west-2")
        .default("us-east-1"),
      /**
       * Existing Secret with the object store credentials. s3: keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY;
       * gs: key `key.json` (a service account key); Azure Blob: key `sasToken` (a read-only SAS, without the `?`).
       */
      credentialsSecret: secretName.optional(),
      /** SHA-256 of the dump, checked before the database is touched. @default - not checked */
      sha256: z
        .string()
        .regex(/^[a-f0-9]{64}$/, "is not a lower-case hex SHA-256")
        .optional(),
      /**
       * Image of the download init container; with manifest it runs fetch-newest-dump.sh, so it needs bash, coreutils,
       * sed and the store's CLI (aws, gcloud) or curl.
       * @default - a pinned aws-cli, cloud-sdk or curl image for the URL's store (with manifest: see DEFAULT_FETCH_IMAGES)
       */
      downloaderImage: pinnedToolImage.optional(),
      /** How long the restore Job may run before Terraform gives up (download + restore + indexes). @default 240 */
      timeoutMinutes: z.number().int().min(10).max(1440).default(240),
      /**
       * Scratch space the dump is downloaded into, in GiB: at least the dump's size. A dump larger than this evicts the
       * restore pod with a message naming the limit, instead of filling the node's disk.
       * @default - a third of storageGiB, rounded up (the data volume is sized at about 3 x the dump); see dumpScratchGiB
       */
      scratchGiB: z.number().int().min(1).max(65536).optional(),
      /**
       * Storage class of a volume claim for the scratch space (a generic ephemeral volume, deleted with the restore pod).
       * Use it when no node has scratchGiB of free ephemeral storage.
       * @default - no claim: an emptyDir on the node's ephemeral storage, reserved through ephemeral-storage requests
       */
      scratchStorageClass: kubernetesName.optional(),
      /** How often the primary takes a dump: the most data a recovery loses; lets the plan report state the RPO. @default - unknown */
      intervalMinutes: z.number().int().min(1).max(10080).optional(),
      /** When this dump was taken; the plan report then gives its age as the RPO. @default - unknown */
      takenAt: pastTimestamp.optional(),
    }),
    /** Existing Secret holding the PostgreSQL superuser password (used by Postgres and by the restore Job). */
    superuser: z.strictObject({ secretName, passwordKey: secretKey.default("password") }),
    /** Existing Secret holding the role Medplum connects as; the restore Job creates it and makes it own the data. */
    credentials: z.strictObject({ secretName, usernameKey: secretKey.default("username"), passwordKey: secretKey.default("password") }),
    /** Keep the StatefulSet (and its volume) from `terraform destroy`. Off only for drills. @default true */
    deletionProtection: z.boolean().default(true),
  }),
  z.strictObject({
    /** A PostgreSQL that already holds the recovered data (CloudNativePG recovery, a managed service...). */
    mode: z.literal("existing"),
    host: serviceHost("the database"),
    /** @default 5432 */
    port: z.number().int().min(1).max(65535).default(5432),
    /** @default medplum */
    databaseName: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, "is not a plain lower-case database name")
      .default("medplum"),
    /** Existing Secret with Medplum's database credentials (CloudNativePG's `<cluster>-app` Secret fits as is). */
    credentials: z.strictObject({ secretName, usernameKey: secretKey.default("username"), passwordKey: secretKey.default("password") }),
    /**
     * Connect with TLS and verify the server certificate and host name (Medplum's `database.ssl`). Against Node's
     * bundled public roots, or against `caBundleFile` when the server's certificate comes from a private CA (a
     * CloudNativePG cluster's own CA, say). false only for a database without TLS inside a fenced network.
     * @default true
     */
    tls: z.boolean().default(true),
    /**
     * PEM file of the CA certificates that sign the database's server certificate, read at synth (path relative to
     * the directory synth runs in); only with tls: true. @default - Node's bundled public roots
     */
    caBundleFile: z
      .string()
      .regex(/^[^\0]+\.(pem|crt)$/, "is not the path of a .pem (or .crt) file such as config/postgres-ca.pem")
      .optional(),
    /** Where the database is, for the servers' NetworkPolicy: its pods, or its address range. */
    allowedPeers: z.array(networkPeer).min(1, "needs at least one peer, or the servers cannot reach the database"),
  }),
]);

const redis = z.discriminatedUnion("mode", [
  z.strictObject({
    /** A single Redis 7 pod without persistence: Redis holds only cache and queues, an empty one is fine. */
    mode: z.literal("statefulset"),
    /** @default redis:7.2.5 */
    image: pinnedServiceImage("Redis", 7, "redis:7.2.5").default("redis:7.2.5"),
    /** Existing Secret with the Redis password. */
    password: z.strictObject({ secretName, key: secretKey.default("password") }),
    /** @default 500 */
    cpuMillicores: z.number().int().min(100).max(16000).default(500),
    /** @default 1024 */
    memoryMiB: z.number().int().min(128).max(131072).default(1024),
  }),
  z.strictObject({
    mode: z.literal("existing"),
    host: serviceHost("Redis"),
    /** @default 6379 */
    port: z.number().int().min(1).max(65535).default(6379),
    /** @default true */
    tls: z.boolean().default(true),
    password: z.strictObject({ secretName, key: secretKey.default("password") }),
    allowedPeers: z.array(networkPeer).min(1, "needs at least one peer, or the servers cannot reach Redis"),
  }),
]);

const ingressTls = z.discriminatedUnion("mode", [
  z.strictObject({
    mode: z.literal("cert-manager"),
    issuer: kubernetesName,
    /** @default ClusterIssuer */
    issuerKind: z.enum(["ClusterIssuer", "Issuer"]).default("ClusterIssuer"),
  }),
  z.strictObject({ mode: z.literal("existing-secret"), secretName }),
]);

const traffic = z.discriminatedUnion("mode", [
  /** external-dns in the cluster points the api record at the Ingress. */
  z.strictObject({
    mode: z.literal("external-dns"),
    /** At most 60: resolvers keep a record for its TTL, so a longer one keeps users on the lost environment. @default 60 */
    ttlSeconds: cutoverTtlSeconds,
    /**
     * The `--txt-owner-id` the recovery cluster's external-dns runs with. external-dns changes a record only when its
     * registry TXT names this id: a record owned by another id (the primary cluster's external-dns) or made by hand is
     * left alone. It is a controller flag, so the stack cannot set it; it goes into the plan report's warning and an
     * Ingress annotation, and the runbook checks against it (docs/targets/kubernetes.md).
     * @default default (external-dns's own default)
     */
    txtOwnerId: z
      .string()
      .regex(/^[^\s,="]{1,253}$/, "is not an external-dns owner id (no spaces, commas, '=' or quotes)")
      .default(EXTERNAL_DNS_DEFAULT_OWNER_ID),
  }),
  /** The stack outputs the Ingress address; the runbook's operator changes the record. */
  z.strictObject({ mode: z.literal("output-address") }),
]);

/**
 * Upper-case C identifiers: what Medplum's env loader reads and every shell can export (Kubernetes itself accepts more:
 * https://kubernetes.io/docs/tasks/inject-data-application/define-environment-variable-container/).
 */
const medplumEnvironmentName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "is not an environment variable name");
/** A plain environment value lands in a ConfigMap in clear: a URL in it must not carry a credential. */
const environmentValue = checkedString((value) => {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return undefined;
  }
  const credential = urlCredential(parsed);
  return credential === undefined
    ? undefined
    : `${credential}, which would sit in clear in a ConfigMap and the Terraform state; put the credential in storage.credentials (a Secret)`;
});

/** Dump intervals a cron expression repeats evenly through the day (every N minutes, or every N hours on the hour). */
export const STANDBY_DUMP_INTERVALS = [15, 20, 30, 60, 120, 180, 240, 360, 480, 720, 1440] as const;

/** Where standby-k8s keeps the dumps (modules/kubernetes/standby/backup-cronjobs.ts, BackupDestination). */
const standbyDestination = z.discriminatedUnion("kind", [
  /** A PersistentVolumeClaim on the primary cluster (NFS, a storage array) that the recovery location can also read. */
  z.strictObject({ kind: z.literal("volume"), claimName: kubernetesName, path: nonEmpty.optional() }),
  z.strictObject({
    kind: z.literal("s3"),
    bucket: nonEmpty,
    prefix: nonEmpty.optional(),
    region: nonEmpty,
    /** An S3-compatible store (MinIO, Ceph): its https endpoint. @default - AWS S3 */
    endpoint: nonEmpty.optional(),
    /** Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. @default - the pod's own identity (IRSA) */
    credentialsSecret: secretName.optional(),
  }),
  z.strictObject({ kind: z.literal("gcs"), bucket: nonEmpty, prefix: nonEmpty.optional(), credentialsSecret: secretName.optional() }),
  z.strictObject({ kind: z.literal("azure-blob"), account: nonEmpty, container: nonEmpty, prefix: nonEmpty.optional(), sasTokenSecret: secretName }),
]);

/**
 * `targets.kubernetes.standby`: what `standby-k8s` runs on the PRIMARY cluster in peacetime (docs/standby.md): a
 * CronJob that dumps Medplum's database to storage the recovery location can read, and one that restores the newest
 * dump into a throwaway database and compares every table's row count, so a backup is known to restore.
 */
const standby = z.strictObject({
  /** Only backup-restore is built: dumps, verified. */
  tier: z.literal("backup-restore"),
  /** standby-k8s's own state, never the recovery's. @default - local, state/standby-k8s.tfstate */
  backend: stateBackend.default({ type: "local" }),
  /** The primary cluster, where the database runs: not the recovery cluster of targets.kubernetes.kubeconfig. */
  kubeconfig: z.strictObject({ path: nonEmpty.default("~/.kube/config"), context: nonEmpty }),
  /** The namespace of the primary's Medplum database; the CronJobs run there. */
  namespace: kubernetesName,
  database: z.strictObject({
    host: nonEmpty,
    /** @default 5432 */
    port: z.number().int().min(1).max(65535).default(5432),
    /** @default medplum */
    name: nonEmpty.default("medplum"),
    /** A role that can read every table (Medplum's own, or a read-only one). */
    user: nonEmpty,
    passwordSecret: z.strictObject({ secretName, key: secretKey.default("password") }),
  }),
  /** Minutes between two dumps: the RPO this tier gives, plus the dump's own time. @default 60 */
  dumpEveryMinutes: z
    .number()
    .refine((minutes) => (STANDBY_DUMP_INTERVALS as readonly number[]).includes(minutes), {
      message: `is not an interval a cron schedule repeats evenly; use one of ${STANDBY_DUMP_INTERVALS.join(", ")} minutes`,
    })
    .default(60),
  /** When to verify the newest dump (cron). @default daily at 03:30 */
  verifySchedule: nonEmpty.default("30 3 * * *"),
  /** Which dumps to keep: either rule keeps one, the newest always. @default 48 dumps or 7 days */
  retention: z
    .strictObject({ count: z.number().int().min(1).max(10000).optional(), days: z.number().int().min(1).max(3650).optional() })
    .default({ count: 48, days: 7 }),
  destination: standbyDestination,
  /** bash, the PostgreSQL client and server of the database's major or later, and curl or the store's CLI. @default postgres:16.4 */
  image: pinnedServiceImage("PostgreSQL", 14, "postgres:16.4").default("postgres:16.4"),
  /** Scratch space of the verify pod: the downloaded dump plus the database restored from it. @default 20 */
  verifyScratchGiB: z.number().int().min(1).max(4096).default(20),
  /** A Secret key holding a URL the verify posts its result to. @default - the Job status only */
  webhookSecret: z.strictObject({ secretName, key: secretKey.default("url") }).optional(),
});

export type KubernetesStandbyConfig = z.infer<typeof standby>;

export const kubernetesTarget = z.strictObject({
  kubeconfig: z
    .strictObject({
      /** @default ~/.kube/config */
      path: nonEmpty.default("~/.kube/config"),
      /** @default - the kubeconfig's current context */
      context: nonEmpty.optional(),
    })
    .default({ path: "~/.kube/config" }),
  backend: stateBackend,
  /** Namespace of every object. @default medplum */
  namespace: kubernetesName.default("medplum"),
  /**
   * Create the namespace (with the `restricted` Pod Security profile). Turn off when the namespace and its Secrets are
   * created before the recovery, which the Secrets need anyway unless something in the cluster syncs them.
   * @default true
   */
  createNamespace: z.boolean().default(true),
  ingress: z.strictObject({
    /** e.g. nginx, traefik, haproxy. */
    className: objectName("IngressClass"),
    tls: ingressTls,
    /** Who may reach the servers: the ingress controller's pods (namespace + labels) or address ranges. */
    allowedFrom: z.array(networkPeer).min(1, "needs at least one peer (the ingress controller), or nothing can reach the servers"),
    /** Further annotations for the controller (e.g. body size limits). @default - none */
    annotations: annotations.optional(),
  }),
  database,
  redis,
  storage: z.strictObject({
    /** Medplum's binaryStorage value: `s3:<bucket>`, `gs:<bucket>`, `azure:<account>:<container>` or `file:<path>`. */
    binaryStorage: checkedString((value) => {
      const forms = "give a Medplum binaryStorage value such as s3:<bucket>, gs:<bucket>, azure:<account>:<container> or file:<path>";
      const [scheme = "", ...rest] = value.split(":");
      const name = rest.join(":");
      const problem =
        scheme === "s3"
          ? s3BucketNameProblem(name)
          : scheme === "gs"
            ? gcsBucketNameProblem(name)
            : scheme === "azure"
              ? /^[a-z0-9]{3,24}:(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(name)
                ? undefined
                : "is not <storage account (3-24 lower-case letters and digits)>:<container (3-63 lower-case letters, digits and hyphens)>"
              : scheme === "file"
                ? name.startsWith("/")
                  ? undefined
                  : "is not an absolute path"
                : "names no storage Medplum knows";
      return problem === undefined ? undefined : `has ${scheme === "" ? "no scheme" : `"${name}" after ${scheme}:`}, which ${problem}; ${forms}`;
    }),
    /**
     * Existing Secret with the object store credentials, as environment variable name to data key
     * (e.g. AWS_ACCESS_KEY_ID: accessKeyId). @default - none: the node's or workload identity's credentials
     */
    credentials: z.strictObject({ secretName, keys: z.record(medplumEnvironmentName, secretKey) }).optional(),
    /**
     * The bucket's region, for `s3:` storage: Medplum's S3 client takes its region from this setting
     * (MEDPLUM_AWS_REGION), not from AWS_REGION, and defaults to us-east-1. Required with `s3:`.
     * @default - none
     */
    awsRegion: z
      .string()
      .regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, "is not an AWS region name such as us-west-2")
      .optional(),
    /** Non-sensitive settings for the storage client, e.g. AWS_ENDPOINT_URL_S3. @default - none */
    environment: z.record(medplumEnvironmentName, environmentValue).optional(),
  }),
  secrets: z
    .strictObject({
      /**
       * Existing Secret with Medplum's signing key: keys signingKey, signingKeyId, signingKeyPassphrase. Medplum uses it
       * only to sign CloudFront URLs for `s3:` binaries served through CloudFront with the primary's key; without it,
       * `s3:` storage hands out S3 presigned URLs, and `gs:` / `azure:` storage never uses it. Tokens are signed with
       * the key restored in the database either way.
       * @default - none
       */
      applicationSecret: secretName.optional(),
      /** Existing Secret and key holding the SMTP password; required when medplum.smtp is set. @default - none */
      smtpPassword: z.strictObject({ secretName, key: secretKey.default("password") }).optional(),
    })
    .default({}),
  traffic,
  /** Annotations on the server's service account, e.g. `eks.amazonaws.com/role-arn` for IRSA. @default - none */
  serviceAccountAnnotations: annotations.optional(),
  /** Peacetime dumps by the standby-k8s stack, on the primary cluster (docs/standby.md). @default - none: no standby-k8s */
  standby: standby.optional(),
});

export type KubernetesTargetConfig = z.infer<typeof kubernetesTarget>;

/** The dump's scratch space in GiB: `dump.scratchGiB`, else a third of the data volume (sized at about 3 x the dump). */
export function dumpScratchGiB(database: { readonly storageGiB: number; readonly dump: { readonly scratchGiB?: number | undefined } }): number {
  return database.dump.scratchGiB ?? Math.ceil(database.storageGiB / 3);
}

const K8S = ["targets", "kubernetes"] as const;

/** Fields of `dump` that describe one dump given by url; the manifest records or carries them itself. */
const URL_ONLY_DUMP_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ["sha256", "the manifest records the dump's SHA-256 and the restore checks it"],
  ["takenAt", "the manifest records when the dump was taken"],
  ["s3Endpoint", "give the endpoint as manifest.endpoint"],
  ["s3Region", "give the region as manifest.region"],
  ["credentialsSecret", "give the Secret in the manifest location (credentialsSecret, or sasTokenSecret for azure-blob)"],
];

export const kubernetesCrossFieldRules: readonly CrossFieldRule[] = [
  {
    description: "A restore from a dump names one source: one dump by url, or the newest one by manifest.",
    check: (doc) => {
      const base = [...K8S, "database"];
      if (doc.string([...base, "mode"]) !== "restore-from-dump" || doc.value([...base, "dump"]) === null || typeof doc.value([...base, "dump"]) !== "object")
        return [];
      const hasUrl = doc.has([...base, "dump", "url"]);
      const hasManifest = doc.has([...base, "dump", "manifest"]);
      if (hasUrl && hasManifest)
        return [
          {
            path: [...base, "dump", "manifest"],
            message: "is set beside dump.url; give one: url (that dump) or manifest (the newest dump in standby-k8s's folder)",
          },
        ];
      if (!hasUrl && !hasManifest) {
        return [
          {
            path: [...base, "dump", "url"],
            message:
              "is missing; give url (one dump: s3://, gs:// or an Azure Blob URL) or manifest (the folder of standby-k8s's dumps, whose newest dump is restored)",
          },
        ];
      }
      if (hasUrl && !doc.has([...base, "dump", "credentialsSecret"])) {
        return [
          {
            path: [...base, "dump", "credentialsSecret"],
            message:
              "is missing; name the Secret with read access to the dump (s3: keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; gs: key.json; Azure Blob: sasToken)",
          },
        ];
      }
      if (!hasManifest) return [];
      return URL_ONLY_DUMP_FIELDS.filter(([field]) => doc.has([...base, "dump", field])).map(([field, instead]) => ({
        path: [...base, "dump", field],
        message: `applies to dump.url only, but the dump comes from dump.manifest; ${instead}`,
      }));
    },
  },
  {
    description: "With the standby's manifest, the dump interval the plan report uses as the RPO is not shorter than the standby's.",
    check: (doc) => {
      const dump = [...K8S, "database", "dump"];
      const interval = doc.number([...dump, "intervalMinutes"]);
      const standbyEvery = doc.number([...K8S, "standby", "dumpEveryMinutes"], doc.has([...K8S, "standby"]) ? 60 : undefined);
      if (!doc.has([...dump, "manifest"]) || interval === undefined || standbyEvery === undefined || interval >= standbyEvery) return [];
      return [
        {
          path: [...dump, "intervalMinutes"],
          message: `is shorter than the ${standbyEvery} minutes between standby-k8s's dumps (standby.dumpEveryMinutes); the plan report would understate the data a recovery loses: give ${standbyEvery} or more`,
        },
      ];
    },
  },
  {
    description: "An S3 endpoint only makes sense for an s3:// dump.",
    check: (doc) => {
      const url = doc.string([...K8S, "database", "dump", "url"]);
      return url !== undefined && doc.has([...K8S, "database", "dump", "s3Endpoint"]) && !url.startsWith("s3://")
        ? [{ path: [...K8S, "database", "dump", "s3Endpoint"], message: `is set, but the dump URL ${url} is not s3://; remove it or use an s3:// URL` }]
        : [];
    },
  },
  {
    description: "The superuser and Medplum's role are different Secrets' keys, so Medplum never runs as superuser.",
    check: (doc) => {
      const base = [...K8S, "database"];
      if (doc.string([...base, "mode"]) !== "restore-from-dump") return [];
      const superSecret = doc.string([...base, "superuser", "secretName"]);
      const superKey = doc.string([...base, "superuser", "passwordKey"]) ?? "password";
      const appSecret = doc.string([...base, "credentials", "secretName"]);
      const appKey = doc.string([...base, "credentials", "passwordKey"]) ?? "password";
      return superSecret !== undefined && superSecret === appSecret && superKey === appKey
        ? [
            {
              path: [...base, "credentials", "secretName"],
              message: `names the same Secret key as the superuser (${superSecret}/${superKey}); give Medplum its own password`,
            },
          ]
        : [];
    },
  },
  {
    description: "Medplum's storage credentials are not given as plain environment.",
    check: (doc) => {
      const environment = doc.value([...K8S, "storage", "environment"]);
      if (environment === null || typeof environment !== "object") return [];
      return Object.keys(environment).flatMap((name): CrossFieldProblem[] =>
        /(SECRET|PASSWORD|TOKEN|KEY_ID|ACCESS_KEY|CREDENTIAL|CONNECTION_STRING)/.test(name)
          ? [
              {
                path: [...K8S, "storage", "environment", name],
                message: "looks like a credential and would sit in a ConfigMap in clear; put it in storage.credentials (a Secret) instead",
              },
            ]
          : [],
      );
    },
  },
  {
    description: "S3 binary storage names its region, which Medplum's S3 client needs.",
    check: (doc) =>
      doc.string([...K8S, "storage", "binaryStorage"])?.startsWith("s3:") && !doc.has([...K8S, "storage", "awsRegion"])
        ? [
            {
              path: [...K8S, "storage", "awsRegion"],
              message: `is not set, but binaryStorage is ${doc.string([...K8S, "storage", "binaryStorage"])}; Medplum's S3 client takes its region from this (MEDPLUM_AWS_REGION), not from AWS_REGION, and would address the bucket in us-east-1`,
            },
          ]
        : [],
  },
  medplumSettingNamesRule("Plain settings given to the servers name settings the Medplum server reads.", [...K8S, "storage", "environment"]),
  {
    description: "A CA bundle for the database only comes with TLS.",
    check: (doc) =>
      doc.has([...K8S, "database", "caBundleFile"]) && doc.value([...K8S, "database", "tls"]) === false
        ? [{ path: [...K8S, "database", "caBundleFile"], message: "is set, but database.tls is false; turn TLS on or remove it" }]
        : [],
  },
  smtpPasswordRule([...K8S], [...K8S, "secrets", "smtpPassword"], "a Kubernetes Secret", "Secret and key"),
  {
    description: "Medplum's binary storage is in a store the cluster can reach; `file:` would lose binaries with the pod.",
    check: (doc) =>
      doc.string([...K8S, "storage", "binaryStorage"])?.startsWith("file:")
        ? [
            {
              path: [...K8S, "storage", "binaryStorage"],
              message: "keeps binaries on the pod's filesystem, which is read-only and not replicated; use s3:, gs: or azure: object storage",
            },
          ]
        : [],
  },
];
