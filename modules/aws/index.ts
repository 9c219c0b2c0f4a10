/**
 * The AWS recovery bundle: restores Medplum into `targets.aws.region` in the runbook's order. Each step lives in its
 * own file; this one only wires them, passing on the AWS details (subnets, security groups, the key, the ALB) that the
 * provider-neutral contracts deliberately leave out.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { AwsTargetConfig, RecoveryConfig } from "../../config/schema";
import { configureAwsProviders } from "../../providers/aws";
import type { RecoveryBundle } from "../contracts";
import { resourceName } from "../naming";
import { ServiceAutoscaling } from "./autoscaling";
import { AwsCache } from "./cache";
import { AwsDatabase } from "./database";
import { MedplumService } from "./ecs-service";
import { arnAccount, RecoveryKey } from "./encryption-key";
import { TaskRoles } from "./iam";
import { LoadBalancer } from "./load-balancer";
import { LOG_RETENTION_DAYS } from "./log-retention";
import { medplumEnvironment, medplumSecrets, referencedSecretArns } from "./medplum-container";
import { AwsMonitoring } from "./monitoring";
import { AwsNetwork } from "./network";
import { awsApplicationSecrets } from "./secrets";
import { awsDatabaseTls } from "./database-tls";
import { AwsStorage } from "./storage";
import { AwsTraffic } from "./traffic";
import { fromEarlierStep } from "../earlier-step";

export function createAwsBundle(config: RecoveryConfig): RecoveryBundle {
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

  // AWS details later steps need, beyond what the contracts carry. Set in step order by RecoveryStack.
  let network: AwsNetwork | undefined;
  let keyArn: string | undefined;
  let database: AwsDatabase | undefined;
  let storage: AwsStorage | undefined;
  let loadBalancer: LoadBalancer | undefined;
  let service: MedplumService | undefined;
  let traffic: AwsTraffic | undefined;
  const needs = <T>(value: T | undefined, step: string): T => fromEarlierStep(value, "AWS", step);

  return {
    target: "aws",

    configureProviders(stack: TerraformStack, stackName: string): void {
      configureAwsProviders(stack, stackName, config, aws);
    },

    network(scope: Construct) {
      network = new AwsNetwork(scope, "vpc", { network: aws.network, availabilityZones: aws.availabilityZones, namePrefix });
      return { networkId: network.vpcId };
    },

    restoreDatabase(scope: Construct) {
      const net = needs(network, "network");
      // The database is the first step that encrypts anything, so the recovery key is created with it.
      keyArn = aws.database.kmsKeyArn ?? new RecoveryKey(scope, "key", {
          namePrefix,
          region: aws.region,
          accountId,
          partition,
          preventDestroy: aws.database.deletionProtection,
        }).arn;
      database = new AwsDatabase(scope, "restore", {
        database: aws.database,
        namePrefix,
        privateSubnetIds: net.privateSubnetIds,
        securityGroupId: net.securityGroups.databaseId,
        kmsKeyArn: keyArn,
      });
      return database.restored;
    },

    cache(scope: Construct) {
      const net = needs(network, "network");
      return new AwsCache(scope, "redis", {
        cache: aws.cache,
        namePrefix,
        privateSubnetIds: net.privateSubnetIds,
        securityGroupId: net.securityGroups.cacheId,
        kmsKeyArn: needs(keyArn, "database"),
      }).recovered;
    },

    binaryStorage(scope: Construct) {
      storage = new AwsStorage(scope, "binaries", { storage: aws.storage, partition, kmsKeyArn: needs(keyArn, "database") });
      return storage.storage;
    },

    applicationSecrets() {
      return awsApplicationSecrets(aws.secrets, { smtp: config.medplum.smtp !== undefined });
    },

    applicationTier(scope: Construct, inputs) {
      const net = needs(network, "network");
      const key = needs(keyArn, "database");
      loadBalancer = new LoadBalancer(scope, "loadBalancer", {
        namePrefix,
        vpcId: net.vpcId,
        publicSubnetIds: net.publicSubnetIds,
        securityGroupId: net.securityGroups.loadBalancerId,
        certificateArn: aws.tls.certificateArn,
      });
      const logGroup = new CloudwatchLogGroup(scope, "logs", {
        name: `/medplum/${namePrefix}/server`,
        retentionInDays: LOG_RETENTION_DAYS,
        kmsKeyId: key,
      });
      const containerInputs = { medplum: config.medplum, ...inputs, databaseTls: awsDatabaseTls(aws.database), region: aws.region };
      const roles = new TaskRoles(scope, "roles", {
        namePrefix,
        region: aws.region,
        partition,
        logGroupArn: logGroup.arn,
        secretArns: referencedSecretArns(containerInputs),
        kmsKeyArn: key,
        bucketArn: needs(storage, "storage").bucketArn,
        image: config.medplum.image,
      });
      const server = config.medplum.server;
      service = new MedplumService(scope, "ecs", {
        namePrefix,
        region: aws.region,
        image: config.medplum.image,
        cpuMillicores: server.cpuMillicores,
        memoryMiB: server.memoryMiB,
        desiredCount: server.count,
        privateSubnetIds: net.privateSubnetIds,
        securityGroupId: net.securityGroups.applicationId,
        targetGroupArn: loadBalancer.targetGroupArn,
        listener: loadBalancer.httpsListener,
        environment: medplumEnvironment(containerInputs),
        secrets: medplumSecrets(containerInputs),
        executionRoleArn: roles.executionRoleArn,
        taskRoleArn: roles.taskRoleArn,
        logGroup,
        startAfter: [needs(database, "database").writer],
      });
      new ServiceAutoscaling(scope, "autoscaling", {
        clusterName: service.clusterName,
        serviceName: service.serviceName,
        minCount: server.count,
        maxCount: server.maxCount ?? 3 * server.count,
      });
      return { entryPointDnsName: loadBalancer.dnsName, entryPointId: loadBalancer.arn, serviceId: service.serviceId };
    },

    switchTraffic(scope: Construct) {
      const alb = needs(loadBalancer, "application");
      traffic = new AwsTraffic(scope, "dns", {
        dns: aws.dns,
        apiHostname: config.medplum.hostnames.api,
        baseUrl: config.medplum.baseUrl,
        namePrefix,
        loadBalancerDnsName: alb.dnsName,
        loadBalancerZoneId: alb.zoneId,
        // Switch only once the servers behind the load balancer are steady and healthy.
        waitFor: [needs(service, "application").service],
      });
      return traffic.traffic;
    },

    monitoring(scope: Construct) {
      const alb = needs(loadBalancer, "application");
      const db = needs(database, "database");
      const ecs = needs(service, "application");
      return new AwsMonitoring(scope, "alarms", {
        alerts: aws.alerts,
        namePrefix,
        region: aws.region,
        kmsKeyArn: needs(keyArn, "database"),
        loadBalancerArnSuffix: alb.arnSuffix,
        targetGroupArnSuffix: alb.targetGroupArnSuffix,
        database: { engine: db.engine, resourceId: db.restored.resourceId, instanceIds: db.instanceIds, allocatedStorageGiB: aws.database.allocatedStorageGiB },
        ecs: { clusterName: ecs.clusterName, serviceName: ecs.serviceName, desiredCount: config.medplum.server.count },
        healthCheckId: needs(traffic, "traffic").healthCheckId,
      }).monitoring;
    },
  };
}
