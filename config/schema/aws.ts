/**
 * `targets.aws`: recovery into an AWS region. Everything the plan needs is named here rather than looked up, so the
 * stack plans with no AWS reads beyond the Redis auth token.
 */
import { z } from "zod";
import { arnRegion, type CrossFieldProblem, type CrossFieldRule } from "./cross-field";
import { emailAddress, pastTimestamp, restorePoint, stateBackend } from "./common";
import { arn, arnProblem as arnProblemOf, AWS_ACCOUNT_ID, AWS_REGION, checkedString, ipv4Cidr, RDS_SNAPSHOT_IDENTIFIER, s3BucketName } from "./identifiers";

const awsRegion = z.string().regex(AWS_REGION, "is not an AWS region name such as us-west-2");
/** EC2 resource ids: a prefix and 8 or 17 hex digits (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html). */
const ec2Id = (prefix: string, what: string) =>
  z.string().regex(new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`), `is not ${what} (${prefix}- and 8 or 17 hex digits) such as ${prefix}-0abc1234def567890`);

/**
 * Secrets Manager secret ARNs: `secret:<name>-<6 random characters>`; names are 1-512 letters, digits and /_+=.@-
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html#API_CreateSecret_RequestSyntax).
 */
const secretArn = (example: string) =>
  arn({ service: "secretsmanager", what: "a Secrets Manager secret", resource: /^secret:[A-Za-z0-9/_+=.@-]{1,519}$/, resourceForm: "secret:<name>-<suffix>", example });

/** RDS snapshot ARNs (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Tagging.ARN.Constructing.html): snapshot: or cluster-snapshot: and the identifier. */
const snapshotArn = (value: string) =>
  arnProblemOf(value, {
    service: "rds",
    what: "an RDS snapshot",
    resource: new RegExp(`^(snapshot|cluster-snapshot):${RDS_SNAPSHOT_IDENTIFIER.source.slice(1)}`),
    resourceForm: "snapshot:<identifier> or cluster-snapshot:<identifier>",
    example: "arn:aws:rds:us-west-2:111122223333:cluster-snapshot:medplum-prod-copy",
  });

const network = z.discriminatedUnion("mode", [
  z.strictObject({
    mode: z.literal("new"),
    /**
     * The VPC's range: /16 to /22 (AWS allows /16-/28; the layout needs room for four subnets of /prefix+2). The AWS
     * provider validates aws_vpc.cidr_block with IsCIDRNetwork(16, 28) (internal/service/ec2/vpc_.go): the network
     * address, host bits zero.
     */
    cidr: ipv4Cidr({ minPrefix: 16, maxPrefix: 22, example: "10.40.0.0/16", hostBits: "AWS requires the network address for a VPC" }),
    /**
     * One NAT gateway per availability zone keeps egress up when a zone fails; one in total is cheaper for drills.
     * @default true
     */
    natGatewayPerZone: z.boolean().default(true),
  }),
  z.strictObject({
    mode: z.literal("existing"),
    vpcId: ec2Id("vpc", "a VPC id"),
    publicSubnetIds: z.array(ec2Id("subnet", "a subnet id")).min(2, "needs at least two subnets in different zones"),
    privateSubnetIds: z.array(ec2Id("subnet", "a subnet id")).min(2, "needs at least two subnets in different zones"),
  }),
]);

const restore = z.discriminatedUnion("mode", [
  z.strictObject({
    mode: z.literal("snapshot"),
    /** A DB snapshot (RDS) or DB cluster snapshot (Aurora) already copied into the recovery region; ARN or identifier. */
    snapshotIdentifier: checkedString((value) =>
      value.startsWith("arn:")
        ? snapshotArn(value)
        : RDS_SNAPSHOT_IDENTIFIER.test(value)
          ? undefined
          : "is not an RDS snapshot identifier (1-255 letters, digits and hyphens, starting with a letter, no two hyphens in a row, no hyphen at the end; automated ones start with rds:) nor a snapshot ARN such as arn:aws:rds:us-west-2:111122223333:cluster-snapshot:medplum-prod-copy",
    ),
    /** When the snapshot was taken; lets the plan report state the RPO. @default - unknown: the report says so */
    snapshotTakenAt: pastTimestamp.optional(),
  }),
  z.strictObject({
    mode: z.literal("point-in-time"),
    /** The ARN of the automated backups replicated into the recovery region (aws_db_instance_automated_backups_replication). */
    automatedBackupsArn: arn({
      service: "rds",
      what: "an RDS automated backups",
      // The id of aws_db_instance_automated_backups_replication (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReplicateBackups.html).
      resource: /^auto-backup:ab-[A-Za-z0-9]{1,255}$/,
      resourceForm: "auto-backup:ab-<id>",
      example: "arn:aws:rds:us-west-2:111122223333:auto-backup:ab-l2ijcexjp7xq7hoj4siexample",
    }),
    /** `latest` for the latest restorable time, or a past RFC 3339 time. */
    time: restorePoint,
  }),
]);

const database = z.strictObject({
    engine: z.enum(["aurora-postgresql", "postgres"]),
    /** Must match the version the snapshot or backup was taken with; minor upgrades can follow later. */
    engineVersion: z.string().regex(/^1[4-9](\.\d+)?$/, "is not a PostgreSQL version 14 or later such as 16.6 (Medplum needs Postgres 14+)"),
    /** db.<family>.<size> (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.html). */
    instanceClass: z.string().regex(/^db\.[a-z][a-z0-9-]*\.[a-z0-9]+$/, "is not an RDS instance class such as db.r6g.large"),
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
    kmsKeyArn: arn({
      service: "kms",
      what: "a KMS key",
      // Key ids are UUIDs, multi-Region keys mrk- and 32 hex digits (https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id).
      resource: /^key\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/,
      resourceForm: "key/<key id> (an alias ARN would be read back as the key ARN and force a new database)",
      example: "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    }).optional(),
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
  /** cache.<family>.<size> (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html). */
  nodeType: z.string().regex(/^cache\.[a-z][a-z0-9-]*\.[a-z0-9]+$/, "is not an ElastiCache node type such as cache.t4g.medium"),
  /** More than one node enables Multi-AZ with automatic failover. @default 2 */
  nodes: z.number().int().min(1).max(6).default(2),
  engineVersion: z.string().regex(/^[7-9]\.\d+$/, "is not a Redis version 7 or later such as 7.1 (Medplum needs Redis 7+)").default("7.1"),
  /** Secrets Manager secret (plain string) in the recovery region holding the Redis AUTH token. */
  authTokenSecretArn: secretArn("arn:aws:secretsmanager:us-west-2:111122223333:secret:medplum/redis-AbCdEf"),
});

const storage = z.discriminatedUnion("mode", [
  z.strictObject({
    /** The replica bucket that S3 replication has kept in the recovery region. */
    mode: z.literal("existing"),
    bucketName: s3BucketName,
  }),
  z.strictObject({
    mode: z.literal("new"),
    bucketName: s3BucketName,
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
    /** 1-128 characters (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html). @default recovery */
    setIdentifier: z
      .string()
      .regex(/^[\x20-\x7e]{1,128}$/, "is not a Route 53 set identifier (1-128 printable characters); give the same identifier style as the primary's record, e.g. recovery")
      .default("recovery"),
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
    accountId: z.string().regex(AWS_ACCOUNT_ID, "is not a 12-digit AWS account id such as 111122223333").optional(),
    /**
     * Named rather than looked up so the plan needs no AWS reads. Zone names are the region code and a letter
     * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-regions-availability-zones.html#concepts-availability-zones).
     */
    availabilityZones: z
      .array(z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}[a-z]$/, "is not an availability zone name such as us-west-2a"))
      .min(2, "needs at least two availability zones"),
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
      applicationSecretArn: secretArn("arn:aws:secretsmanager:us-west-2:111122223333:secret:medplum/app-AbCdEf"),
    }),
    tls: z.strictObject({
      /** ACM certificate in the recovery region covering the api host name (issued in peacetime: validation can take an hour). */
      certificateArn: arn({
        service: "acm",
        what: "an ACM certificate",
        // Certificate ids are UUIDs (https://docs.aws.amazon.com/acm/latest/APIReference/API_CertificateDetail.html).
        resource: /^certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
        resourceForm: "certificate/<certificate id>",
        example: "arn:aws:acm:us-west-2:111122223333:certificate/0a1b2c3d-0000-4000-8000-000000000000",
      }),
    }),
    dns: z.strictObject({
      /** Upper-case letters and digits, at most 32 (https://docs.aws.amazon.com/Route53/latest/APIReference/API_HostedZone.html), without "/hostedzone/". */
      hostedZoneId: z.string().regex(/^Z[A-Z0-9]{5,31}$/, "is not a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ (the id alone, without /hostedzone/)"),
      routing: dnsRouting,
    }),
    alerts: z.strictObject({
      emails: z.array(emailAddress).default([]),
      /** An existing SNS topic (e.g. wired to a pager); @default - a new topic */
      topicArn: arn({
        service: "sns",
        what: "an SNS topic",
        // 1-256 letters, digits, hyphens and underscores, .fifo for FIFO topics (https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html).
        resource: /^[A-Za-z0-9_-]{1,256}(\.fifo)?$/,
        resourceForm: "<topic name>",
        example: "arn:aws:sns:us-west-2:111122223333:oncall",
      }).optional(),
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
