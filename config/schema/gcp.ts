/**
 * `targets.gcp`: recovery into a Google Cloud region. Everything the plan needs is named here rather than looked up,
 * so the stack plans with no Google reads beyond the Secret Manager versions Medplum needs, the DNS zone and the
 * pre-shared certificates (read to check they are in the recovery project).
 */
import { z } from "zod";
import { medplumSettingNamesRule, smtpPasswordRule, type CrossFieldProblem, type CrossFieldRule } from "./cross-field";
import {
  checkedString,
  GCP_PROJECT_ID,
  gcpProjectIdProblem,
  gcsBucketName,
  HOST_NAME,
  ipv4Address,
  ipv4Cidr as cidrBlock,
  redisHost as ownRedisHost,
} from "./identifiers";
import { cutoverTtlSeconds, emailAddress, pastTimestamp, stateBackend } from "./common";
import { gcpStandingNames } from "../../modules/gcp/standing-names";
import { keepsStandingInfrastructure, STANDBY_TIERS } from "../../modules/standby-contracts";

/** Region names (https://cloud.google.com/compute/docs/regions-zones): a continent or area, a direction and a number. */
const gcpRegion = z.string().regex(/^[a-z]+-[a-z]+\d{1,2}$/, "is not a Google Cloud region name such as us-west1");
const projectId = checkedString(gcpProjectIdProblem, GCP_PROJECT_ID);
/**
 * Secret Manager secret ids, in the recovery project; the secrets use automatic replication so they outlive a region.
 * 1-255 letters, digits, hyphens and underscores (https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets/create).
 */
const secretId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,255}$/, "is not a Secret Manager secret id (1-255 letters, digits, '-' and '_') such as medplum-signing-key");
/**
 * Cloud SQL instance ids (https://cloud.google.com/sql/docs/postgres/create-instance#create-2nd-gen): lower-case
 * letters, digits and hyphens, starting with a letter, not ending with a hyphen; with the project id at most 98
 * characters (`project:instance`), so 1-98 here.
 */
const sqlInstanceName = z
  .string()
  .regex(
    /^[a-z]([a-z0-9-]{0,96}[a-z0-9])?$/,
    "is not a Cloud SQL instance name (lower-case letters, digits and hyphens, starting with a letter, not ending with a hyphen)",
  );
/** Compute Engine names (https://cloud.google.com/compute/docs/naming-resources#resource-name-format): RFC 1035, 1-63 characters. */
const resourceId = z
  .string()
  .regex(
    /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/,
    "is not a Google Cloud resource name (RFC 1035: 1-63 lower-case letters, digits and hyphens, starting with a letter, not ending with a hyphen)",
  );
/**
 * VPC subnet ranges (https://cloud.google.com/vpc/docs/subnets#valid-ranges). The network address is asked for: the
 * google provider only parses these (verify.ValidateIpCidrRange), and a value with host bits set does not say which
 * range is meant.
 */
const ipv4Cidr = (minPrefix: number, maxPrefix: number, example: string) =>
  cidrBlock({ minPrefix, maxPrefix, example, hostBits: "a range is named by its first address; the value would not say which range is meant" });
/** Medplum needs PostgreSQL 14 or later. */
const POSTGRES_VERSIONS = ["POSTGRES_14", "POSTGRES_15", "POSTGRES_16", "POSTGRES_17"] as const;
const postgresVersion = z.enum(POSTGRES_VERSIONS);

const network = z.discriminatedUnion("mode", [
  z.strictObject({
    mode: z.literal("new"),
    /** Primary range of the subnet (GKE nodes). */
    subnetCidr: ipv4Cidr(16, 24, "10.50.0.0/20"),
    /** Secondary range for GKE pods; Autopilot wants room, /17 or larger for real loads. */
    podsCidr: ipv4Cidr(14, 21, "10.52.0.0/17"),
    /** Secondary range for GKE services. */
    servicesCidr: ipv4Cidr(16, 27, "10.54.0.0/20"),
    /** Size of the range reserved for private services access (Cloud SQL, Memorystore). @default 16 */
    privateServicesPrefixLength: z.number().int().min(16).max(24).default(16),
  }),
  z.strictObject({
    mode: z.literal("existing"),
    /** An existing VPC network (name) with a subnet in the recovery region. */
    networkName: resourceId,
    subnetworkName: resourceId,
    /** Names of the subnet's secondary ranges for GKE pods and services. */
    podsRangeName: resourceId,
    servicesRangeName: resourceId,
    /**
     * The network's existing private services access range (a global address with purpose VPC_PEERING, already
     * connected to servicenetworking.googleapis.com). Required for a clone or a replica promotion, whose source VPC
     * has one already (a second peering cannot be created beside it). @default - a new range and connection are created
     */
    privateServicesRangeName: resourceId.optional(),
    /** Create a Cloud Router and Cloud NAT for egress (image pulls); off when the network already has one. @default true */
    createNat: z.boolean().default(true),
  }),
]);

const restore = z.discriminatedUnion("mode", [
  z.strictObject({
    /** Region loss: a new instance in the recovery region restored from a (standard, not enhanced/vaulted) backup. */
    mode: z.literal("backup"),
    /** The lost instance the backup was taken from. */
    sourceInstance: sqlInstanceName,
    /** @default - the recovery project */
    sourceProject: projectId.optional(),
    /** `gcloud sql backups list --instance <sourceInstance> --project <sourceProject>` gives the id. */
    backupRunId: z.number().int("must be a whole number (a backup run id)").positive("must be a backup run id"),
    /** When the backup was taken; lets the plan report state the RPO. @default - unknown: the report says so */
    backupTakenAt: pastTimestamp.optional(),
  }),
  z.strictObject({
    /** Same-region corruption recovery: a point-in-time clone of a source instance that is still up. */
    mode: z.literal("point-in-time-clone"),
    sourceInstance: sqlInstanceName,
    /** The past RFC 3339 time to recover to, before the corruption. */
    time: pastTimestamp,
  }),
  z.strictObject({
    /**
     * Warm standby: promote an existing cross-region read replica in the recovery region. The stack adopts it with
     * an import block, so the first plan shows an import and an in-place update (the promotion), never a create.
     */
    mode: z.literal("replica-promotion"),
    replicaInstance: sqlInstanceName,
    /** The primary the replica follows; recorded as the restore source. */
    primaryInstance: sqlInstanceName,
  }),
]);

const database = z.strictObject({
  /** The version the lost instance ran; a restore or clone must keep it. */
  sourceDatabaseVersion: postgresVersion,
  databaseVersion: postgresVersion,
  /** @default - `<environment>-postgres`; Cloud SQL names cannot be reused for a week after deletion */
  instanceName: sqlInstanceName.optional(),
  /** db-custom-<vCPUs>-<MiB>, db-perf-optimized-N-<vCPUs>... (https://cloud.google.com/sql/docs/postgres/instance-settings). */
  tier: z.string().regex(/^db(-[a-z0-9]+)+$/, "is not a Cloud SQL machine tier such as db-custom-4-16384"),
  /** @default ENTERPRISE */
  edition: z.enum(["ENTERPRISE", "ENTERPRISE_PLUS"]).default("ENTERPRISE"),
  /**
   * The disk size at creation, at least the source's (a restore or clone cannot shrink it). Afterwards autoresize
   * grows the disk and the stack ignores this value, so it never forces a new instance. @default 100
   */
  diskSizeGiB: z.number().int().min(10).max(65536).default(100),
  /** A standby in a second zone; ZONAL only for drills. @default REGIONAL */
  availabilityType: z.enum(["REGIONAL", "ZONAL"]).default("REGIONAL"),
  restore,
  /** Turn off only for drills that must be torn down with `cdktf destroy`. @default true */
  deletionProtection: z.boolean().default(true),
  /** Automated backups kept on the recovered instance. @default 7 */
  backupRetentionCount: z.number().int().min(1).max(365).default(7),
  /** Days of write-ahead log kept for point-in-time recovery: 1-7, up to 35 on ENTERPRISE_PLUS. @default 7 */
  transactionLogRetentionDays: z.number().int().min(1).max(35).default(7),
  /** Where the recovered instance's backups are stored. @default - the recovery region */
  // A region or multi-region (https://cloud.google.com/sql/docs/postgres/locations).
  backupLocation: z
    .string()
    .regex(/^[a-z]+(-[a-z]+\d{1,2})?$/, "is not a region or multi-region such as us-west1 or us")
    .optional(),
  /**
   * A Cloud KMS key in the recovery region (CMEK). Key ring and key ids are 1-63 letters, digits, `_` and `-`
   * (https://cloud.google.com/kms/docs/reference/rest/v1/projects.locations.keyRings/create,
   * https://cloud.google.com/kms/docs/reference/rest/v1/projects.locations.keyRings.cryptoKeys/create).
   * @default - Google-managed encryption
   */
  kmsKeyName: checkedString((name) => {
    const match = /^projects\/([^/]+)\/locations\/([^/]+)\/keyRings\/([^/]+)\/cryptoKeys\/([^/]+)$/.exec(name);
    const example =
      "give projects/<project>/locations/<region>/keyRings/<ring>/cryptoKeys/<key> such as projects/acme-medplum-dr/locations/us-west1/keyRings/medplum/cryptoKeys/cloudsql";
    if (!match) return `is not a Cloud KMS key name; ${example}`;
    const [, project = "", location = "", ring = "", key = ""] = match;
    if (gcpProjectIdProblem(project) !== undefined && !/^\d{1,20}$/.test(project))
      return `has project "${project}", which is not a project id or number; ${example}`;
    if (!/^[a-z]+(-[a-z]+\d{1,2})?$/.test(location)) return `has location "${location}", which is not a Cloud KMS location; ${example}`;
    if (!/^[a-zA-Z0-9_-]{1,63}$/.test(ring)) return `has key ring "${ring}", which is not a key ring id (1-63 letters, digits, '_' and '-'); ${example}`;
    if (!/^[a-zA-Z0-9_-]{1,63}$/.test(key)) return `has key "${key}", which is not a key id (1-63 letters, digits, '_' and '-'); ${example}`;
    return undefined;
  }).optional(),
  /**
   * The application's database user: a plain lower-case identifier of at most 63 bytes
   * (https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS). @default medplum
   */
  username: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, "is not a plain PostgreSQL role name (lower-case letters, digits and '_', starting with a letter or '_', at most 63)")
    .default("medplum"),
  /** Secret Manager secret holding that user's password (plain string). */
  passwordSecretId: secretId,
});

/** Where an existing Redis answers: a private IPv4 address or a host name, no scheme, no port. */
const redisHost = ownRedisHost("10.60.0.5 or redis.medplum.internal");

const cache = z.discriminatedUnion("mode", [
  z.strictObject({
    /** Memorystore for Redis created by the recovery. @default new */
    mode: z.literal("new").default("new"),
    /** STANDARD_HA keeps a replica in another zone with automatic failover. @default STANDARD_HA */
    tier: z.enum(["STANDARD_HA", "BASIC"]).default("STANDARD_HA"),
    /** @default 5 */
    memorySizeGiB: z.number().int().min(1).max(300).default(5),
    /** Medplum needs Redis 7 or later. @default REDIS_7_2 */
    redisVersion: z.enum(["REDIS_7_0", "REDIS_7_2"]).default("REDIS_7_2"),
  }),
  z.strictObject({
    /**
     * A Redis 7 the team runs itself (its own Memorystore, Redis Enterprise, a VM), reachable from the recovery VPC.
     * The recovery creates no cache; the servers connect to it with the AUTH string from Secret Manager.
     */
    mode: z.literal("existing"),
    host: redisHost,
    /** Memorystore with TLS answers on 6378. @default 6379 */
    port: z.number().int().min(1).max(65535).default(6379),
    /** TLS with the server certificate verified (Medplum's `redis.tls`); false only inside a fenced network. @default true */
    tls: z.boolean().default(true),
    /**
     * PEM file of the CA that signs the server's certificate, when it is a private one (Memorystore's per-instance CA:
     * `gcloud redis instances describe <name> --format='value(serverCaCerts[0].cert)'`), read at synth relative to
     * the directory synth runs in. @default - the server certificate chains to a public CA (Node's bundled roots)
     */
    caBundleFile: z
      .string()
      .regex(/^[^\0]+\.(pem|crt)$/, "is not the path of a .pem (or .crt) file such as config/redis-ca.pem")
      .optional(),
    /** Secret Manager secret (recovery project, plain string) holding the AUTH string. */
    authSecretId: secretId,
    /**
     * Address ranges the servers' NetworkPolicy lets them reach the Redis in; needed when host is a name.
     * @default - the host's address, <host>/32
     */
    allowedCidrs: z
      .array(cidrBlock({ example: "10.60.0.0/29", hostBits: "a range is named by its first address; the value would not say which range is meant" }))
      .min(1, "needs at least one range, or the servers cannot reach Redis")
      .optional(),
  }),
]);

const bucketName = gcsBucketName;
const storage = z.discriminatedUnion("mode", [
  z.strictObject({
    /** A dual-/multi-region bucket, or a bucket Storage Transfer Service kept in the recovery region. */
    mode: z.literal("existing"),
    bucketName,
  }),
  z.strictObject({
    mode: z.literal("new"),
    bucketName,
    /** @default - the recovery region */
    /** A region, dual-region or multi-region (https://cloud.google.com/storage/docs/locations). */
    location: z
      .string()
      .regex(/^([A-Za-z]+\d?|[a-z]+-[a-z]+\d{1,2})$/, "is not a bucket location such as us-west1, US or NAM4")
      .optional(),
  }),
]);

const cluster = z.strictObject({
  /** Who may reach the control plane: the machine or CI runner that applies this stack, at least. */
  masterAuthorizedNetworks: z
    .array(
      z.strictObject({
        /**
         * The provider validates cidr_block with IsCIDRNetwork(0, 32) (google/services/container/resource_container_cluster.go):
         * the network address. /8 at the widest: a wider range is no allow-list (policy rule ClusterPrivateAccess).
         */
        cidr: cidrBlock({
          minPrefix: 8,
          maxPrefix: 32,
          example: "203.0.113.0/24",
          hostBits: "the google provider requires the network address for master authorized networks",
          tooWide:
            "opens the control plane to a large part of the internet (0.0.0.0/0 to all of it), which is what the allow-list is there to prevent; list where Terraform and operators run",
        }),
        /** The network's display name in the console. */
        name: z.string().regex(/^[\x20-\x7e]{1,100}$/, "is not a display name (1-100 printable characters) such as ops-vpn"),
      }),
    )
    .min(1, "needs at least one network: the machine that runs the apply must reach the cluster's control plane"),
  /** @default REGULAR */
  releaseChannel: z.enum(["RAPID", "REGULAR", "STABLE"]).default("REGULAR"),
  /** Off only for drills that are torn down again. @default true */
  deletionProtection: z.boolean().default(true),
  /**
   * How Terraform authenticates to the cluster: `gke-gcloud-auth-plugin` on the apply machine, which fetches a fresh
   * token for every Kubernetes call and so outlasts a Cloud SQL restore of up to 120 minutes in the same apply; or the
   * OAuth access token of the identity running Terraform, read once per run and valid one hour (for machines without
   * the plugin, with the apply split as docs/targets/gcp.md describes).
   * @default gke-gcloud-auth-plugin
   */
  kubernetesCredentials: z.enum(["access-token", "gke-gcloud-auth-plugin"]).default("gke-gcloud-auth-plugin"),
});

/**
 * A FrontendConfig (networking.gke.io/v1beta1, a custom resource) in the workload's namespace that attaches the SSL
 * policy this stack creates and redirects HTTP to HTTPS; applied with kubectl once the cluster exists (runbook).
 * @default - none: HTTPS only, no redirect, Google's default SSL policy
 */
const frontendConfigName = resourceId.optional();

const tls = z.discriminatedUnion("mode", [
  z.strictObject({
    /**
     * Global Compute Engine SSL certificates covering the api host, issued in peacetime in the recovery project
     * (`project`): GKE Ingress looks pre-shared certificates up in the cluster's project only, so the primary's
     * certificate serves only when the primary runs in the same project. Attached with
     * `ingress.gcp.kubernetes.io/pre-shared-cert`; the plan reads each one there and fails when one is missing.
     */
    mode: z.literal("pre-shared"),
    certificateNames: z.array(resourceId).min(1, "needs at least one certificate name"),
    frontendConfigName,
  }),
  z.strictObject({
    /** A Google-managed certificate created here; it is issued only after DNS points at the new load balancer. */
    mode: z.literal("google-managed"),
    frontendConfigName,
  }),
  z.strictObject({
    /**
     * A Certificate Manager certificate map in `project`, attached through the GKE Gateway API instead of an Ingress:
     * a certificate with DNS authorization is issued in peacetime (standby-gcp issues one, in the map
     * `<environment>-api`), so HTTPS works the moment DNS switches. The Gateway and its policies are custom resources
     * (`kubernetes_manifest`), which Terraform plans only against a running cluster: in backup-restore the runbook's
     * first apply creates the cluster (docs/targets/gcp.md). The SSL policy attaches with a GCPGatewayPolicy, so no
     * FrontendConfig is needed.
     */
    mode: z.literal("certificate-map"),
    /** The certificate map's name; the plan reads it in `project` and fails when it is missing. */
    mapName: resourceId,
  }),
]);

const dnsRouting = z.discriminatedUnion("mode", [
  /** Point the api record straight at the recovery load balancer. */
  z.strictObject({ mode: z.literal("cut-over") }),
  /**
   * A health-checked primary/backup record: the primary's load balancer address while it answers /healthcheck, the
   * recovery's once it does not.
   */
  z.strictObject({
    mode: z.literal("primary-backup"),
    /** The primary environment's load balancer IPv4 address(es). */
    primaryAddresses: z.array(ipv4Address("198.51.100.7")).min(1, "needs the primary load balancer's address"),
    /** Three regions Cloud DNS probes the primary from. */
    healthCheckRegions: z.array(gcpRegion).length(3, "needs exactly three regions to probe from"),
  }),
]);

/** The DR tiers in AWS's vocabulary (docs/standby.md), all three built for GCP. */

const newNetwork = network.options[0];

/**
 * `targets.gcp.standby`: what `standby-gcp` prepares in peacetime (docs/standby.md, "GCP"). The primary's resources are
 * named here and only read or attached to; everything standby-gcp creates is in `targets.gcp.project` and `region`.
 */
const standby = z.strictObject({
  /**
   * backup-restore: checks and replicas only; pilot-light: plus the recovery VPC, private services access and the GKE
   * Autopilot cluster, which the recovery adopts; warm-standby: plus a cross-region Cloud SQL read replica, which the
   * recovery promotes (database.restore.mode replica-promotion).
   */
  tier: z.enum(STANDBY_TIERS),
  /** standby-gcp's own state, never the recovery's. @default - local, state/standby-gcp.tfstate */
  backend: stateBackend.default({ type: "local" }),
  /** What standby-gcp reads and attaches to on the primary's side; it owns none of it. */
  primary: z.strictObject({
    /** The primary's project. */
    project: projectId,
    /** The primary Cloud SQL instance (the one database.restore names as its source). */
    databaseInstance: sqlInstanceName,
    /** The primary's binaries bucket, the Storage Transfer source. */
    bucketName: gcsBucketName,
  }),
  database: z
    .strictObject({
      /** The fewest automated backups the primary must keep; the plan fails below it. @default 7 */
      minimumRetainedBackups: z.number().int().min(1).max(365).default(7),
    })
    .default({ minimumRetainedBackups: 7 }),
  binaries: z.strictObject({
    /**
     * The replica bucket in the recovery region, which standby-gcp creates and owns; the recovery adopts it as
     * targets.gcp.storage (mode existing, the same bucketName).
     */
    replicaBucketName: gcsBucketName,
  }),
  /**
   * The recovery VPC standby-gcp creates for pilot-light and warm-standby (the recovery then names it with
   * network.mode existing). Required for those tiers. @default - none
   */
  network: newNetwork.omit({ mode: true }).optional(),
  /**
   * Issue a Certificate Manager certificate for the api host with DNS authorization in dns.managedZone, ahead of the
   * day. @default true
   */
  issueCertificate: z.boolean().default(true),
  /** An uptime check on https://<api host>/healthcheck with an alert, so the outage itself pages. @default true */
  watchPrimary: z.boolean().default(true),
});

export const gcpTarget = z.strictObject({
  /** The project everything is created in. */
  project: projectId,
  /** The recovery region, where everything regional is created. */
  region: gcpRegion,
  /** The region that was lost. */
  primaryRegion: gcpRegion,
  backend: stateBackend,
  network,
  database,
  cache,
  storage,
  secrets: z.strictObject({
    /**
     * Secret ids of Medplum's signing key settings. Medplum uses the signing key only to sign CloudFront URLs for `s3:`
     * binaries; with the GCS storage this target uses it hands out GCS signed URLs and ignores the key, and tokens
     * are signed with the key restored in the database. Give all three, or none.
     * @default - none
     */
    signingKey: secretId.optional(),
    signingKeyId: secretId.optional(),
    signingKeyPassphrase: secretId.optional(),
    /** Secret id of the SMTP password; required when medplum.smtp is set. @default - none */
    smtpPassword: secretId.optional(),
    /** Further `MEDPLUM_*` settings read from Secret Manager. @default {} */
    additional: z.record(z.string().regex(/^MEDPLUM_[A-Z0-9_]+$/, "is not a MEDPLUM_* environment variable name"), secretId).default({}),
  }),
  cluster,
  tls,
  dns: z.strictObject({
    /** The Cloud DNS managed zone (name, not DNS name) holding the api host. */
    managedZone: resourceId,
    /** At most 60 seconds, so resolvers follow the switch quickly. @default 60 */
    ttlSeconds: cutoverTtlSeconds,
    routing: dnsRouting,
  }),
  alerts: z.strictObject({
    /** Addresses that get an e-mail notification channel each. @default [] */
    emails: z.array(emailAddress).default([]),
    /**
     * Existing notification channels (e.g. a pager), `projects/<project id or number>/notificationChannels/<numeric id>`
     * (https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.notificationChannels). @default []
     */
    channelIds: z
      .array(
        z
          .string()
          .regex(
            /^projects\/([a-z][a-z0-9-]{4,28}[a-z0-9]|\d{1,20})\/notificationChannels\/\d{1,20}$/,
            "is not a notification channel id such as projects/acme-medplum-dr/notificationChannels/123",
          ),
      )
      .default([]),
  }),
  /** Peacetime preparation by the standby-gcp stack (docs/standby.md). @default - none: no standby-gcp stack */
  standby: standby.optional(),
});

export type GcpTargetConfig = z.infer<typeof gcpTarget>;

const GCP = ["targets", "gcp"] as const;

/** Autopilot's general-purpose compute class accepts 1 to 6.5 GiB of memory per vCPU. */
export const AUTOPILOT_MEMORY_GIB_PER_VCPU = { min: 1, max: 6.5 } as const;

/**
 * The first Medplum server that reads `MEDPLUM_BINARY_STORAGE=gs:<bucket>`: packages/server/src/storage/loader.ts
 * dispatches `gs:` to cloud/gcp/storage.ts from v4.1.4 (medplum/medplum #6317, "GCP - Google Cloud Storage
 * Support"); v4.1.3's loader knows s3:, azure: and file: only and leaves binary storage uninitialised. Checked in
 * the tags v4.1.3, v4.1.4, v4.3.9 and v5.0.10.
 */
export const FIRST_MEDPLUM_WITH_GCS: readonly [number, number, number] = [4, 1, 4];

/** major.minor.patch of a pinned `medplum.image` tag; undefined for a digest or an unreadable tag (the schema reports those). */
function imageVersion(image: string | undefined): [number, number, number] | undefined {
  const match = /:v?(\d+)\.(\d+)\.(\d+)(?:[-+.][A-Za-z0-9._-]+)?$/.exec(image ?? "");
  return match === null ? undefined : [Number(match[1]), Number(match[2]), Number(match[3])];
}

export const gcpCrossFieldRules: readonly CrossFieldRule[] = [
  {
    description: "The Medplum version reads binaries from Cloud Storage, where the GCP target keeps them.",
    check: (doc): CrossFieldProblem[] => {
      if (!doc.has([...GCP])) return [];
      const version = imageVersion(doc.string(["medplum", "image"]));
      if (version === undefined) return [];
      const older = version.findIndex((part, index) => part !== FIRST_MEDPLUM_WITH_GCS[index]);
      return older !== -1 && version[older]! < FIRST_MEDPLUM_WITH_GCS[older]!
        ? [
            {
              path: ["medplum", "image"],
              message: `cannot run on targets.gcp: the GCP target serves binaries from Cloud Storage (MEDPLUM_BINARY_STORAGE=gs:<bucket>), which Medplum reads only from ${FIRST_MEDPLUM_WITH_GCS.join(".")}; older servers fail every attachment with "Binary storage not initialized". A primary on this version kept its binaries elsewhere: recover it to a target with that storage, or upgrade the primary first`,
            },
          ]
        : [];
    },
  },
  {
    description: "A region-loss recovery lands in another region; only a point-in-time clone stays in the source's region.",
    check: (doc) => {
      const region = doc.string([...GCP, "region"]);
      const primary = doc.string([...GCP, "primaryRegion"]);
      const mode = doc.string([...GCP, "database", "restore", "mode"]);
      if (region === undefined || primary === undefined || mode === undefined) return [];
      if (mode === "point-in-time-clone") {
        return region !== primary
          ? [
              {
                path: [...GCP, "database", "restore", "mode"],
                message: `creates the clone in the source instance's region (primaryRegion ${primary}), not ${region}; use mode "backup" to recover into another region`,
              },
            ]
          : [];
      }
      return region === primary
        ? [
            {
              path: [...GCP, "region"],
              message: `is the primary region too; recover into a different region than ${primary} (or use mode "point-in-time-clone" for same-region corruption recovery)`,
            },
          ]
        : [];
    },
  },
  {
    description: "A clone or a promoted replica stays in its source's VPC, so the network is that existing one, with its private services range.",
    check: (doc): CrossFieldProblem[] => {
      const mode = doc.string([...GCP, "database", "restore", "mode"]);
      if (mode !== "point-in-time-clone" && mode !== "replica-promotion") return [];
      const networkMode = doc.string([...GCP, "network", "mode"]);
      // Cloud SQL clones keep the source's connectivity settings and the API has no clone network parameter; a
      // replica keeps the network it was created in. private_network must name that VPC, or the first apply moves it.
      const why =
        mode === "point-in-time-clone"
          ? "a point-in-time clone lands in its source instance's VPC (a clone keeps the source's connectivity settings)"
          : "a promoted replica stays in the VPC it was created in";
      if (networkMode === "new") {
        return [
          {
            path: [...GCP, "network", "mode"],
            message: `cannot hold the recovered instance: ${why}; use mode "existing" with that VPC's network, subnet, GKE ranges and privateServicesRangeName`,
          },
        ];
      }
      if (networkMode === "existing" && !doc.has([...GCP, "network", "privateServicesRangeName"])) {
        return [
          {
            path: [...GCP, "network", "privateServicesRangeName"],
            message: `is needed: ${why}, which already has private services access, and a second range and peering cannot be added to it (service networking refuses "Cannot modify allocated ranges in CreateConnection"); name the range the source's private IP comes from`,
          },
        ];
      }
      return [];
    },
  },
  {
    description: "Cloud SQL restores and clones keep the source's major version.",
    check: (doc) => {
      const source = doc.string([...GCP, "database", "sourceDatabaseVersion"]);
      const target = doc.string([...GCP, "database", "databaseVersion"]);
      const usable = (version: string | undefined) => (POSTGRES_VERSIONS as readonly (string | undefined)[]).includes(version);
      return usable(source) && usable(target) && source !== target
        ? [
            {
              path: [...GCP, "database", "databaseVersion"],
              message: `differs from database.sourceDatabaseVersion (${source}); Cloud SQL restores a backup only into the same version, so set ${source} and upgrade after the recovery`,
            },
          ]
        : [];
    },
  },
  {
    description: "More than 7 days of write-ahead log needs Enterprise Plus.",
    check: (doc) => {
      const days = doc.number([...GCP, "database", "transactionLogRetentionDays"]);
      const edition = doc.string([...GCP, "database", "edition"]) ?? "ENTERPRISE";
      return days !== undefined && days > 7 && edition !== "ENTERPRISE_PLUS"
        ? [
            {
              path: [...GCP, "database", "transactionLogRetentionDays"],
              message: `is above 7, which only edition ENTERPRISE_PLUS allows (edition is ${edition})`,
            },
          ]
        : [];
    },
  },
  {
    description: "Enterprise Plus runs only on performance-optimized tiers, and they only on Enterprise Plus.",
    check: (doc) => {
      const tier = doc.string([...GCP, "database", "tier"]);
      const edition = doc.string([...GCP, "database", "edition"]) ?? "ENTERPRISE";
      if (tier === undefined) return [];
      const performanceOptimized = tier.startsWith("db-perf-optimized-");
      return performanceOptimized !== (edition === "ENTERPRISE_PLUS")
        ? [
            {
              path: [...GCP, "database", "tier"],
              message: `does not fit edition ${edition}; ENTERPRISE_PLUS needs a db-perf-optimized-N-* tier, ENTERPRISE any other (e.g. db-custom-4-16384)`,
            },
          ]
        : [];
    },
  },
  {
    description: "The database's CMEK key sits in the recovery region; nothing reaches back into the lost one.",
    check: (doc) => {
      const region = doc.string([...GCP, "region"]);
      const key = doc.string([...GCP, "database", "kmsKeyName"]);
      const location = key?.split("/")[3];
      return region !== undefined && location !== undefined && location !== region
        ? [
            {
              path: [...GCP, "database", "kmsKeyName"],
              message: `is in ${location}, not the recovery region ${region}; Cloud SQL needs a key in the instance's region`,
            },
          ]
        : [];
    },
  },
  {
    description: "The servers' NetworkPolicy can reach an existing Redis: by its address, or by ranges given for a host name.",
    check: (doc): CrossFieldProblem[] => {
      if (doc.string([...GCP, "cache", "mode"]) !== "existing") return [];
      const host = doc.string([...GCP, "cache", "host"]);
      // A value that is neither a name nor an address has its own problem from the schema.
      return host !== undefined && HOST_NAME.test(host) && !/^[\d.]+$/.test(host) && !doc.has([...GCP, "cache", "allowedCidrs"])
        ? [
            {
              path: [...GCP, "cache", "allowedCidrs"],
              message: `is needed: host ${JSON.stringify(host)} is a name, and a NetworkPolicy admits address ranges only; give the range(s) it resolves to, such as 10.60.0.0/29`,
            },
          ]
        : [];
    },
  },
  {
    description: "A CA for an existing Redis is only used over TLS.",
    check: (doc): CrossFieldProblem[] =>
      doc.string([...GCP, "cache", "mode"]) === "existing" && doc.has([...GCP, "cache", "caBundleFile"]) && doc.value([...GCP, "cache", "tls"]) === false
        ? [{ path: [...GCP, "cache", "caBundleFile"], message: "is set, but cache.tls is false; turn TLS on or remove it" }]
        : [],
  },
  {
    description: "standby-gcp keeps its own state: one shared with recovery-gcp would let either apply destroy the other's resources.",
    check: (doc): CrossFieldProblem[] => {
      if (!doc.has([...GCP, "standby"])) return [];
      const standbyType = doc.string([...GCP, "standby", "backend", "type"]) ?? "local";
      if (standbyType !== doc.string([...GCP, "backend", "type"])) return [];
      const field = standbyType === "gcs" ? "prefix" : "path";
      const mine = doc.string([...GCP, "standby", "backend", field]);
      const theirs = doc.string([...GCP, "backend", field]);
      const same =
        standbyType === "gcs"
          ? doc.string([...GCP, "standby", "backend", "bucket"]) === doc.string([...GCP, "backend", "bucket"]) && mine === theirs
          : mine !== undefined && mine === theirs;
      return same
        ? [
            {
              path: [...GCP, "standby", "backend"],
              message: "is the recovery's state (targets.gcp.backend) too; give standby-gcp a state of its own (another prefix or path)",
            },
          ]
        : [];
    },
  },
  {
    description: "The binaries replica is a bucket of its own, which the recovery adopts rather than creates.",
    check: (doc): CrossFieldProblem[] => {
      const replica = doc.string([...GCP, "standby", "binaries", "replicaBucketName"]);
      if (replica === undefined) return [];
      if (replica === doc.string([...GCP, "standby", "primary", "bucketName"])) {
        return [
          {
            path: [...GCP, "standby", "binaries", "replicaBucketName"],
            message: "is the primary bucket too; the replica in the recovery region needs a name of its own",
          },
        ];
      }
      return doc.string([...GCP, "storage", "mode"]) === "new" && doc.string([...GCP, "storage", "bucketName"]) === replica
        ? [
            {
              path: [...GCP, "storage", "bucketName"],
              message: `is targets.gcp.standby.binaries.replicaBucketName, which standby-gcp creates; use mode "existing" to adopt the replica, or another name for a new bucket`,
            },
          ]
        : [];
    },
  },
  {
    description: "pilot-light and warm-standby keep the recovery VPC and cluster standing; the recovery adopts them by name.",
    check: (doc): CrossFieldProblem[] => {
      const tier = doc.string([...GCP, "standby", "tier"]);
      if (!keepsStandingInfrastructure(tier)) return [];
      if (!doc.has([...GCP, "standby", "network"])) {
        return [
          {
            path: [...GCP, "standby", "network"],
            message: `is required for tier ${tier}: give subnetCidr, podsCidr, servicesCidr (and privateServicesPrefixLength) of the recovery VPC standby-gcp creates`,
          },
        ];
      }
      const environment = doc.string(["environment"]);
      if (environment === undefined) return [];
      const names = gcpStandingNames(environment);
      const expected: Record<string, string | boolean> = {
        mode: "existing",
        networkName: names.network,
        subnetworkName: names.subnetwork,
        podsRangeName: names.podsRange,
        servicesRangeName: names.servicesRange,
        privateServicesRangeName: names.privateServicesRange,
        createNat: false,
      };
      // createNat defaults to true, so it must be written out: standby-gcp's NAT already serves the subnet.
      const wrong = Object.entries(expected).filter(([key, value]) => doc.value([...GCP, "network", key]) !== value);
      return wrong.length > 0
        ? [
            {
              path: [...GCP, "network"],
              message: `must adopt the VPC standby-gcp keeps for tier ${tier}: set ${Object.entries(expected)
                .map(([key, value]) => `${key}: ${String(value)}`)
                .join(", ")} (differs in ${wrong.map(([key]) => key).join(", ")})`,
            },
          ]
        : [];
    },
  },
  {
    description: "warm-standby's replica is the one the recovery promotes, of the primary standby-gcp names, in the primary's project.",
    check: (doc): CrossFieldProblem[] => {
      if (doc.string([...GCP, "standby", "tier"]) !== "warm-standby") return [];
      const restore = [...GCP, "database", "restore"];
      if (doc.string([...restore, "mode"]) !== "replica-promotion") {
        return [
          {
            path: [...restore, "mode"],
            message: 'must be "replica-promotion" for tier warm-standby: the recovery promotes the replica standby-gcp keeps (replicaInstance names it)',
          },
        ];
      }
      const problems: CrossFieldProblem[] = [];
      const primary = doc.string([...GCP, "standby", "primary", "databaseInstance"]);
      if (primary !== undefined && doc.string([...restore, "primaryInstance"]) !== primary) {
        problems.push({
          path: [...restore, "primaryInstance"],
          message: `is not targets.gcp.standby.primary.databaseInstance (${primary}); the replica follows that instance`,
        });
      }
      const primaryProject = doc.string([...GCP, "standby", "primary", "project"]);
      if (primaryProject !== undefined && primaryProject !== doc.string([...GCP, "project"])) {
        problems.push({
          path: [...GCP, "standby", "primary", "project"],
          message: `is not targets.gcp.project (${doc.string([...GCP, "project"])}); a Cloud SQL read replica lives in its primary's project, so warm-standby recovers into that project`,
        });
      }
      return problems;
    },
  },
  {
    description: "Alerts go somewhere.",
    check: (doc) => {
      if (!doc.has([...GCP])) return [];
      const emails = doc.value([...GCP, "alerts", "emails"]);
      const channels = doc.value([...GCP, "alerts", "channelIds"]);
      const empty = (value: unknown) => value === undefined || (Array.isArray(value) && value.length === 0);
      return doc.has([...GCP, "alerts"]) && empty(emails) && empty(channels)
        ? [{ path: [...GCP, "alerts"], message: "names no destination; give at least one of emails, channelIds" }]
        : [];
    },
  },
  {
    description: "Additional secrets do not override what the recovery sets itself (signing key, database, Redis, SMTP).",
    check: (doc) => {
      const additional = doc.value([...GCP, "secrets", "additional"]);
      if (additional === null || typeof additional !== "object") return [];
      return Object.keys(additional).flatMap((name): CrossFieldProblem[] =>
        /^MEDPLUM_(SIGNING_KEY(_ID|_PASSPHRASE)?|DATABASE_.*|REDIS_.*|SMTP_.*)$/.test(name)
          ? [
              {
                path: [...GCP, "secrets", "additional", name],
                message: `names ${name}, which the recovery sets itself (signing settings from signingKey*, database and Redis settings from the restored instances, SMTP from medplum.smtp); remove it`,
              },
            ]
          : [],
      );
    },
  },
  medplumSettingNamesRule("Additional secrets name settings the Medplum server reads.", [...GCP, "secrets", "additional"]),
  {
    description: "The signing key settings come as a set.",
    check: (doc) => {
      const base = [...GCP, "secrets"];
      const given = ["signingKey", "signingKeyId", "signingKeyPassphrase"].filter((key) => doc.has([...base, key]));
      return given.length > 0 && given.length < 3
        ? [
            {
              path: base,
              message: `names ${given.join(", ")} but not all of signingKey, signingKeyId, signingKeyPassphrase; give all three (Medplum needs them together) or none`,
            },
          ]
        : [];
    },
  },
  smtpPasswordRule([...GCP], [...GCP, "secrets", "smtpPassword"], "Secret Manager", "Secret Manager secret"),
  {
    description: "The Medplum server size is one GKE Autopilot can run.",
    check: (doc): CrossFieldProblem[] => {
      if (!doc.has([...GCP])) return [];
      const cpu = doc.number(["medplum", "server", "cpuMillicores"], 2000);
      const memory = doc.number(["medplum", "server", "memoryMiB"], 4096);
      if (cpu === undefined || memory === undefined) return [];
      const ratio = memory / 1024 / (cpu / 1000);
      return ratio < AUTOPILOT_MEMORY_GIB_PER_VCPU.min || ratio > AUTOPILOT_MEMORY_GIB_PER_VCPU.max
        ? [
            {
              path: ["medplum", "server", "memoryMiB"],
              message: `is ${ratio.toFixed(2)} GiB per vCPU with ${cpu} millicores; targets.gcp (GKE Autopilot) needs ${AUTOPILOT_MEMORY_GIB_PER_VCPU.min}-${AUTOPILOT_MEMORY_GIB_PER_VCPU.max} GiB per vCPU`,
            },
          ]
        : [];
    },
  },
];
