/**
 * The `recovery-k8s` bundle: Medplum recovered into an existing Kubernetes cluster with typed `kubernetes_*_v1`
 * resources only (no CRDs, so `terraform plan` needs no operator installed):
 *   network     the namespace (restricted Pod Security profile), unless it exists already,
 *   database    Postgres StatefulSet + restore Job from a logical dump, or an existing Postgres by reference,
 *   cache       a Redis 7 StatefulSet, or an existing Redis by reference,
 *   storage     Medplum's binaryStorage setting (the bucket is replicated elsewhere),
 *   secrets     references to Secrets that exist in the namespace beforehand,
 *   application the shared MedplumWorkload, started only after the restore Job completed,
 *   traffic     external-dns annotations on the Ingress, or the Ingress address as the `entry_point` output,
 *   monitoring  nothing: plain Kubernetes has no alerting this stack could configure without CRDs.
 */
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import type { ITerraformDependable } from "cdktf";
import type { KubernetesTargetConfig, RecoveryConfig } from "../../../config/schema";
import { configureKubernetesProviders } from "../../../providers/kubernetes";
import type { RecoveryBundle, RecoveryNetwork, RecoveryStepResults, RestoredDatabase, RestoreProvenance } from "../../contracts";
import { requireIngress, restrictedPodSecurityLabels } from "../workload";
import { APPLICATION_SECRET_KEYS, createApplication } from "./application";
import { componentLabels, DATABASE_NAME, POSTGRES_NAME, POSTGRES_PORT, REDIS_NAME, REDIS_PORT, serviceHost } from "./labels";
import { RecoveredPostgres } from "./postgres";
import { RecoveryRedis } from "./redis";
import { describeDestination, MANIFEST_NAME } from "../dump-store";
import { dumpSource } from "./downloader";
import { RestoreJob } from "./restore-job";

/** What recovery-k8s's steps hand the later ones, beyond the contract's common results. */
export interface KubernetesStepResults extends RecoveryStepResults {
  readonly network: RecoveryNetwork & {
    /** The namespace every object goes into: a reference to the created namespace, so they are created after it. */
    readonly namespace: string;
  };
  readonly database: RestoredDatabase & {
    /** The restore Job, when this stack restores: no server starts before the data is in. Empty for an existing database. */
    readonly restoreCompleted: readonly ITerraformDependable[];
  };
}

export function createKubernetesBundle(config: RecoveryConfig): RecoveryBundle<KubernetesStepResults> {
  const target: KubernetesTargetConfig | undefined = config.targets.kubernetes;
  if (target === undefined) throw new Error("createKubernetesBundle: the config has no targets.kubernetes");

  return {
    target: "kubernetes",

    configureProviders(stack, stackName) {
      configureKubernetesProviders(stack, stackName, target);
    },

    network(scope) {
      if (!target.createNamespace) return { networkId: target.namespace, namespace: target.namespace };
      const created = new NamespaceV1(scope, "namespace", {
        metadata: { name: target.namespace, labels: { ...componentLabels(config, "medplum"), ...restrictedPodSecurityLabels() } },
        // Deleting the namespace would delete the recovered database's volume claim with it.
        lifecycle: { preventDestroy: target.database.mode === "restore-from-dump" && target.database.deletionProtection },
      });
      return { networkId: created.metadata.name, namespace: created.metadata.name };
    },

    restoreDatabase(scope, { network: { namespace } }) {
      const { database } = target;
      const credentials = (key: string) => ({ store: "kubernetes-secret" as const, id: `${target.namespace}/${database.credentials.secretName}`, key });
      if (database.mode === "existing") {
        return {
          engine: "postgresql (existing)",
          resourceId: database.host,
          host: database.host,
          port: database.port,
          databaseName: database.databaseName,
          username: credentials(database.credentials.usernameKey),
          password: credentials(database.credentials.passwordKey),
          restore: { mode: "existing", source: `${database.host}:${database.port}/${database.databaseName}`, point: "as recovered outside this stack" },
          restoreCompleted: [],
        };
      }
      const postgres = new RecoveredPostgres(scope, "postgres", { config, database, namespace });
      const host = serviceHost(POSTGRES_NAME, namespace);
      const restore = new RestoreJob(scope, "restore", { config, database, namespace, postgresHost: host, dependsOn: [postgres.statefulSet] });
      return {
        engine: `postgresql ${database.image.split(/[:@]/)[1] ?? ""}`.trim(),
        resourceId: postgres.statefulSet.id,
        host,
        port: POSTGRES_PORT,
        databaseName: DATABASE_NAME,
        username: credentials(database.credentials.usernameKey),
        password: credentials(database.credentials.passwordKey),
        restore: restoreProvenance(database.dump),
        restoreCompleted: [restore.job],
      };
    },

    cache(scope, { network: { namespace } }) {
      const { redis } = target;
      const password = { store: "kubernetes-secret" as const, id: `${target.namespace}/${redis.password.secretName}`, key: redis.password.key };
      if (redis.mode === "existing") {
        return { resourceId: redis.host, host: redis.host, port: redis.port, tls: redis.tls, password };
      }
      const created = new RecoveryRedis(scope, "redis", { config, redis, namespace });
      return { resourceId: created.statefulSet.id, host: serviceHost(REDIS_NAME, namespace), port: REDIS_PORT, tls: false, password };
    },

    binaryStorage() {
      const setting = target.storage.binaryStorage;
      return { name: setting.slice(setting.indexOf(":") + 1), medplumBinaryStorage: setting };
    },

    applicationSecrets() {
      const secret = target.secrets.applicationSecret;
      if (secret === undefined) return { environment: {} };
      const id = `${target.namespace}/${secret}`;
      return {
        environment: Object.fromEntries(Object.entries(APPLICATION_SECRET_KEYS).map(([name, key]) => [name, { store: "kubernetes-secret" as const, id, key }])),
      };
    },

    applicationTier(scope, { network, database, cache, storage }) {
      const workload = createApplication(scope, {
        config,
        target,
        namespace: network.namespace,
        database,
        cache,
        storage,
        dependsOn: database.restoreCompleted,
      });
      const { ingress, address } = requireIngress(workload);
      return {
        entryPointDnsName: address,
        entryPointId: ingress.id,
        serviceId: workload.deployment.id,
      };
    },

    switchTraffic() {
      const host = config.medplum.hostnames.api;
      return {
        apiUrl: config.medplum.baseUrl,
        routing:
          target.traffic.mode === "external-dns"
            ? `external-dns points ${host} at the Ingress (TTL ${target.traffic.ttlSeconds} s), if it owns the record: its registry TXT must name owner id "${target.traffic.txtOwnerId}"`
            : `manual: point ${host} at the entry_point output (A record for an IP, CNAME for a host name)`,
      };
    },

    monitoring() {
      return { alertDestination: "none: plain Kubernetes alerting is the cluster's (e.g. Prometheus/Alertmanager); see docs/targets/kubernetes.md" };
    },
  };
}

/** What the recovered data comes from: the dump at a URL, or the newest dump of a standby's folder when the Job ran. */
function restoreProvenance(dump: Parameters<typeof dumpSource>[0]): RestoreProvenance {
  const source = dumpSource(dump);
  if (source.kind === "manifest") {
    return {
      mode: "logical-dump",
      source: `newest dump in ${describeDestination(source.location)} (${MANIFEST_NAME}, read when the restore Job runs)`,
      point: "as of the newest dump when the restore Job ran, its SHA-256 checked against the manifest; the Job's log and the database's comment name it",
    };
  }
  return {
    mode: "logical-dump",
    source: source.url,
    point: dump.sha256 !== undefined ? `as of the dump (sha256 ${dump.sha256})` : "as of the dump",
    ...(dump.takenAt !== undefined ? { sourceTakenAt: dump.takenAt } : {}),
  };
}
