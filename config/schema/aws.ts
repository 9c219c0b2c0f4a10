/**
 * `targets.aws`: recovery into an AWS region. Everything the plan needs is named here rather than looked up, so the
 * stack plans with no AWS reads beyond the Redis auth token.
 */
import { z } from "zod";
import { AWS_DATABASE_ENGINES, awsDatabaseEngine, type AwsEngineName } from "../../modules/aws/engines";
import { arnRegion, type CrossFieldProblem, type CrossFieldRule } from "./cross-field";
import { emailAddress, pastTimestamp, restorePoint, stateBackend } from "./common";
import { keepsStandingInfrastructure, STANDBY_TIERS, type StandbyTier } from "../../modules/standby-contracts";
import { replicaNames } from "../../modules/aws/standing-names";
import {
  arn,
  arnProblem as arnProblemOf,
  AWS_ACCOUNT_ID,
  AWS_REGION,
  checkedString,
  ipv4Cidr,
  RDS_SNAPSHOT_IDENTIFIER,
  redisHost as ownRedisHost,
  s3BucketName,
} from "./identifiers";

const awsRegion = z.string().regex(AWS_REGION, "is not an AWS region name such as us-west-2");
/** EC2 resource ids: a prefix and 8 or 17 hex digits (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html). */
const ec2Id = (prefix: string, what: string) =>
  z
    .string()
    .regex(new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`), `is not ${what} (${prefix}- and 8 or 17 hex digits) such as ${prefix}-0abc1234def567890`);

/**
 * Secrets Manager secret ARNs: `secret:<name>-<6 random characters>`; names are 1-512 letters, digits and /_+=.@-
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html#API_CreateSecret_RequestSyntax).
 */
const secretArn = (example: string) =>
  arn({
    service: "secretsmanager",
    what: "a Secrets Manager secret",
    resource: /^secret:[A-Za-z0-9/_+=.@-]{1,519}$/,
    resourceForm: "secret:<name>-<suffix>",
    example,
  });

/** RDS snapshot ARNs (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Tagging.ARN.Constructing.html): snapshot: or cluster-snapshot: and the identifier. */
const snapshotArn = (value: string) =>
  arnProblemOf(value, {
    service: "rds",
    what: "an RDS snapshot",
    resource: new RegExp(`^(snapshot|cluster-snapshot):${RDS_SNAPSHOT_IDENTIFIER.source.slice(1)}`),
    resourceForm: "snapshot:<identifier> or cluster-snapshot:<identifier>",
    example: "arn:aws:rds:us-west-2:111122223333:cluster-snapshot:medplum-prod-copy",
  });

/**
 * RDS DB instance and DB cluster identifiers (CreateDBInstance / CreateDBCluster,
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html): 1-63 letters, digits and
 * hyphens, starting with a letter, no two hyphens in a row, no hyphen at the end.
 */
const rdsIdentifier = checkedString(
  (value) =>
    /^(?=.{1,63}$)[A-Za-z](-?[A-Za-z0-9])*$/.test(value)
      ? undefined
      : "is not an RDS identifier (1-63 letters, digits and hyphens, starting with a letter, no two hyphens in a row, no hyphen at the end) such as medplum-prod",
  /^[A-Za-z][A-Za-z0-9-]{0,62}$/,
);

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
    /**
     * `standby`: no snapshot is named; at plan time the recovery restores the newest AWS Backup recovery point of
     * targets.aws.standby.database.identifier in the recovery region (the copies standby-aws keeps). Give either this
     * or snapshotIdentifier. @default - the snapshot named by snapshotIdentifier
     */
    source: z.literal("standby").optional(),
    /** A DB snapshot (RDS) or DB cluster snapshot (Aurora) already copied into the recovery region; ARN or identifier. */
    snapshotIdentifier: checkedString((value) =>
      value.startsWith("arn:")
        ? snapshotArn(value)
        : RDS_SNAPSHOT_IDENTIFIER.test(value)
          ? undefined
          : "is not an RDS snapshot identifier (1-255 letters, digits and hyphens, starting with a letter, no two hyphens in a row, no hyphen at the end; automated ones start with rds:) nor a snapshot ARN such as arn:aws:rds:us-west-2:111122223333:cluster-snapshot:medplum-prod-copy",
    ).optional(),
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
  z.strictObject({
    /**
     * Warm standby (targets.aws.standby.tier warm-standby): the live replica standby-aws keeps in the recovery region,
     * the Aurora Global Database secondary cluster (engine aurora-postgresql) or the cross-region read replica (engine
     * postgres), is imported into the recovery's state and promoted in place: detached from the global cluster, or
     * promoted to a standalone instance. Nothing is restored (docs/targets/aws.md, "Warm standby").
     */
    mode: z.literal("replica-promotion"),
    /**
     * The replica to promote: the one standby-aws keeps, `<environment>-replica` (checked). Named here so the runbook
     * and the review say what is promoted. @default <environment>-replica
     */
    replicaIdentifier: rdsIdentifier.optional(),
    /**
     * A Secrets Manager secret in the recovery region with the primary's master credentials (JSON keys username and
     * password): typically the replica of the primary's own secret. A promoted replica keeps the primary's master user
     * and password, and RDS cannot manage them in Secrets Manager for a member of an Aurora global database or a read
     * replica, so the servers read these.
     */
    masterSecretArn: secretArn("arn:aws:secretsmanager:us-west-2:111122223333:secret:medplum/db-master-AbCdEf"),
  }),
]);

const database = z.strictObject({
  engine: z.enum(Object.keys(AWS_DATABASE_ENGINES) as [AwsEngineName, ...AwsEngineName[]]),
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
  caBundleFile: z
    .string()
    .regex(/^[^\0]+\.(pem|crt)$/, "is not the path of a .pem (or .crt) file such as config/rds-us-west-2-bundle.pem")
    .optional(),
});

/** Secrets Manager secret (plain string) in the recovery region holding the Redis AUTH token. */
const redisTokenSecretArn = secretArn("arn:aws:secretsmanager:us-west-2:111122223333:secret:medplum/redis-AbCdEf");

/** Where an existing Redis answers: a host name or an IPv4 address, without scheme or port. */
const redisHost = ownRedisHost("master.medplum-redis.abc123.usw2.cache.amazonaws.com");

const cache = z.discriminatedUnion("mode", [
  z.strictObject({
    /** A new ElastiCache replication group in the private subnets. @default new */
    mode: z.literal("new").default("new"),
    /** cache.<family>.<size> (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html). */
    nodeType: z.string().regex(/^cache\.[a-z][a-z0-9-]*\.[a-z0-9]+$/, "is not an ElastiCache node type such as cache.t4g.medium"),
    /** More than one node enables Multi-AZ with automatic failover. @default 2 */
    nodes: z.number().int().min(1).max(6).default(2),
    engineVersion: z
      .string()
      .regex(/^[7-9]\.\d+$/, "is not a Redis version 7 or later such as 7.1 (Medplum needs Redis 7+)")
      .default("7.1"),
    authTokenSecretArn: redisTokenSecretArn,
  }),
  z.strictObject({
    /**
     * A Redis the team runs itself (its own ElastiCache, Redis on EC2, a managed service reached privately): the
     * recovery creates no cache and only lets the servers reach it. Medplum needs Redis 7 or later.
     */
    mode: z.literal("existing"),
    host: redisHost,
    /** @default 6379 */
    port: z.number().int().min(1).max(65535).default(6379),
    /** Whether the Redis speaks TLS; the servers connect with TLS when it does. @default true */
    tls: z.boolean().default(true),
    /** The secret holding the Redis password (AUTH token); the servers read it at run time, Terraform never does. */
    authTokenSecretArn: redisTokenSecretArn,
    /**
     * How the servers reach it: the Redis's own security group (the recovery adds one ingress rule to it, from the
     * servers, and owns only that rule) or an address range (a Redis outside the VPC's security groups).
     */
    reachableAt: z.union([
      z.strictObject({ securityGroupId: ec2Id("sg", "a security group id") }),
      z.strictObject({ cidr: ipv4Cidr({ example: "10.50.8.0/24", hostBits: "a security group rule uses the network address" }) }),
    ]),
  }),
]);

/**
 * Load balancer and target group names: 1-32 letters, digits and hyphens, no hyphen at either end
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html), or their ARN.
 */
const elbNameOrArn = (kind: "loadbalancer" | "targetgroup", example: string, arnExample: string) =>
  checkedString((value) =>
    value.startsWith("arn:")
      ? arnProblemOf(value, {
          service: "elasticloadbalancing",
          what: kind === "loadbalancer" ? "an application load balancer" : "a target group",
          resource: kind === "loadbalancer" ? /^loadbalancer\/app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/ : /^targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/,
          resourceForm: kind === "loadbalancer" ? "loadbalancer/app/<name>/<id>" : "targetgroup/<name>/<id>",
          example: arnExample,
        })
      : /^(?=.{1,32}$)[A-Za-z0-9](-?[A-Za-z0-9])*$/.test(value)
        ? undefined
        : `is not a ${kind === "loadbalancer" ? "load balancer" : "target group"} name (1-32 letters, digits and single hyphens, no hyphen at either end) nor its ARN; give e.g. ${example}`,
  );

const loadBalancer = z.discriminatedUnion("mode", [
  /** A new internet-facing ALB with an HTTPS listener (certificate: targets.aws.tls) and a target group. @default new */
  z.strictObject({ mode: z.literal("new").default("new") }),
  z.strictObject({
    /**
     * A load balancer the team runs itself (behind its WAF, say): the recovery creates no ALB, listener or target
     * group, finds them at plan time, and registers the servers in the target group.
     */
    mode: z.literal("existing"),
    /** The application load balancer, by name or ARN, in the recovery region. */
    loadBalancer: elbNameOrArn(
      "loadbalancer",
      "platform-edge",
      "arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/app/platform-edge/50dc6c495c0c9188",
    ),
    /** Its target group for Medplum, by name or ARN: target type ip, HTTP on 8103, health check on /healthcheck (checked at plan time). */
    targetGroup: elbNameOrArn("targetgroup", "medplum-api", "arn:aws:elasticloadbalancing:us-west-2:111122223333:targetgroup/medplum-api/73e2d6bc24d8a067"),
    /** The port of its HTTPS listener that forwards to the target group. @default 443 */
    httpsListenerPort: z.number().int().min(1).max(65535).default(443),
    /** The load balancer's security group; the recovery adds one egress rule to the servers to it and owns only that rule. */
    securityGroupId: ec2Id("sg", "a security group id"),
  }),
]);

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
   * The failover pair standby-aws keeps (targets.aws.standby.failoverRecords) does the switch: its SECONDARY record
   * already points at the standing load balancer the recovery adopts, so Route 53 sends users over as soon as the
   * recovered servers pass its health checks, a data-plane action. The recovery writes no record: a second one for
   * the same name would fight standby-aws's (Route 53 refuses a plain record beside a failover pair).
   */
  z.strictObject({ mode: z.literal("standby-failover") }),
  /**
   * Create the SECONDARY half of a Route 53 failover pair with a health check on /healthcheck; the primary region's
   * PRIMARY record (same name, `setIdentifier` given here) stays as it is.
   */
  z.strictObject({
    mode: z.literal("failover"),
    /** 1-128 characters (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html). @default recovery */
    setIdentifier: z
      .string()
      .regex(
        /^[\x20-\x7e]{1,128}$/,
        "is not a Route 53 set identifier (1-128 printable characters); give the same identifier style as the primary's record, e.g. recovery",
      )
      .default("recovery"),
  }),
]);

/**
 * The DR tiers, in AWS's vocabulary (https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html),
 * each preparing everything the one before it does: all three are built.
 */
export type AwsStandbyTier = StandbyTier;

/**
 * CloudFront distribution ARNs carry no region, CloudFront being global
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudfront.html#amazoncloudfront-resources-for-iam-policies):
 * `arn:<partition>:cloudfront::<account>:distribution/<id>`, the id being upper-case letters and digits such as
 * EDFDVBD6EXAMPLE (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_GetDistribution.html).
 */
export function cloudfrontDistributionArnProblem(value: string): string | undefined {
  const wrong = (detail: string) =>
    `is not a CloudFront distribution ARN${detail === "" ? "" : `: ${detail}`}; expected arn:<partition>:cloudfront::<account>:distribution/<id>, such as arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE`;
  const parts = value.split(":");
  if (parts[0] !== "arn" || parts.length !== 6) return wrong("");
  const [, partition = "", service = "", region = "", account = "", resource = ""] = parts;
  if (!/^aws(-[a-z]+)*$/.test(partition)) return wrong(`partition "${partition}" is not an AWS partition`);
  if (service !== "cloudfront") return wrong(service === "" ? "it names no service" : `it is a ${service} ARN`);
  if (region !== "") return wrong(`it names region "${region}", and CloudFront ARNs name none`);
  if (!AWS_ACCOUNT_ID.test(account)) return wrong(`account "${account}" is not a 12-digit account id`);
  if (!/^distribution\/[A-Z0-9]{1,32}$/.test(resource)) return wrong(`resource "${resource}" is not distribution/<id>`);
  return undefined;
}

const cloudfrontDistributionArn = checkedString(cloudfrontDistributionArnProblem, /^arn:aws(-[a-z]+)*:cloudfront::\d{12}:distribution\/[A-Z0-9]{1,32}$/);

/** AWS Backup runs at most hourly; these divide a day, so every copy is the same age at the same hour. */
export const BACKUP_INTERVAL_HOURS = [1, 2, 3, 4, 6, 8, 12, 24] as const;

/**
 * `targets.aws.standby`: what `standby-aws` prepares in peacetime, from the primary's side (docs/standby.md). Everything
 * it attaches to the primary is named here; the primary's resources themselves stay owned by whoever built them.
 */
const standby = z.strictObject({
  /**
   * backup-restore: recovery points and replicas; pilot-light: plus the network, ECS cluster, load balancer, roles and
   * log group the recovery adopts; warm-standby: plus a live replica of the database the recovery promotes.
   */
  tier: checkedString(
    (tier) =>
      (STANDBY_TIERS as readonly string[]).includes(tier) ? undefined : `is not a DR tier; use one of ${STANDBY_TIERS.map((t) => `"${t}"`).join(", ")}`,
    new RegExp(`^(${STANDBY_TIERS.join("|")})$`),
  ).transform((tier) => tier as AwsStandbyTier),
  /**
   * standby-aws's own state; never the recovery's (a shared state would let one stack's apply destroy the other's
   * resources). @default - local, state/standby-aws.tfstate
   */
  backend: stateBackend.default({ type: "local" }),
  database: z.strictObject({
    /** The primary's Aurora cluster identifier (engine aurora-postgresql) or DB instance identifier (engine postgres). */
    identifier: rdsIdentifier,
    /** How often AWS Backup takes a recovery point and copies it into the recovery region: the database RPO. @default 1 */
    backupEveryHours: z
      .number()
      .refine((hours) => (BACKUP_INTERVAL_HOURS as readonly number[]).includes(hours), {
        message: `is not an interval AWS Backup can keep evenly; use one of ${BACKUP_INTERVAL_HOURS.join(", ")} hours`,
      })
      .default(1),
    /** Days a recovery point stays in the primary region's vault. @default 7 */
    retentionDays: z.number().int().min(1).max(3650).default(7),
    /** Days a copy stays in the recovery region's vault. @default 14 */
    copyRetentionDays: z.number().int().min(1).max(3650).default(14),
    /**
     * engine postgres only: days of automated backups replicated into the recovery region for point-in-time restore
     * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReplicateBackups.html). @default 7
     */
    automatedBackupsRetentionDays: z.number().int().min(1).max(35).default(7),
  }),
  storage: z.strictObject({
    /** The primary's binaries bucket. */
    primaryBucketName: s3BucketName,
    /**
     * The replica in the recovery region, which standby-aws creates and owns; the recovery adopts it as
     * targets.aws.storage (mode existing, the same bucketName).
     */
    replicaBucketName: s3BucketName,
    /**
     * The KMS key the primary bucket's objects are encrypted with, when SSE-KMS; replication must decrypt them.
     * @default - SSE-S3 (or unencrypted) objects only
     */
    primaryBucketKmsKeyArn: arn({
      service: "kms",
      what: "a KMS key",
      resource: /^key\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/,
      resourceForm: "key/<key id>",
      example: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    }).optional(),
    /**
     * S3 Replication Time Control: 99.99% of objects within 15 minutes, at extra cost
     * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html). @default false
     */
    replicationTimeControl: z.boolean().default(false),
  }),
  /**
   * Secrets Manager secrets in the primary region that the recovery reads from their replicas (the application
   * secret, the Redis token). standby-aws does not own them, so it cannot add the replica; it checks at every plan
   * that each replica exists in the recovery region (docs/standby.md, "Secrets"). @default []
   */
  replicatedSecretArns: z.array(secretArn("arn:aws:secretsmanager:us-east-1:111122223333:secret:medplum/app-AbCdEf")).default([]),
  /** Request and DNS-validate an ACM certificate for the api host in the recovery region. @default true */
  issueCertificate: z.boolean().default(true),
  /** A Route 53 health check on https://<api host>/healthcheck with an alarm, so the outage itself pages. @default true */
  watchPrimary: z.boolean().default(true),
  /**
   * The Route 53 failover record pair for the api host, created in peacetime so that the switch on the day is Route 53
   * answering from its data plane, not a change through its control plane (in us-east-1): PRIMARY aliases the primary's
   * entry point with a health check on it, SECONDARY aliases the standing load balancer (tiers pilot-light and
   * warm-standby). standby-aws then owns the api host's A record: the primary's own record of that name must be removed
   * in the same change (docs/standby.md, "Failover records"). @default - none: the recovery's traffic step switches DNS
   */
  failoverRecords: z
    .strictObject({
      /** The primary's entry point the PRIMARY record aliases: its load balancer's DNS name. */
      primaryDnsName: z
        .string()
        .regex(
          /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
          "is not a DNS name such as medplum-prod-alb-123456789.us-east-1.elb.amazonaws.com (lower case, no trailing dot)",
        ),
      /** The canonical hosted zone id of that load balancer (an alias target's zone, https://docs.aws.amazon.com/general/latest/gr/elb.html). */
      primaryZoneId: z
        .string()
        .regex(/^Z[A-Z0-9]{5,31}$/, "is not a hosted zone id such as Z35SXDOTRQ7X7K (the load balancer's canonical zone, without /hostedzone/)"),
      /** 1-128 characters (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html). @default primary */
      primarySetIdentifier: z
        .string()
        .regex(/^[\x20-\x7e]{1,128}$/, "is not a Route 53 set identifier (1-128 printable characters) such as primary")
        .default("primary"),
      /** @default recovery */
      secondarySetIdentifier: z
        .string()
        .regex(/^[\x20-\x7e]{1,128}$/, "is not a Route 53 set identifier (1-128 printable characters) such as recovery")
        .default("recovery"),
    })
    .optional(),
  /**
   * The primary's CloudFront distributions, which standby-aws does not own: it prepares the replica so that the
   * origin switch on the day is one UpdateDistribution call (docs/standby.md, "AWS: the storage and app hostnames"):
   * an origin access control, a replica bucket policy statement and a standby key policy statement for them.
   * @default - none: nothing is prepared for CloudFront
   */
  cloudfront: z
    .strictObject({
      /**
       * The distribution on medplum.hostnames.storage. The replica's bucket policy lets it read the replicated
       * binaries, and the standby key lets it decrypt them.
       */
      storageDistributionArn: cloudfrontDistributionArn,
      /**
       * The distribution on medplum.hostnames.app. The app bucket is not replicated by standby-aws; this grants the
       * distribution the standby key only, for an app copy the team publishes into a recovery-region bucket encrypted
       * with it. Never the replica's bucket policy: the app distribution serves without signed URLs, so it must not
       * reach the binaries. @default - none
       */
      appDistributionArn: cloudfrontDistributionArn.optional(),
    })
    .optional(),
});

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
  /** The entry point: a new ALB, or the team's own. @default - mode new */
  loadBalancer: loadBalancer.default({ mode: "new" }),
  /** Required with loadBalancer mode new; an existing load balancer's listener carries its own certificate. */
  tls: z
    .strictObject({
      /** ACM certificate in the recovery region covering the api host name (issued in peacetime: validation can take an hour). */
      certificateArn: arn({
        service: "acm",
        what: "an ACM certificate",
        // Certificate ids are UUIDs (https://docs.aws.amazon.com/acm/latest/APIReference/API_CertificateDetail.html).
        resource: /^certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
        resourceForm: "certificate/<certificate id>",
        example: "arn:aws:acm:us-west-2:111122223333:certificate/0a1b2c3d-0000-4000-8000-000000000000",
      }),
    })
    .optional(),
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
  /** Peacetime preparation by the standby-aws stack (docs/standby.md). @default - none: no standby-aws stack */
  standby: standby.optional(),
});

export type AwsStandbyConfig = z.infer<typeof standby>;
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
      return doc
        .strings([...AWS, "availabilityZones"])
        .flatMap((zone, index): CrossFieldProblem[] =>
          zone !== undefined && !zone.startsWith(region)
            ? [{ path: [...AWS, "availabilityZones", index], message: `is not in the recovery region ${region}` }]
            : [],
        );
    },
  },
  {
    description: "The state backend survives the loss of the primary region.",
    check: (doc) => {
      const primary = doc.string([...AWS, "primaryRegion"]);
      const region = doc.string([...AWS, "region"]);
      return doc.string([...AWS, "backend", "type"]) === "s3" && primary !== undefined && doc.string([...AWS, "backend", "region"]) === primary
        ? [
            {
              path: [...AWS, "backend", "region"],
              message: `is the primary region; the state must survive its loss, so keep it in ${region ?? "the recovery region"} or another region`,
            },
          ]
        : [];
    },
  },
  {
    description: "Aurora can only be restored into another region from a cluster snapshot.",
    check: (doc) =>
      awsDatabaseEngine(doc.string([...AWS, "database", "engine"]))?.pointInTimeAcrossRegions === false &&
      doc.string([...AWS, "database", "restore", "mode"]) === "point-in-time"
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
      const engine = awsDatabaseEngine(doc.string([...AWS, "database", "engine"]));
      const snapshot = doc.string([...AWS, "database", "restore", "snapshotIdentifier"]);
      if (engine === undefined || snapshot === undefined || !snapshot.startsWith("arn:")) return [];
      const kind = snapshot.split(":")[5];
      const expected = engine.snapshotArnKind;
      return kind !== expected
        ? [
            {
              path: [...AWS, "database", "restore", "snapshotIdentifier"],
              message: `is a ${kind ?? "malformed"} ARN; engine ${engine.name} restores from a ${expected} ARN`,
            },
          ]
        : [];
    },
  },
  {
    description: "A snapshot restore names its snapshot, or says it restores standby-aws's newest recovery point.",
    check: (doc) => {
      const restore = [...AWS, "database", "restore"];
      if (doc.string([...restore, "mode"]) !== "snapshot") return [];
      const named = doc.has([...restore, "snapshotIdentifier"]);
      const fromStandby = doc.has([...restore, "source"]);
      if (named && fromStandby) {
        return [
          {
            path: [...restore, "source"],
            message: "is given with snapshotIdentifier; give one: the snapshot to restore, or source standby for the newest recovery point standby-aws keeps",
          },
        ];
      }
      if (!named && !fromStandby) {
        return [
          {
            path: [...restore, "snapshotIdentifier"],
            message: 'is required with mode snapshot, unless source is "standby" (the newest recovery point standby-aws keeps)',
          },
        ];
      }
      if (fromStandby && doc.has([...restore, "snapshotTakenAt"])) {
        return [
          { path: [...restore, "snapshotTakenAt"], message: "is given with source standby, whose recovery point's time is read at plan time; remove it" },
        ];
      }
      return fromStandby && !doc.has([...AWS, "standby", "database", "identifier"])
        ? [
            {
              path: [...restore, "source"],
              message:
                "needs targets.aws.standby, which is not set; add the standby section (its database.identifier names whose recovery points to restore) or name a snapshotIdentifier",
            },
          ]
        : [];
    },
  },
  {
    description: "A warm standby keeps a live replica, which the recovery promotes; the recovery promotes no other replica.",
    check: (doc) => {
      const restore = [...AWS, "database", "restore"];
      const tier = doc.string([...AWS, "standby", "tier"]);
      const mode = doc.string([...restore, "mode"]);
      const replica = replicaNames(`${doc.string(["environment"])}`).replica;
      if (tier === "warm-standby" && mode !== undefined && mode !== "replica-promotion") {
        return [
          {
            path: [...restore, "mode"],
            message: `does not promote the live replica ${replica} that standby tier warm-standby keeps for the recovery; use mode "replica-promotion" with masterSecretArn`,
          },
        ];
      }
      if (mode !== "replica-promotion") return [];
      if (tier !== "warm-standby") {
        return [
          {
            path: [...restore, "mode"],
            message: `promotes the replica standby-aws keeps in tier warm-standby, but ${tier === undefined ? "targets.aws.standby is not set" : `targets.aws.standby.tier is ${JSON.stringify(tier)}`}; set tier "warm-standby", or use mode "snapshot" or "point-in-time"`,
          },
        ];
      }
      const named = doc.string([...restore, "replicaIdentifier"]);
      return named !== undefined && named !== replica
        ? [
            {
              path: [...restore, "replicaIdentifier"],
              message: `is not the replica standby-aws keeps (${replica}); name that replica or leave replicaIdentifier out`,
            },
          ]
        : [];
    },
  },
  {
    description: "A new load balancer has a certificate; an existing one brings its own.",
    check: (doc) => {
      if (!doc.has([...AWS])) return [];
      const mode = doc.string([...AWS, "loadBalancer", "mode"]) ?? "new";
      // In a standing tier the recovery adopts standby-aws's listener, which carries the certificate already.
      const standing = keepsStandingInfrastructure(doc.string([...AWS, "standby", "tier"]));
      if (mode === "new" && !standing && !doc.has([...AWS, "tls"])) {
        return [
          {
            path: [...AWS, "tls"],
            message:
              "is required: a new load balancer (targets.aws.loadBalancer mode new) needs tls.certificateArn, an ACM certificate in the recovery region for the api host",
          },
        ];
      }
      return mode === "existing" && doc.has([...AWS, "tls"])
        ? [{ path: [...AWS, "tls"], message: "is not used: targets.aws.loadBalancer is mode existing, whose listener carries its own certificate; remove tls" }]
        : [];
    },
  },
  {
    description: "The load balancer a standing tier builds has a certificate: its own, or the one the recovery names.",
    check: (doc) => {
      const tier = doc.string([...AWS, "standby", "tier"]);
      if (tier !== "pilot-light" && tier !== "warm-standby") return [];
      return doc.value([...AWS, "standby", "issueCertificate"]) === false && !doc.has([...AWS, "tls"])
        ? [
            {
              path: [...AWS, "standby", "issueCertificate"],
              message: `with targets.aws.tls not set leaves the ${tier} load balancer without a certificate; leave issueCertificate on or give tls.certificateArn`,
            },
          ]
        : [];
    },
  },
  {
    description: "In the pilot-light and warm-standby tiers the recovery adopts the load balancer standby-aws keeps standing, not another one.",
    check: (doc) => {
      const tier = doc.string([...AWS, "standby", "tier"]);
      return keepsStandingInfrastructure(tier) && doc.string([...AWS, "loadBalancer", "mode"]) === "existing"
        ? [
            {
              path: [...AWS, "loadBalancer", "mode"],
              message: `is not available with standby tier ${tier}: standby-aws keeps a load balancer standing that the recovery adopts; use mode "new" (or tier "backup-restore")`,
            },
          ]
        : [];
    },
  },
  {
    description: "The api record has one owner: standby-aws's failover pair, or the recovery's traffic step.",
    check: (doc) => {
      const routing = doc.string([...AWS, "dns", "routing", "mode"]);
      const pair = doc.has([...AWS, "standby", "failoverRecords"]);
      if (pair && routing !== "standby-failover") {
        return [
          {
            path: [...AWS, "dns", "routing", "mode"],
            message:
              'writes a record for the api host that standby-aws\'s failover pair (targets.aws.standby.failoverRecords) owns; use mode "standby-failover"',
          },
        ];
      }
      return !pair && routing === "standby-failover"
        ? [
            {
              path: [...AWS, "dns", "routing", "mode"],
              message: 'needs the failover pair of targets.aws.standby.failoverRecords, which is not set; set it, or use mode "cut-over" or "failover"',
            },
          ]
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
        ["database", "restore", "masterSecretArn"],
        ["database", "kmsKeyArn"],
        ["cache", "authTokenSecretArn"],
        ["secrets", "applicationSecretArn"],
        ["tls", "certificateArn"],
        ["loadBalancer", "loadBalancer"],
        ["loadBalancer", "targetGroup"],
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
    description: "The recovery never creates a bucket of the name standby-aws creates its replica under.",
    check: (doc) => {
      const replica = doc.string([...AWS, "standby", "storage", "replicaBucketName"]);
      const recovery = doc.string([...AWS, "storage", "bucketName"]);
      const mode = doc.string([...AWS, "storage", "mode"]);
      if (replica === undefined || recovery === undefined) return [];
      // Adopting another existing bucket than the replica is allowed (a drill against a scratch copy, say).
      return mode === "new" && recovery === replica
        ? [
            {
              path: [...AWS, "storage", "bucketName"],
              message: `is targets.aws.standby.storage.replicaBucketName, which standby-aws creates; use mode "existing" to adopt the replica, or another name for a new bucket`,
            },
          ]
        : [];
    },
  },
  {
    description: "The primary bucket and its replica are two buckets.",
    check: (doc) => {
      const primary = doc.string([...AWS, "standby", "storage", "primaryBucketName"]);
      return primary !== undefined && primary === doc.string([...AWS, "standby", "storage", "replicaBucketName"])
        ? [
            {
              path: [...AWS, "standby", "storage", "replicaBucketName"],
              message: "is the primary bucket too; the replica in the recovery region needs a name of its own",
            },
          ]
        : [];
    },
  },
  {
    description: "standby-aws keeps its own state: one shared with recovery-aws would let either apply destroy the other's resources.",
    check: (doc) => {
      if (!doc.has([...AWS, "standby"])) return [];
      const standbyType = doc.string([...AWS, "standby", "backend", "type"]) ?? "local";
      if (standbyType !== doc.string([...AWS, "backend", "type"])) return [];
      const same =
        standbyType === "s3"
          ? doc.string([...AWS, "standby", "backend", "bucket"]) === doc.string([...AWS, "backend", "bucket"]) &&
            doc.string([...AWS, "standby", "backend", "key"]) === doc.string([...AWS, "backend", "key"])
          : standbyType === "local" &&
            doc.string([...AWS, "standby", "backend", "path"]) !== undefined &&
            doc.string([...AWS, "standby", "backend", "path"]) === doc.string([...AWS, "backend", "path"]);
      return same
        ? [
            {
              path: [...AWS, "standby", "backend"],
              message: "is the recovery's state (targets.aws.backend) too; give standby-aws a state of its own (another key or path)",
            },
          ]
        : [];
    },
  },
  {
    description: "What standby-aws attaches to on the primary's side is in the primary region.",
    check: (doc) => {
      const primary = doc.string([...AWS, "primaryRegion"]);
      // A primary region equal to the recovery region is reported once, by the rule above.
      if (primary === undefined || primary === doc.string([...AWS, "region"])) return [];
      const fields: Array<ReadonlyArray<string | number>> = [
        ["standby", "storage", "primaryBucketKmsKeyArn"],
        ...doc.strings([...AWS, "standby", "replicatedSecretArns"]).map((_, index) => ["standby", "replicatedSecretArns", index]),
      ];
      return fields.flatMap((field): CrossFieldProblem[] => {
        const actual = arnRegion(doc.string([...AWS, ...field]));
        return actual !== undefined && actual !== primary
          ? [
              {
                path: [...AWS, ...field],
                message: `is in ${actual}, not the primary region ${primary}; name the primary's own resource, standby-aws copies it into the recovery region`,
              },
            ]
          : [];
      });
    },
  },
  {
    description: "The failover record pair needs a standing entry point for its SECONDARY half, and two distinct set identifiers.",
    check: (doc) => {
      if (!doc.has([...AWS, "standby", "failoverRecords"])) return [];
      const tier = doc.string([...AWS, "standby", "tier"]);
      if (tier === "backup-restore") {
        return [
          {
            path: [...AWS, "standby", "failoverRecords"],
            message:
              'is set with tier "backup-restore", which keeps no load balancer standing for the SECONDARY record; use tier "pilot-light" or "warm-standby", or leave the switch to the recovery (targets.aws.dns.routing)',
          },
        ];
      }
      const primary = doc.string([...AWS, "standby", "failoverRecords", "primarySetIdentifier"]) ?? "primary";
      const secondary = doc.string([...AWS, "standby", "failoverRecords", "secondarySetIdentifier"]) ?? "recovery";
      return primary === secondary
        ? [
            {
              path: [...AWS, "standby", "failoverRecords", "secondarySetIdentifier"],
              message: `is ${JSON.stringify(secondary)}, the PRIMARY record's set identifier too; Route 53 needs a distinct one per record`,
            },
          ]
        : [];
    },
  },
  {
    description: "The CloudFront distributions standby-aws prepares the replica for are the standby account's, and two distinct ones.",
    check: (doc) => {
      const cloudfront = [...AWS, "standby", "cloudfront"];
      if (!doc.has(cloudfront)) return [];
      const secret = doc.string([...AWS, "secrets", "applicationSecretArn"])?.split(":");
      const partition = secret?.[1];
      const account = doc.string([...AWS, "accountId"]) ?? secret?.[4];
      const problems: CrossFieldProblem[] = [];
      for (const field of ["storageDistributionArn", "appDistributionArn"]) {
        const parts = doc.string([...cloudfront, field])?.split(":");
        if (parts === undefined || account === undefined || partition === undefined) continue;
        // The origin access control standby-aws creates lives in its account; a distribution uses its own account's.
        if (parts[1] !== partition || parts[4] !== account) {
          problems.push({
            path: [...cloudfront, field],
            message: `is in account ${parts[4]} (partition ${parts[1]}), not the account standby-aws runs in (${account}, partition ${partition}); cross-account standby is not built`,
          });
        }
      }
      const storage = doc.string([...cloudfront, "storageDistributionArn"]);
      if (storage !== undefined && storage === doc.string([...cloudfront, "appDistributionArn"])) {
        problems.push({
          path: [...cloudfront, "appDistributionArn"],
          message: "is the storage distribution too; the app distribution serves without signed URLs and must be another one",
        });
      }
      return problems;
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
        return [
          {
            path: ["medplum", "server", "cpuMillicores"],
            message: `is not a Fargate size; targets.aws needs one of ${FARGATE_SIZES.map((s) => s.cpuMillicores).join(", ")}`,
          },
        ];
      }
      return memory < size.minMemoryMiB || memory > size.maxMemoryMiB
        ? [
            {
              path: ["medplum", "server", "memoryMiB"],
              message: `does not fit Fargate with ${cpu} millicores; targets.aws needs ${size.minMemoryMiB}-${size.maxMemoryMiB} MiB`,
            },
          ]
        : [];
    },
  },
];
