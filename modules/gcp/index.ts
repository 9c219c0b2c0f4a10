/**
 * The GCP bundle: recovery into a Google Cloud region. One file per step:
 *   network.ts, database.ts (decides the restore: backup, point-in-time clone or replica promotion; the instance
 *   itself in cloud-sql-instance.ts), cache.ts, storage.ts, secrets.ts, workload.ts (cluster.ts, identity.ts,
 *   load-balancer.ts and the shared MedplumWorkload), traffic.ts, monitoring.ts.
 *
 * Each step returns the contract value extended with the GCP details later steps need (`GcpStepResults`): the
 * subnet and ranges, the Secret Manager `secret_data` and Memorystore auth references, what the servers and the DNS
 * record wait for. RecoveryStack hands every earlier result to each step, so nothing is kept between the calls.
 */
import type { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { GcpTargetConfig, RecoveryConfig } from "../../config/schema";
import { configureGcpProviders } from "../../providers/gcp";
import type { BinaryStorage, RecoveryBundle, RecoveryStepResults } from "../contracts";
import { recoveryTags, resourceName } from "../../config/naming";
import { GcpCache, type GcpRecoveredCache } from "./cache";
import { GcpDatabase, type GcpRestoredDatabase } from "./database";
import { GkeKubernetesProvider } from "./kubernetes-provider";
import { GcpMonitoring } from "./monitoring";
import { GcpRecoveryNetwork, type GcpNetwork } from "./network";
import { GcpSecrets, type GcpApplicationSecrets } from "./secrets";
import { GcpStorage } from "./storage";
import { GcpTraffic } from "./traffic";
import { GcpApplication, type GcpApplicationTier, MEDPLUM_NAMESPACE, MEDPLUM_SECRET_NAME } from "./workload";

/** What each GCP step hands the later ones, beyond the contract. */
export interface GcpStepResults extends RecoveryStepResults {
  readonly providers: { readonly kubernetes: GkeKubernetesProvider };
  readonly network: GcpNetwork;
  readonly database: GcpRestoredDatabase;
  readonly cache: GcpRecoveredCache;
  readonly storage: BinaryStorage;
  readonly secrets: GcpApplicationSecrets;
  readonly application: GcpApplicationTier;
}

export function createGcpBundle(config: RecoveryConfig): RecoveryBundle<GcpStepResults> {
  const gcp: GcpTargetConfig | undefined = config.targets.gcp;
  if (gcp === undefined) throw new Error("createGcpBundle: the config has no targets.gcp section");
  const labels = recoveryTags(config);
  const namePrefix = config.environment;
  const apiHostname = config.medplum.hostnames.api;

  return {
    target: "gcp",
    configureProviders: (stack: TerraformStack, stackName: string) => {
      configureGcpProviders(stack, stackName, config, gcp);
      // Declared here with the google provider; the application step connects it to the cluster it creates.
      return { kubernetes: new GkeKubernetesProvider(stack, gcp.cluster.kubernetesCredentials) };
    },

    network: (scope: Construct) =>
      new GcpRecoveryNetwork(scope, "vpc", { project: gcp.project, region: gcp.region, namePrefix, network: gcp.network, labels }).value,

    restoreDatabase: (scope, { network }) =>
      new GcpDatabase(scope, "postgres", {
        project: gcp.project,
        region: gcp.region,
        defaultInstanceName: resourceName(config, "postgres"),
        database: gcp.database,
        network,
        labels,
      }).value,

    cache: (scope, { network }) =>
      new GcpCache(scope, "redis", {
        project: gcp.project,
        region: gcp.region,
        name: resourceName(config, "redis"),
        cache: gcp.cache,
        network,
        labels,
        authSecret: { namespace: MEDPLUM_NAMESPACE, name: MEDPLUM_SECRET_NAME, key: "MEDPLUM_REDIS_PASSWORD" },
      }).value,

    binaryStorage: (scope) => new GcpStorage(scope, "bucket", { project: gcp.project, region: gcp.region, storage: gcp.storage, labels }).value,

    applicationSecrets: (scope) => new GcpSecrets(scope, "medplum", { project: gcp.project, secrets: gcp.secrets }).value,

    applicationTier: (scope, { providers, network, database, cache, storage, secrets }) =>
      new GcpApplication(scope, "gke", {
        config,
        gcp,
        namePrefix,
        labels,
        network,
        database,
        cache,
        storage,
        secrets,
        kubernetesProvider: providers.kubernetes,
      }).value,

    switchTraffic: (scope, { application }) =>
      new GcpTraffic(scope, "dns", {
        project: gcp.project,
        region: gcp.region,
        namePrefix,
        apiHostname,
        apiUrl: config.medplum.baseUrl,
        dns: gcp.dns,
        entryPointAddress: application.entryPointDnsName,
        dependsOn: application.servingDependencies,
      }).value,

    monitoring: (scope, { database }) =>
      new GcpMonitoring(scope, "alerts", {
        project: gcp.project,
        namePrefix,
        apiHostname,
        databaseId: database.resourceId,
        alerts: gcp.alerts,
        labels,
      }).value,
  };
}
