/**
 * The two AWS database engines as objects, the way aws-cdk's `IClusterEngine` answers `parameterGroupFamily`
 * (https://github.com/aws/aws-cdk/blob/main/packages/aws-cdk-lib/aws-rds/lib/cluster-engine.ts): every question the
 * other files would otherwise answer with `engine === "aurora-postgresql"` (which Terraform type holds the database,
 * the parameter group family and kind, the exported-log group, the metric dimensions and storage alarms, which snapshot
 * kind it restores from, the creation-time estimates) is a property of the engine. A third engine is a third object.
 *
 * No provider import here: the config rules and the plan report read these facts without loading the provider.
 */

export type AwsEngineName = "aurora-postgresql" | "postgres";

/** A storage alarm the engine's metrics support, in the monitoring step's terms. */
export interface EngineStorageAlarm {
  /** The alarm's construct id (part of its Terraform address and name: never change it). */
  readonly id: string;
  readonly description: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** Bytes below which the alarm fires. */
  readonly thresholdBytes: number;
}

/** A creation-time estimate of one of the engine's resource types, for report/estimates.ts. */
export interface EngineCreationEstimate {
  readonly type: string;
  readonly variant?: string;
  /** The entry covers resources of `type` on which any of these attributes is set; absent for the type's default. */
  readonly whenSet?: readonly string[];
  readonly low: number;
  readonly typical: number;
  readonly high: number;
  readonly source: string;
}

export interface AwsDatabaseEngine {
  /** The value of `targets.aws.database.engine` and of the resources' `engine` argument. */
  readonly name: AwsEngineName;
  /** The Terraform type that holds the restored data (the Aurora cluster or the RDS instance). */
  readonly resourceType: "aws_rds_cluster" | "aws_db_instance";
  /** Arguments that restore data into a new database; set once, ignored after (facts/force-new.ts). */
  readonly restoreInputs: readonly string[];
  /** `cluster` (aws_rds_cluster_parameter_group) or `instance` (aws_db_parameter_group): also the construct id. */
  readonly parameterGroupKind: "cluster" | "instance";
  /** `<engine><major>`, e.g. aurora-postgresql16 (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithParamGroups.html). */
  parameterGroupFamily(engineVersion: string): string;
  /** The logs the database exports to CloudWatch. */
  readonly logExports: readonly string[];
  /**
   * The group RDS exports a log to: /aws/rds/cluster/<id>/<log> for Aurora, /aws/rds/instance/<id>/<log> for RDS
   * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.Procedural.UploadtoCloudWatch.html).
   */
  logGroupName(identifier: string, log: string): string;
  /** The `AWS/RDS` dimensions of the database as a whole (CPU and friends). */
  metricDimensions(resourceId: string): Readonly<Record<string, string>>;
  /** What runs out first and how to watch it. */
  storageAlarms(database: {
    readonly resourceId: string;
    readonly instanceIds: readonly string[];
    readonly allocatedStorageGiB: number;
    readonly freeLocalStorageGiB: number;
  }): readonly EngineStorageAlarm[];
  /** The data source that finds this engine's snapshots (restore.source standby, recovery-point.ts). */
  readonly snapshotLookup: "aws_db_cluster_snapshot" | "aws_db_snapshot";
  /** The ARN resource kind a snapshot of this engine has (`cluster-snapshot:` or `snapshot:`). */
  readonly snapshotArnKind: "cluster-snapshot" | "snapshot";
  /** Whether it restores to a point in time from backups replicated into another region. */
  readonly pointInTimeAcrossRegions: boolean;
  /** How long `terraform apply` waits for its resources, most specific first (report/estimates.ts, docs/estimates.md). */
  readonly creationEstimates: readonly EngineCreationEstimate[];
}

const GIB = 1024 ** 3;
const major = (engineVersion: string) => engineVersion.split(".")[0];
const RESTORE_INPUTS = ["snapshot_identifier", "restore_to_point_in_time"] as const;
const RESTORED = "restored from a snapshot or a point in time";

export const AURORA_POSTGRESQL: AwsDatabaseEngine = {
  name: "aurora-postgresql",
  resourceType: "aws_rds_cluster",
  restoreInputs: RESTORE_INPUTS,
  parameterGroupKind: "cluster",
  parameterGroupFamily: (engineVersion) => `aurora-postgresql${major(engineVersion)}`,
  logExports: ["postgresql"],
  logGroupName: (identifier, log) => `/aws/rds/cluster/${identifier}/${log}`,
  metricDimensions: (resourceId) => ({ DBClusterIdentifier: resourceId }),
  // Aurora's shared cluster volume grows by itself; what runs out is each instance's local storage (temp files, logs).
  storageAlarms: ({ instanceIds, freeLocalStorageGiB }) =>
    instanceIds.map((instanceId, index) => ({
      id: `databaseLocalStorage${index + 1}`,
      description: `Aurora instance ${index + 1} is running out of local storage (temporary tables, sorts, logs)`,
      metricName: "FreeLocalStorage",
      dimensions: { DBInstanceIdentifier: instanceId },
      thresholdBytes: freeLocalStorageGiB * GIB,
    })),
  snapshotLookup: "aws_db_cluster_snapshot",
  snapshotArnKind: "cluster-snapshot",
  // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-pitr.html: same region only.
  pointInTimeAcrossRegions: false,
  creationEstimates: [
    {
      type: "aws_rds_cluster",
      variant: RESTORED,
      whenSet: RESTORE_INPUTS,
      low: 10,
      typical: 20,
      high: 30,
      source:
        "judgement (docs/estimates.md#aws; AWS documents that a restore creates the cluster only): Aurora cluster restore 10-30 min (grows with snapshot size); the instances come on top",
    },
    {
      type: "aws_rds_cluster",
      low: 2,
      typical: 5,
      high: 10,
      source: "estimate: an empty Aurora cluster is a control-plane record; its instances take the time",
    },
    {
      type: "aws_rds_cluster_instance",
      low: 5,
      typical: 8,
      high: 10,
      source: "judgement (docs/estimates.md#aws): Aurora instance 5-10 min, created once the restored cluster is available",
    },
  ],
};

export const RDS_POSTGRES: AwsDatabaseEngine = {
  name: "postgres",
  resourceType: "aws_db_instance",
  restoreInputs: RESTORE_INPUTS,
  parameterGroupKind: "instance",
  parameterGroupFamily: (engineVersion) => `postgres${major(engineVersion)}`,
  logExports: ["postgresql"],
  logGroupName: (identifier, log) => `/aws/rds/instance/${identifier}/${log}`,
  metricDimensions: (resourceId) => ({ DBInstanceIdentifier: resourceId }),
  storageAlarms: ({ resourceId, allocatedStorageGiB }) => [
    {
      id: "databaseStorage",
      description: "Recovered database has less than 10% of its storage free",
      metricName: "FreeStorageSpace",
      dimensions: { DBInstanceIdentifier: resourceId },
      thresholdBytes: Math.round(allocatedStorageGiB * GIB * 0.1),
    },
  ],
  snapshotLookup: "aws_db_snapshot",
  snapshotArnKind: "snapshot",
  // https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReplicateBackups.html
  pointInTimeAcrossRegions: true,
  creationEstimates: [
    {
      type: "aws_db_instance",
      variant: RESTORED,
      whenSet: RESTORE_INPUTS,
      low: 10,
      typical: 18,
      high: 25,
      source: "judgement (docs/estimates.md#aws): RDS instance restore (small) 10-25 min; Multi-AZ and large volumes push it up",
    },
    {
      type: "aws_db_instance",
      variant: "cross-region read replica",
      whenSet: ["replicate_source_db"],
      low: 15,
      typical: 30,
      high: 60,
      source: "estimate: a replica is seeded from a snapshot copied across regions, so it takes a restore plus the copy",
    },
    { type: "aws_db_instance", low: 5, typical: 10, high: 15, source: "estimate: an empty RDS instance, 5-15 min in AWS's console experience" },
  ],
};

export const AWS_DATABASE_ENGINES: Readonly<Record<AwsEngineName, AwsDatabaseEngine>> = {
  "aurora-postgresql": AURORA_POSTGRESQL,
  postgres: RDS_POSTGRES,
};

/** The engine of a config value; undefined for a value that is not one (the schema reports it). */
export function awsDatabaseEngine(name: string | undefined): AwsDatabaseEngine | undefined {
  return name !== undefined && Object.hasOwn(AWS_DATABASE_ENGINES, name) ? AWS_DATABASE_ENGINES[name as AwsEngineName] : undefined;
}
