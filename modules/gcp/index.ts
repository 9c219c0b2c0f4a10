/**
 * The GCP bundle: recovery into a Google Cloud region. One file per step:
 *   network.ts, database.ts (decides the restore: backup, point-in-time clone or replica promotion; the instance
 *   itself in cloud-sql-instance.ts), cache.ts, storage.ts, secrets.ts, workload.ts (cluster.ts, identity.ts,
 *   load-balancer.ts and the shared MedplumWorkload), traffic.ts, monitoring.ts.
 *
 * The steps hand each other contract values; the Terraform references only GCP needs (Secret Manager `secret_data`,
 * the Memorystore auth string, the deployment to wait for) stay inside this closure, never in the contracts.
 */
import type { GcpTargetConfig, RecoveryConfig } from "../../config/schema";
import { configureGcpProviders } from "../../providers/gcp";
import type { RecoveryBundle } from "../contracts";
import { recoveryTags, resourceName } from "../naming";
import { GcpCache, type GcpRecoveredCache } from "./cache";
import { GcpDatabase } from "./database";
import { GcpMonitoring } from "./monitoring";
import { GcpRecoveryNetwork, type GcpNetwork } from "./network";
import { GcpSecrets, type GcpApplicationSecrets } from "./secrets";
import { GcpStorage } from "./storage";
import { GcpTraffic } from "./traffic";
import { GcpApplication, MEDPLUM_NAMESPACE, MEDPLUM_SECRET_NAME } from "./workload";
import { fromEarlierStep } from "../earlier-step";

export function createGcpBundle(config: RecoveryConfig): RecoveryBundle {
  const gcp: GcpTargetConfig | undefined = config.targets.gcp;
  if (gcp === undefined) throw new Error("createGcpBundle: the config has no targets.gcp section");
  const labels = recoveryTags(config);
  const namePrefix = config.environment;
  const apiHostname = config.medplum.hostnames.api;

  let network: GcpNetwork | undefined;
  let database: GcpDatabase | undefined;
  let cache: GcpRecoveredCache | undefined;
  let secrets: GcpApplicationSecrets | undefined;
  let application: GcpApplication | undefined;
  const needs = <T>(value: T | undefined, step: string): T => fromEarlierStep(value, "GCP", step);

  return {
    target: "gcp",
    configureProviders: (stack, stackName) => void configureGcpProviders(stack, stackName, config, gcp),

    network: (scope) => {
      network = new GcpRecoveryNetwork(scope, "vpc", { project: gcp.project, region: gcp.region, namePrefix, network: gcp.network, labels }).value;
      return network;
    },

    restoreDatabase: (scope) => {
      database = new GcpDatabase(scope, "postgres", {
        project: gcp.project,
        region: gcp.region,
        defaultInstanceName: resourceName(config, "postgres"),
        database: gcp.database,
        network: needs(network, "network"),
        labels,
      });
      return database.value;
    },

    cache: (scope) => {
      cache = new GcpCache(scope, "redis", {
        project: gcp.project,
        region: gcp.region,
        name: resourceName(config, "redis"),
        cache: gcp.cache,
        network: needs(network, "network"),
        labels,
        authSecret: { namespace: MEDPLUM_NAMESPACE, name: MEDPLUM_SECRET_NAME, key: "MEDPLUM_REDIS_PASSWORD" },
      }).value;
      return cache;
    },

    binaryStorage: (scope) => new GcpStorage(scope, "bucket", { project: gcp.project, region: gcp.region, storage: gcp.storage, labels }).value,

    applicationSecrets: (scope) => {
      secrets = new GcpSecrets(scope, "medplum", { project: gcp.project, secrets: gcp.secrets }).value;
      return secrets;
    },

    applicationTier: (scope, inputs) => {
      const restored = needs(database, "database");
      application = new GcpApplication(scope, "gke", {
        config,
        gcp,
        namePrefix,
        labels,
        network: needs(network, "network"),
        database: restored.value,
        databaseReady: [restored.cloudSql.instance, restored.user],
        cache: needs(cache, "cache"),
        storage: inputs.storage,
        secrets: needs(secrets, "secrets"),
      });
      return application.value;
    },

    switchTraffic: (scope, inputs) => {
      const app = needs(application, "application");
      return new GcpTraffic(scope, "dns", {
        project: gcp.project,
        region: gcp.region,
        namePrefix,
        apiHostname,
        apiUrl: config.medplum.baseUrl,
        dns: gcp.dns,
        entryPointAddress: inputs.application.entryPointDnsName,
        dependsOn: [app.workload.deployment, app.workload.ingress],
      }).value;
    },

    monitoring: (scope, inputs) =>
      new GcpMonitoring(scope, "alerts", {
        project: gcp.project,
        namePrefix,
        apiHostname,
        databaseId: inputs.database.resourceId,
        alerts: gcp.alerts,
        labels,
      }).value,
  };
}
