/**
 * The AWS recovery bundle: restores Medplum into `targets.aws.region` in the runbook's order. Each step lives in its
 * own file; this one only wires them. The AWS details the provider-neutral contracts leave out (subnets, security
 * groups, the key, the ALB) travel in each step's result (step-results.ts), which RecoveryStack hands to every later step.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { AwsTargetConfig, RecoveryConfig } from "../../config/schema";
import { configureAwsProviders } from "../../providers/aws";
import type { RecoveryBundle } from "../contracts";
import type { AwsLoadBalancer, AwsRecoveryNetwork, AwsStepResults } from "./step-results";
import { resourceName } from "../../config/naming";
import { ServiceAutoscaling } from "./autoscaling";
import { AdoptedApplicationStanding, AdoptedCache, AdoptedNetwork, adoptsStanding, adoptsStandingCache } from "./adopted";
import { AwsCache, existingRedis } from "./cache";
import { AwsDatabase } from "./database";
import { MedplumService } from "./ecs-service";
import { arnAccount, RecoveryKey } from "./encryption-key";
import { TaskRoles } from "./iam";
import { ExistingLoadBalancer, LoadBalancer } from "./load-balancer";
import { LOG_RETENTION_DAYS } from "./log-retention";
import { medplumEnvironment, medplumSecrets, referencedSecretArns } from "./medplum-container";
import { AwsMonitoring } from "./monitoring";
import { AwsNetwork } from "./network";
import { awsApplicationSecrets } from "./secrets";
import { awsDatabaseTls } from "./database-tls";
import { standingNames } from "./standing-names";
import { AwsStorage } from "./storage";
import { AwsTraffic } from "./traffic";

export function createAwsBundle(config: RecoveryConfig): RecoveryBundle<AwsStepResults> {
  const aws: AwsTargetConfig | undefined = config.targets.aws;
  if (aws === undefined) {
    throw new Error("targets.aws: (not set) is required by the AWS bundle; add a targets.aws section to the recovery config or do not select the aws target");
  }
  const namePrefix = resourceName(config, "").replace(/-$/, "");
  // The application secret lives in the recovery account; reading account and partition from its ARN (unless the
  // account is named) keeps the plan free of AWS reads.
  const fromSecret = arnAccount(aws.secrets.applicationSecretArn);
  const partition = fromSecret.partition;
  const accountId = aws.accountId ?? fromSecret.accountId;
  // pilot-light and warm-standby: standby-aws keeps the network, cluster, load balancer, roles and log group standing (adopted.ts).
  const adopt = adoptsStanding(aws);

  /** The recovery's own ALB, or the team's (`loadBalancer.mode: existing`); both under the construct id they always had. */
  const entryPoint = (scope: Construct, network: AwsRecoveryNetwork): AwsLoadBalancer => {
    if (aws.loadBalancer.mode === "existing") return new ExistingLoadBalancer(scope, "loadBalancer", { loadBalancer: aws.loadBalancer });
    if (aws.tls === undefined)
      throw new Error("targets.aws.tls: (not set) is required with loadBalancer mode new; give tls.certificateArn, an ACM certificate in the recovery region");
    return new LoadBalancer(scope, "loadBalancer", { namePrefix, network, tls: aws.tls });
  };

  return {
    target: "aws",

    configureProviders(stack: TerraformStack, stackName: string): void {
      configureAwsProviders(stack, stackName, config, aws);
    },

    network(scope) {
      if (adopt) return new AdoptedNetwork(scope, "standing", { network: aws.network, cache: aws.cache, namePrefix }).result;
      return new AwsNetwork(scope, "vpc", {
        network: aws.network,
        availabilityZones: aws.availabilityZones,
        namePrefix,
        loadBalancer: aws.loadBalancer,
        cache: aws.cache,
      }).result;
    },

    restoreDatabase(scope, { network }) {
      // The database is the first step that encrypts anything, so the recovery key is created with it.
      const kmsKeyArn =
        aws.database.kmsKeyArn ??
        new RecoveryKey(scope, "key", {
          namePrefix,
          region: aws.region,
          accountId,
          partition,
          preventDestroy: aws.database.deletionProtection,
        }).arn;
      const database = new AwsDatabase(scope, "restore", {
        database: aws.database,
        namePrefix,
        privateSubnetIds: network.privateSubnetIds,
        securityGroupId: network.securityGroups.databaseId,
        kmsKeyArn,
        ...(aws.standby !== undefined ? { standbySourceIdentifier: aws.standby.database.identifier } : {}),
      });
      return {
        ...database.restored,
        kmsKeyArn,
        awsEngine: database.engine,
        instanceIds: database.instanceIds,
        writer: database.writer,
        allocatedStorageGiB: aws.database.allocatedStorageGiB,
      };
    },

    cache(scope, { network, database }) {
      const cache = aws.cache;
      const securityGroupId = network.securityGroups.cacheId;
      if (cache.mode === "existing") return existingRedis(cache);
      // warm-standby: standby-aws built this cache in peacetime, which takes ElastiCache's creation off the day.
      if (adoptsStandingCache(aws)) return new AdoptedCache(scope, "standing", { namePrefix, authTokenSecretArn: cache.authTokenSecretArn }).recovered;
      if (securityGroupId === undefined)
        throw new Error("targets.aws.cache: mode new needs the recovery's cache security group, which the network step did not create");
      return new AwsCache(scope, "redis", {
        cache,
        namePrefix,
        privateSubnetIds: network.privateSubnetIds,
        securityGroupId,
        kmsKeyArn: database.kmsKeyArn,
      }).recovered;
    },

    binaryStorage(scope, { database }) {
      return new AwsStorage(scope, "binaries", { storage: aws.storage, partition, kmsKeyArn: database.kmsKeyArn }).result;
    },

    applicationSecrets() {
      return awsApplicationSecrets(aws.secrets, { smtp: config.medplum.smtp !== undefined });
    },

    applicationTier(scope, inputs) {
      const { network, database, storage } = inputs;
      const standing = adopt ? new AdoptedApplicationStanding(scope, "standing", { namePrefix, accountId, partition }) : undefined;
      const loadBalancer = standing?.loadBalancer ?? entryPoint(scope, network);
      const logGroup =
        standing?.logGroup ??
        new CloudwatchLogGroup(scope, "logs", {
          name: standingNames(namePrefix).serverLogGroup,
          retentionInDays: LOG_RETENTION_DAYS,
          kmsKeyId: database.kmsKeyArn,
        });
      const containerInputs = { medplum: config.medplum, ...inputs, databaseTls: awsDatabaseTls(aws.database), region: aws.region };
      // Standing roles carry what the day needs already (modules/aws/standby/standing.ts): no IAM call on the day.
      const roles =
        standing?.roles ??
        new TaskRoles(scope, "roles", {
          namePrefix,
          region: aws.region,
          partition,
          logGroupArn: logGroup.arn,
          secretArns: referencedSecretArns(containerInputs),
          kmsKeyArn: database.kmsKeyArn,
          bucketArn: storage.bucketArn,
          image: config.medplum.image,
        });
      const server = config.medplum.server;
      const service = new MedplumService(scope, "ecs", {
        namePrefix,
        region: aws.region,
        image: config.medplum.image,
        server,
        network,
        targetGroupArn: loadBalancer.targetGroupArn,
        listener: loadBalancer.httpsListener,
        environment: medplumEnvironment(containerInputs),
        secrets: medplumSecrets(containerInputs),
        executionRoleArn: roles.executionRoleArn,
        taskRoleArn: roles.taskRoleArn,
        logGroup,
        ...(standing !== undefined ? { cluster: standing.cluster } : {}),
        startAfter: [database.writer],
      });
      new ServiceAutoscaling(scope, "autoscaling", {
        clusterName: service.clusterName,
        serviceName: service.serviceName,
        minCount: server.count,
        maxCount: server.maxCount ?? 3 * server.count,
      });
      return {
        entryPointDnsName: loadBalancer.dnsName,
        entryPointId: loadBalancer.arn,
        serviceId: service.serviceId,
        loadBalancer,
        servers: service.servers,
      };
    },

    switchTraffic(scope, { application }) {
      const traffic = new AwsTraffic(scope, "dns", {
        dns: aws.dns,
        apiHostname: config.medplum.hostnames.api,
        baseUrl: config.medplum.baseUrl,
        namePrefix,
        loadBalancer: application.loadBalancer,
        // Switch only once the servers behind the load balancer are steady and healthy.
        waitFor: [application.servers.steady],
      });
      return { ...traffic.traffic, healthCheckId: traffic.healthCheckId };
    },

    monitoring(scope, { database, application, traffic }) {
      return new AwsMonitoring(scope, "alarms", {
        alerts: aws.alerts,
        namePrefix,
        region: aws.region,
        database,
        application,
        healthCheckId: traffic.healthCheckId,
      }).monitoring;
    },
  };
}
