/**
 * `targets.aws`: recovery into an AWS region. Everything the plan needs is named here rather than looked up, so the
 * stack plans with no AWS reads beyond the Redis auth token.
 */
import { z } from "zod";
import { arnRegion, type CrossFieldProblem, type CrossFieldRule } from "./cross-field";
import { emailAddress, nonEmpty, pastTimestamp, restorePoint, stateBackend } from "./common";

const awsRegion = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, "is not an AWS region name such as us-west-2");
const arn = (service: string, example: string) =>
  z.string().regex(new RegExp(`^arn:aws[a-z-]*:${service}:`), `is not a ${service} ARN such as ${example}`);

const network = z.discriminatedUnion("mode", [
  z.strictObject({
    mode: z.literal("new"),
    cidr: z
      .string()
      .regex(/^(\d{1,3}\.){3}\d{1,3}\/(1[6-9]|2[0-2])$/, "is not an IPv4 CIDR between /16 and /22 such as 10.40.0.0/16"),
    /**
     * One NAT gateway per availability zone keeps egress up when a zone fails; one in total is cheaper for drills.
     * @default true
     */
    natGatewayPerZone: z.boolean().default(true),
  }),
  z.strictObject({
    mode: z.literal("existing"),
    vpcId: z.string().regex(/^vpc-[0-9a-f]+$/, "is not a VPC id such as vpc-0abc1234"),
    publicSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]+$/, "is not a subnet id")).min(2, "needs at least two subnets in different zones"),
    privateSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]+$/, "is not a subnet id")).min(2, "needs at least two subnets in different zones"),
  }),
]);

const restore = z.discriminatedUnion("mode", [
  z.strictObject({
    mode: z.literal("snapshot"),
    /** A DB snapshot (RDS) or DB cluster snapshot (Aurora) already copied into the recovery region; ARN or identifier. */
    snapshotIdentifier: nonEmpty,
    /** When the snapshot was taken; lets the plan report state the RPO. @default - unknown: the report says so */
    snapshotTakenAt: pastTimestamp.optional(),
  }),
  z.strictObject({
    mode: z.literal("point-in-time"),
    /** The ARN of the automated backups replicated into the recovery region (aws_db_instance_automated_backups_replication). */
    automatedBackupsArn: arn("rds", "arn:aws:rds:us-west-2:111122223333:auto-backup:ab-abc123"),
    /** `latest` for the latest restorable time, or a past RFC 3339 time. */
    time: restorePoint,
  }),
]);

const database = z.strictObject({
    engine: z.enum(["aurora-postgresql", "postgres"]),
    /** Must match the version the snapshot or backup was taken with; minor upgrades can follow later. */
    engineVersion: z.string().regex(/^1[4-9](\.\d+)?$/, "is not a PostgreSQL version 14 or later such as 16.6 (Medplum needs Postgres 14+)"),
    instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, "is not an RDS instance class such as db.r6g.large"),
    /** Aurora only: reader instances beside the writer. @default 0 */
    readerInstances: z.number().int().min(0).max(15).default(0),
    /** RDS only. @default 100 */
    allocatedStorageGiB: z.number().int().min(20).max(65536).default(100),
    /** RDS only: a standby in a second zone. @default true */
    multiAz: z.boolean().default(true),
    restore,
    /** Turn off only for drills that must be torn down with `cdktf destroy`. @default true */
    deletionProtection: z.boolean().default(true),
    /** @default 7 */
    backupRetentionDays: z.number().int().min(1).max(35).default(7),
    /**
     * An existing KMS key in the recovery region, by key ARN (an alias is read back as the key ARN, and `kms_key_id`
     * forces a new database); @default - a new customer-managed key is created
     */
    kmsKeyArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/,
        "is not a KMS key ARN such as arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab (an alias ARN would be read back as the key ARN and force a new database)",
      )
      .optional(),
    /**
     * PEM file of the CA certificates that sign the recovery region's RDS server certificates, read at synth (path
     * relative to the directory synth runs in): AWS's regional bundle, https://truststore.pki.rds.amazonaws.com/<region>/<region>-bundle.pem,
     * downloaded in peacetime. With it the servers verify the database's certificate and host name. The RDS CAs are
     * not among Node's bundled roots, so without it the connection is encrypted (the parameter group forces TLS) but
     * the server certificate is not verified.
     * @default - encrypted, server certificate not verified (docs/targets/aws.md, "Database TLS")
     */
    caBundleFile: z.string().regex(/^[^\0]+\.(pem|crt)$/, "is not the path of a .pem (or .crt) file such as config/rds-us-west-2-bundle.pem").optional(),
  });

const cache = z.strictObject({
  nodeType: z.string().regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, "is not an ElastiCache node type such as cache.t4g.medium"),
  /** More than one node enables Multi-AZ with automatic failover. @default 2 */
  nodes: z.number().int().min(1).max(6).default(2),
  engineVersion: z.string().regex(/^[7-9]\.\d+$/, "is not a Redis version 7 or later such as 7.1 (Medplum needs Redis 7+)").default("7.1"),
  /** Secrets Manager secret (plain string) in the recovery region holding the Redis AUTH token. */
  authTokenSecretArn: arn("secretsmanager", "arn:aws:secretsmanager:us-west-2:111122223333:secret:medplum/redis-AbCdEf"),
});

const storage = z.discriminatedUnion("mode", [
  z.strictObject({
    /** The replica bucket that S3 replication has kept in the recovery region. */
    mode: z.literal("existing"),
    bucketName: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "is not an S3 bucket name"),
  }),
  z.strictObject({
    mode: z.literal("new"),
    bucketName: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "is not an S3 bucket name"),
  }),
]);

const dnsRouting = z.discriminatedUnion("mode", [
  /** Point the api record straight at the recovery load balancer. */
  z.strictObject({ mode: z.literal("cut-over") }),
  /**
   * Create the SECONDARY half of a Route 53 failover pair with a health check on /healthcheck; the primary region's
   * PRIMARY record (same name, `setIdentifier` given here) stays as it is.
   */
  z.strictObject({
    mode: z.literal("failover"),
    /** @default recovery */
    setIdentifier: z.string().min(1).default("recovery"),
  }),
]);

export const awsTarget = z.strictObject({
    /** The recovery region, where everything is created. */
    region: awsRegion,
    /** The region that was lost; used to check nothing depends on it. */
    primaryRegion: awsRegion,
    /**
     * The account the recovery is deployed into; the recovery key's policy names it. Named rather than looked up so
     * the plan needs no AWS reads. @default - the account in secrets.applicationSecretArn
     */
    accountId: z.string().regex(/^\d{12}$/, "is not a 12-digit AWS account id such as 111122223333").optional(),
    /** Named rather than looked up so the plan needs no AWS reads. */
    availabilityZones: z.array(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, "is not an availability zone name such as us-west-2a")).min(2, "needs at least two availability zones"),
    backend: stateBackend,
    network,
    database,
    cache,
    storage,
    secrets: z.strictObject({
      /**
       * Secrets Manager secret (JSON) replicated into the recovery region: keys signingKey, signingKeyId,
       * signingKeyPassphrase (the primary's CloudFront signing key, which Medplum uses to sign `s3:` binary URLs), and
       * smtpPassword when medplum.smtp is set.
       */
      applicationSecretArn: arn("secretsmanager", "arn:aws:secretsmanager:us-west-2:111122223333:secret:medplum/app-AbCdEf"),
    }),
    tls: z.strictObject({
      /** ACM certificate in the recovery region covering the api host name (issued in peacetime: validation can take an hour). */
      certificateArn: arn("acm", "arn:aws:acm:us-west-2:111122223333:certificate/..."),
    }),
    dns: z.strictObject({
      hostedZoneId: z.string().regex(/^Z[A-Z0-9]{5,32}$/, "is not a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ"),
      routing: dnsRouting,
    }),
    alerts: z.strictObject({
      emails: z.array(emailAddress).default([]),
      /** An existing SNS topic (e.g. wired to a pager); @default - a new topic */
      topicArn: arn("sns", "arn:aws:sns:us-west-2:111122223333:oncall").optional(),
    }),
  });

export type AwsTargetConfig = z.infer<typeof awsTarget>;

const AWS = ["targets", "aws"] as const;

/** Fargate accepts only these CPU sizes (in vCPU thousandths), each with a memory range in MiB. */
export const FARGATE_SIZES: ReadonlyArray<{ cpuMillicores: number; minMemoryMiB: number; maxMemoryMiB: number }> = [
  { cpuMillicores: 250, minMemoryMiB: 512, maxMemoryMiB: 2048 },
  { cpuMillicores: 500, minMemoryMiB: 1024, maxMemoryMiB: 4096 },
  { cpuMillicores: 1000, minMemoryMiB: 2048, maxMemoryMiB: 8192 },
  { cpuMillicores: 2000, minMemoryMiB: 4096, maxMemoryMiB: 16384 },
  { cpuMillicores: 4000, minMemoryMiB: 8192, maxMemoryMiB: 30720 },
  { cpuMillicores: 8000, minMemoryMiB: 16384, maxMemoryMiB: 61440 },
  { cpuMillicores: 16000, minMemoryMiB: 32768, maxMemoryMiB: 122880 },
];

export const awsCrossFieldRules: readonly CrossFieldRule[] = [
  {
    description: "The recovery region differs from the region that was lost.",
    check: (doc) => {
      const region = doc.string([...AWS, "region"]);
      const primary = doc.string([...AWS, "primaryRegion"]);
      return region !== undefined && region === primary
        ? [{ path: [...AWS, "region"], message: `is the primary region too; recover into a different region than ${primary}` }]
        : [];
    },
  },
  {
    description: "Every availability zone is in the recovery region.",
    check: (doc) => {
      const region = doc.string([...AWS, "region"]);
      if (region === undefined) return [];
      return doc.strings([...AWS, "availabilityZones"]).flatMap((zone, index): CrossFieldProblem[] =>
        zone !== undefined && !zone.startsWith(region) ? [{ path: [...AWS, "availabilityZones", index], message: `is not in the recovery region ${region}` }] : [],
      );
    },
  },
  {
    description: "The state backend survives the loss of the primary region.",
    check: (doc) => {
      const primary = doc.string([...AWS, "primaryRegion"]);
      const region = doc.string([...AWS, "region"]);
      return doc.string([...AWS, "backend", "type"]) === "s3" && primary !== undefined && doc.string([...AWS, "backend", "region"]) === primary
        ? [{ path: [...AWS, "backend", "region"], message: `is the primary region; the state must survive its loss, so keep it in ${region ?? "the recovery region"} or another region` }]
        : [];
    },
  },
  {
    description: "Aurora can only be restored into another region from a cluster snapshot.",
    check: (doc) =>
      doc.string([...AWS, "database", "engine"]) === "aurora-postgresql" && doc.string([...AWS, "database", "restore", "mode"]) === "point-in-time"
        ? [
            {
              path: [...AWS, "database", "restore", "mode"],
              message:
                'is not available for aurora-postgresql in another region (Aurora point-in-time restore is same-region only); use mode "snapshot" with a cluster snapshot copied into the recovery region, or engine "postgres"',
            },
          ]
        : [],
  },
  {
    description: "A snapshot ARN is of the kind the engine restores from.",
    check: (doc) => {
      const engine = doc.string([...AWS, "database", "engine"]);
      const snapshot = doc.string([...AWS, "database", "restore", "snapshotIdentifier"]);
      if (engine === undefined || snapshot === undefined || !snapshot.startsWith("arn:")) return [];
      const kind = snapshot.split(":")[5];
      const expected = engine === "aurora-postgresql" ? "cluster-snapshot" : "snapshot";
      return kind !== expected
        ? [{ path: [...AWS, "database", "restore", "snapshotIdentifier"], message: `is a ${kind ?? "malformed"} ARN; engine ${engine} restores from a ${expected} ARN` }]
        : [];
    },
  },
  {
    description: "Everything named by ARN already sits in the recovery region; nothing reaches back into the lost one.",
    check: (doc) => {
      const region = doc.string([...AWS, "region"]);
      if (region === undefined) return [];
      const regional: ReadonlyArray<ReadonlyArray<string>> = [
        ["database", "restore", "snapshotIdentifier"],
        ["database", "restore", "automatedBackupsArn"],
        ["database", "kmsKeyArn"],
        ["cache", "authTokenSecretArn"],
        ["secrets", "applicationSecretArn"],
        ["tls", "certificateArn"],
        ["alerts", "topicArn"],
      ];
      return regional.flatMap((field): CrossFieldProblem[] => {
        const actual = arnRegion(doc.string([...AWS, ...field]));
        return actual !== undefined && actual !== region
          ? [{ path: [...AWS, ...field], message: `is in ${actual}, not the recovery region ${region}; copy or replicate it into ${region} in peacetime` }]
          : [];
      });
    },
  },
  {
    description: "The Medplum server size is one Fargate can run.",
    check: (doc) => {
      if (!doc.has([...AWS])) return [];
      const cpu = doc.number(["medplum", "server", "cpuMillicores"], 2000);
      const memory = doc.number(["medplum", "server", "memoryMiB"], 4096);
      if (cpu === undefined || memory === undefined) return [];
      const size = FARGATE_SIZES.find((candidate) => candidate.cpuMillicores === cpu);
      if (size === undefined) {
        return [{ path: ["medplum", "server", "cpuMillicores"], message: `is not a Fargate size; targets.aws needs one of ${FARGATE_SIZES.map((s) => s.cpuMillicores).join(", ")}` }];
      }
      return memory < size.minMemoryMiB || memory > size.maxMemoryMiB
        ? [{ path: ["medplum", "server", "memoryMiB"], message: `does not fit Fargate with ${cpu} millicores; targets.aws needs ${size.minMemoryMiB}-${size.maxMemoryMiB} MiB` }]
        : [];
    },
  },
];
