/**
 * Where the Aurora-or-RDS restore is decided (the engine objects, engines.ts, answer every other question about the
 * difference). `engine: aurora-postgresql` restores a cluster snapshot into an Aurora
 * cluster with a writer and readers (aurora-cluster.ts); `engine: postgres` restores an RDS instance from a snapshot or
 * from replicated automated backups to a point in time (rds-instance.ts). Both share what is decided here: the
 * subnet group, the parameter group with Medplum's settings, the key, the security group, and what the rest of the
 * recovery learns about the result.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { AwsTargetConfig } from "../../config/schema";
import type { RestoredDatabase, RestoreProvenance } from "../contracts";
import { AuroraCluster } from "./aurora-cluster";
import { DatabaseParameters } from "./database-parameters";
import { AWS_DATABASE_ENGINES, type AwsDatabaseEngine, type AwsEngineName } from "./engines";
import { LOG_RETENTION_DAYS } from "./log-retention";
import { RdsInstance } from "./rds-instance";
import { PromotedReplica } from "./replica-promotion";
import { NewestRecoveryPoint } from "./recovery-point";
import { POSTGRES_PORT } from "./security-groups";
import { standingNames } from "./standing-names";

/** Medplum's database name; restored from the snapshot, never created here. */
export const MEDPLUM_DATABASE_NAME = "medplum";

export interface AwsDatabaseProps {
  /** `targets.aws.database` from the config. */
  readonly database: AwsTargetConfig["database"];
  /** Prefix for every identifier, e.g. `medplum-dr`. */
  readonly namePrefix: string;
  /** Private subnets the database lives in, at least two zones. */
  readonly privateSubnetIds: readonly string[];
  /** The security group that admits PostgreSQL from the servers only. */
  readonly securityGroupId: string;
  /** KMS key of the recovery region for storage (Aurora), the master secret and the exported logs. */
  readonly kmsKeyArn: string;
  /**
   * Days the exported PostgreSQL log is kept in CloudWatch.
   * @default LOG_RETENTION_DAYS (365)
   */
  readonly logRetentionDays?: number;
  /**
   * `targets.aws.standby.database.identifier`: whose recovery points `restore.source: standby` restores the newest of.
   * @default - none; source standby is then refused
   */
  readonly standbySourceIdentifier?: string;
}

/** What the shared part hands to the engine-specific part. */
export interface EngineRestoreProps extends AwsDatabaseProps {
  /** The engine of `database.engine`. */
  readonly engine: AwsDatabaseEngine;
  /** The snapshot a snapshot restore restores: the configured one, or the newest recovery point found at plan time. */
  readonly snapshotIdentifier: string | undefined;
  /** The DB subnet group over the private subnets. */
  readonly subnetGroupName: string;
  /** The (cluster) parameter group with TLS enforcement and Medplum's settings. */
  readonly parameterGroupName: string;
  /** Deterministic, so a destroy after a drill leaves a snapshot whose name the runbook can give. */
  readonly finalSnapshotIdentifier: string;
  /** The database's identifier (cluster or instance), fixed because it forces a new database. */
  readonly identifier: string;
  /** The exported-log group; the database waits for it so RDS does not create an unencrypted, never-expiring one. */
  readonly logGroup: ITerraformDependable;
}

/** What an engine-specific restore returns; monitoring needs the identifiers, the contract the rest. */
export interface EngineRestoreResult {
  /** Writer endpoint (Aurora) or instance address (RDS). */
  readonly endpoint: string;
  /** Cluster identifier (Aurora) or instance identifier (RDS). */
  readonly resourceId: string;
  /** DB instance identifiers, writer first. */
  readonly instanceIds: readonly string[];
  /** ARN of the Secrets Manager secret RDS manages for the master user (JSON keys `username`, `password`). */
  readonly masterSecretArn: string;
  /** The instance that accepts writes; servers must not start before it exists (a restored Aurora cluster has none). */
  readonly writer: ITerraformDependable;
}

/** Each engine's restore, under the construct id that is part of its Terraform addresses. */
const RESTORES: Readonly<Record<AwsEngineName, (scope: Construct, props: EngineRestoreProps) => EngineRestoreResult>> = {
  "aurora-postgresql": (scope, props) => new AuroraCluster(scope, "aurora", props).result,
  postgres: (scope, props) => new RdsInstance(scope, "rds", props).result,
};

export class AwsDatabase extends Construct {
  readonly restored: RestoredDatabase;
  readonly engine: AwsDatabaseEngine;
  /** DB instance identifiers, writer first; per-instance alarms key on them. */
  readonly instanceIds: readonly string[];
  /** The writer instance: what the servers wait for before they start. */
  readonly writer: ITerraformDependable;

  constructor(scope: Construct, id: string, props: AwsDatabaseProps) {
    super(scope, id);
    const { database, namePrefix } = props;
    const engine = AWS_DATABASE_ENGINES[database.engine];
    const restore = database.restore;
    this.engine = engine;
    if (restore.mode === "replica-promotion") {
      // The replica brings its own subnet group, parameter group and log group (standby-aws's); nothing is created for it.
      const promoted = new PromotedReplica(this, "promotion", { database, engine, namePrefix, securityGroupId: props.securityGroupId }).result;
      this.instanceIds = promoted.instanceIds;
      this.writer = promoted.writer;
      this.restored = restoredDatabase(engine, database, promoted, restoreProvenance({ ...restore, replicaIdentifier: promoted.replicaIdentifier }));
      return;
    }
    const newest =
      restore.mode === "snapshot" && restore.source === "standby"
        ? new NewestRecoveryPoint(this, "newestRecoveryPoint", { engine, sourceIdentifier: standbySource(props.standbySourceIdentifier) })
        : undefined;

    const subnetGroup = new DbSubnetGroup(this, "subnets", {
      // db_subnet_group_name forces a new cluster: a fixed name keeps it stable across runs.
      name: `${namePrefix}-db`,
      description: `Private subnets of the ${namePrefix} recovery database`,
      subnetIds: [...props.privateSubnetIds],
    });
    const parameters = new DatabaseParameters(this, "parameters", { engine, engineVersion: database.engineVersion, namePrefix });
    const identifier = standingNames(namePrefix).restoredDatabase;
    // RDS exports to a group of this exact name, creating it without encryption or retention unless it exists.
    const logGroup = new CloudwatchLogGroup(this, "logs", {
      name: engine.logGroupName(identifier, "postgresql"),
      retentionInDays: props.logRetentionDays ?? LOG_RETENTION_DAYS,
      kmsKeyId: props.kmsKeyArn,
    });
    const engineProps: EngineRestoreProps = {
      ...props,
      engine,
      snapshotIdentifier: newest?.snapshotArn ?? (restore.mode === "snapshot" ? restore.snapshotIdentifier : undefined),
      identifier,
      subnetGroupName: subnetGroup.name,
      parameterGroupName: parameters.name,
      finalSnapshotIdentifier: `${identifier}-final`,
      logGroup,
    };

    const result = RESTORES[engine.name](this, engineProps);

    this.instanceIds = result.instanceIds;
    this.writer = result.writer;
    this.restored = restoredDatabase(engine, database, result, restoreProvenance(database.restore, newest));
  }
}

/** What the rest of the recovery learns about the database, restored or promoted. */
function restoredDatabase(
  engine: AwsDatabaseEngine,
  database: AwsTargetConfig["database"],
  result: Pick<EngineRestoreResult, "resourceId" | "endpoint" | "masterSecretArn">,
  restore: RestoreProvenance,
): RestoredDatabase {
  return {
    engine: `${engine.name} ${database.engineVersion.split(".")[0]}`,
    resourceId: result.resourceId,
    host: result.endpoint,
    port: POSTGRES_PORT,
    databaseName: MEDPLUM_DATABASE_NAME,
    username: { store: "aws-secrets-manager", id: result.masterSecretArn, key: "username" },
    password: { store: "aws-secrets-manager", id: result.masterSecretArn, key: "password" },
    restore,
  };
}

function standbySource(identifier: string | undefined): string {
  if (identifier === undefined) {
    throw new Error(
      'targets.aws.database.restore.source: "standby" needs targets.aws.standby.database.identifier, whose recovery points it restores; add the standby section or name a snapshotIdentifier',
    );
  }
  return identifier;
}

/**
 * `newest`: the recovery point `source: standby` found at plan time; its ARN and creation time are Terraform
 * references, resolved in the plan (and the stack's restore outputs).
 */
export function restoreProvenance(
  restore: AwsTargetConfig["database"]["restore"],
  newest?: { readonly snapshotArn: string; readonly createdAt: string },
): RestoreProvenance {
  if (restore.mode === "snapshot") {
    if (newest !== undefined) return { mode: "snapshot", source: newest.snapshotArn, point: newest.createdAt, sourceTakenAt: newest.createdAt };
    const snapshot = restore.snapshotIdentifier ?? "(none named)";
    return {
      mode: "snapshot",
      source: snapshot,
      point: restore.snapshotTakenAt ?? `as of snapshot ${snapshot}`,
      ...(restore.snapshotTakenAt !== undefined ? { sourceTakenAt: restore.snapshotTakenAt } : {}),
    };
  }
  if (restore.mode === "replica-promotion") {
    return {
      mode: "replica-promotion",
      source: restore.replicaIdentifier ?? "(the standby's replica)",
      point: "the last transaction the replica had replayed when it was promoted",
    };
  }
  return { mode: "point-in-time", source: restore.automatedBackupsArn, point: restore.time };
}
