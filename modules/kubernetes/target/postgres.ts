/**
 * The recovered PostgreSQL for `database.mode: restore-from-dump`: one StatefulSet pod with a persistent volume, a
 * headless Service, and a NetworkPolicy that admits only the Medplum servers and the restore Job.
 *
 * Medplum's required settings are server arguments too, so they hold for every database on the server, not only for
 * the one the restore script configures. The data volume is never replaced by a re-run: the claim template is
 * ignored after creation (resize the claim by hand) and, with deletion protection, the StatefulSet cannot be destroyed.
 */
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { StatefulSetV1 } from "@cdktf/provider-kubernetes/lib/stateful-set-v1";
import { Construct } from "constructs";
import type { KubernetesTargetConfig, RecoveryConfig } from "../../../config/schema";
import { selectorLabels as serverSelector } from "../workload/labels";
import { componentLabels, componentSelector, POSTGRES_NAME, POSTGRES_PORT, restrictedContainerSecurity, restrictedPodSecurity, RESTORE_NAME } from "./labels";

export type DumpDatabaseConfig = Extract<KubernetesTargetConfig["database"], { mode: "restore-from-dump" }>;

export interface RecoveredPostgresProps {
  readonly config: RecoveryConfig;
  readonly database: DumpDatabaseConfig;
  readonly namespace: string;
}

/** Medplum's required settings (REFERENCE §1), as `postgres -c` arguments. */
export const MEDPLUM_SERVER_SETTINGS = ["statement_timeout=60000", "default_transaction_isolation=repeatable read"] as const;
const DATA_DIRECTORY = "/var/lib/postgresql/data";

export class RecoveredPostgres extends Construct {
  readonly statefulSet: StatefulSetV1;
  readonly service: ServiceV1;
  readonly networkPolicy: NetworkPolicyV1;

  constructor(scope: Construct, id: string, props: RecoveredPostgresProps) {
    super(scope, id);
    const { database, namespace } = props;
    const labels = componentLabels(props.config, POSTGRES_NAME);
    const selector = componentSelector(POSTGRES_NAME);
    const superuserPassword = { secretKeyRef: { name: database.superuser.secretName, key: database.superuser.passwordKey, optional: false } };
    const ready = { exec: { command: ["pg_isready", "--host=127.0.0.1", `--port=${POSTGRES_PORT}`, "--username=postgres"] } };

    this.service = new ServiceV1(this, "service", {
      metadata: { name: POSTGRES_NAME, namespace, labels },
      spec: {
        // Headless: the name resolves straight to the pod, which is what a StatefulSet's stable identity is for.
        clusterIp: "None",
        selector,
        port: [{ name: "postgres", port: POSTGRES_PORT, targetPort: "postgres", protocol: "TCP" }],
      },
    });

    this.statefulSet = new StatefulSetV1(this, "statefulSet", {
      metadata: { name: POSTGRES_NAME, namespace, labels },
      waitForRollout: true,
      lifecycle: {
        ignoreChanges: ["spec[0].volume_claim_template"],
        preventDestroy: database.deletionProtection,
      },
      spec: {
        serviceName: this.service.metadata.name,
        replicas: "1",
        selector: { matchLabels: selector },
        // The claim outlives the StatefulSet: deleting the set never deletes the recovered data.
        persistentVolumeClaimRetentionPolicy: [{ whenDeleted: "Retain", whenScaled: "Retain" }],
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: 120,
            securityContext: { ...restrictedPodSecurity(database.runAsUser), fsGroupChangePolicy: "OnRootMismatch" },
            container: [
              {
                name: "postgres",
                image: database.image,
                imagePullPolicy: "IfNotPresent",
                args: MEDPLUM_SERVER_SETTINGS.flatMap((setting) => ["-c", setting]),
                port: [{ name: "postgres", containerPort: POSTGRES_PORT, protocol: "TCP" }],
                env: [
                  { name: "POSTGRES_USER", value: "postgres" },
                  { name: "POSTGRES_PASSWORD", valueFrom: superuserPassword },
                  // A subdirectory: the volume's root may hold lost+found, which initdb refuses.
                  { name: "PGDATA", value: `${DATA_DIRECTORY}/pgdata` },
                ],
                resources: {
                  requests: { cpu: `${database.cpuMillicores}m`, memory: `${database.memoryMiB}Mi` },
                  limits: { cpu: `${database.cpuMillicores}m`, memory: `${database.memoryMiB}Mi` },
                },
                startupProbe: { ...ready, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 60 },
                readinessProbe: { ...ready, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
                livenessProbe: { ...ready, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 6 },
                securityContext: restrictedContainerSecurity(database.runAsUser),
                volumeMount: [
                  { name: "data", mountPath: DATA_DIRECTORY },
                  { name: "run", mountPath: "/var/run/postgresql" },
                  { name: "tmp", mountPath: "/tmp" },
                ],
              },
            ],
            volume: [
              { name: "run", emptyDir: { sizeLimit: "16Mi" } },
              { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
            ],
          },
        },
        volumeClaimTemplate: [
          {
            metadata: { name: "data", labels },
            spec: {
              accessModes: ["ReadWriteOnce"],
              ...(database.storageClass !== undefined ? { storageClassName: database.storageClass } : {}),
              resources: { requests: { storage: `${database.storageGiB}Gi` } },
            },
          },
        ],
      },
    });

    // Ingress only from the servers and the restore Job; no egress at all (Postgres calls nothing).
    this.networkPolicy = new NetworkPolicyV1(this, "networkPolicy", {
      metadata: { name: POSTGRES_NAME, namespace, labels },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ["Ingress", "Egress"],
        ingress: [
          {
            from: [{ podSelector: { matchLabels: serverSelector() } }, { podSelector: { matchLabels: componentSelector(RESTORE_NAME) } }],
            ports: [{ port: String(POSTGRES_PORT), protocol: "TCP" }],
          },
        ],
      },
    });
  }
}
