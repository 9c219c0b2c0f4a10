/**
 * What each step of the AWS recovery hands to the later ones, beyond the provider-neutral contracts: subnets and
 * security groups, the recovery key, the database writer the servers wait for, the load balancer and the service.
 * `RecoveryStack` passes every earlier result to each step, so these arrive through parameters the type checker sees.
 */
import type { ITerraformDependable } from "cdktf";
import type { AwsDatabaseEngine } from "./engines";
import type {
  ApplicationSecrets,
  ApplicationTier,
  BinaryStorage,
  Monitoring,
  RecoveredCache,
  RecoveryNetwork,
  RecoveryStepResults,
  RestoredDatabase,
  TrafficSwitch,
} from "../contracts";

/** The four security groups of the recovery, by role. */
export interface AwsSecurityGroupIds {
  readonly loadBalancerId: string;
  readonly applicationId: string;
  readonly databaseId: string;
  /** Undefined with a team's own Redis (`cache.mode: existing`), which keeps its own group. */
  readonly cacheId: string | undefined;
}

export interface AwsRecoveryNetwork extends RecoveryNetwork {
  readonly vpcId: string;
  /** Subnets with a route to the internet gateway: the load balancer only. */
  readonly publicSubnetIds: readonly string[];
  /** Subnets without public addresses: servers, database, cache. */
  readonly privateSubnetIds: readonly string[];
  readonly securityGroups: AwsSecurityGroupIds;
}

export interface AwsRestoredDatabase extends RestoredDatabase {
  /** The recovery key (created with the database, the first step that encrypts anything); later steps encrypt with it. */
  readonly kmsKeyArn: string;
  /** Aurora or RDS, answering what monitoring needs to know about it. */
  readonly awsEngine: AwsDatabaseEngine;
  /** DB instance identifiers, writer first; per-instance alarms key on them. */
  readonly instanceIds: readonly string[];
  /** The instance that accepts writes: what the servers wait for before they start. */
  readonly writer: ITerraformDependable;
  /** RDS only: the allocated storage, to alarm at a share of it. */
  readonly allocatedStorageGiB: number;
}

export interface AwsBinaryStorage extends BinaryStorage {
  readonly bucketArn: string;
}

/** The entry point, as the traffic and monitoring steps know it. */
export interface AwsEntryPoint {
  readonly dnsName: string;
  /** The load balancer's canonical hosted zone, for alias records. */
  readonly zoneId: string;
  /** `app/<name>/<id>`: the `LoadBalancer` dimension of ALB metrics. */
  readonly arnSuffix: string;
  /** `targetgroup/<name>/<id>`: the `TargetGroup` dimension of ALB metrics. */
  readonly targetGroupArnSuffix: string;
}

/** The ECS service, as the traffic and monitoring steps know it. */
export interface AwsServerTier {
  readonly clusterName: string;
  readonly serviceName: string;
  /** The servers running at once, as configured. */
  readonly desiredCount: number;
  /** The service resource; the DNS switch waits for it, since its apply returns only once tasks are healthy. */
  readonly steady: ITerraformDependable;
}

/** The load balancer the servers register with, new or a team's own. */
export interface AwsLoadBalancer extends AwsEntryPoint {
  readonly arn: string;
  readonly targetGroupArn: string;
  /** The HTTPS listener; the service waits for it, because ECS refuses a target group no listener uses. */
  readonly httpsListener: ITerraformDependable;
}

export interface AwsApplicationTier extends ApplicationTier {
  readonly loadBalancer: AwsEntryPoint;
  readonly servers: AwsServerTier;
}

export interface AwsTrafficSwitch extends TrafficSwitch {
  /** The Route 53 health check of the recovery, in failover mode. */
  readonly healthCheckId: string | undefined;
}

export interface AwsStepResults extends RecoveryStepResults {
  readonly network: AwsRecoveryNetwork;
  readonly database: AwsRestoredDatabase;
  readonly cache: RecoveredCache;
  readonly storage: AwsBinaryStorage;
  readonly secrets: ApplicationSecrets;
  readonly application: AwsApplicationTier;
  readonly traffic: AwsTrafficSwitch;
  readonly monitoring: Monitoring;
}
