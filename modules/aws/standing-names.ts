/**
 * The names of the AWS resources a recovery stands on, in one place, because two stacks must agree on them:
 * recovery-aws creates them under these names in the backup-restore tier, and in the pilot-light and warm-standby
 * tiers standby-aws creates them in peacetime and recovery-aws finds them by these names (never through the other
 * stack's state: a recovery must not depend on reading a state file kept in the lost region).
 *
 * Changing a value renames a real resource: recovery-aws would replace it, and a recovery in a standby tier would no
 * longer find what standby-aws built.
 */
export interface StandingNames {
  /** `Name` tag of the VPC; subnets are tagged `<vpc>-public-<zone>` / `<vpc>-private-<zone>` and `tier`. */
  readonly vpc: string;
  readonly loadBalancer: string;
  readonly targetGroup: string;
  readonly ecsCluster: string;
  readonly executionRole: string;
  readonly taskRole: string;
  readonly serverLogGroup: string;
  /**
   * The identifier the recovery restores the database under (pilot-light: on the day, so it stands nowhere before).
   * standby-aws grants the execution role the master secret RDS creates for it by this identifier (modules/aws/iam.ts).
   */
  readonly restoredDatabase: string;
  /**
   * The Redis replication group and its subnet group (ElastiCache allows the same name for both). backup-restore and
   * pilot-light: recovery-aws creates it on the day; warm-standby: standby-aws keeps it standing and recovery-aws reads it.
   */
  readonly cache: string;
  /** The Redis slow log's log group, beside the cache. */
  readonly cacheSlowLogGroup: string;
  /** Security group names by role. */
  readonly securityGroup: (role: "alb" | "app" | "db" | "cache") => string;
}

export function standingNames(namePrefix: string): StandingNames {
  return {
    vpc: namePrefix,
    loadBalancer: `${namePrefix}-alb`,
    targetGroup: `${namePrefix}-api`,
    ecsCluster: namePrefix,
    executionRole: `${namePrefix}-server-execution`,
    taskRole: `${namePrefix}-server-task`,
    serverLogGroup: `/medplum/${namePrefix}/server`,
    restoredDatabase: `${namePrefix}-db`,
    cache: `${namePrefix}-redis`,
    cacheSlowLogGroup: `/medplum/${namePrefix}/redis-slow-log`,
    securityGroup: (role) => `${namePrefix}-${role}`,
  };
}

/** The names of the replica, which the recovery imports to promote it (restore mode replica-promotion); derived from the environment like every standing name. */
export interface ReplicaNames {
  /** The Aurora global cluster (Aurora only). */
  readonly globalCluster: string;
  /** The secondary cluster (Aurora) or the read replica instance (RDS). */
  readonly replica: string;
  /** The secondary cluster's instance (Aurora only). */
  readonly replicaInstance: string;
}

export function replicaNames(namePrefix: string): ReplicaNames {
  return { globalCluster: `${namePrefix}-global`, replica: `${namePrefix}-replica`, replicaInstance: `${namePrefix}-replica-1` };
}
