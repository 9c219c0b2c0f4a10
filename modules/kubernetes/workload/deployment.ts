/**
 * The Medplum server Deployment: secure by default (restricted Pod Security profile), probes with the timings of
 * Medplum's Helm chart, requests equal to limits so the scheduler reserves what the config asks for, and spread
 * across zones so one zone's loss leaves servers running.
 *
 * Readiness asks /healthcheck (PostgreSQL and Redis reachable), so traffic reaches only servers that can serve it.
 * Startup and liveness, which restart the container, connect to the server port instead: /healthcheck fails on every
 * pod at once while the database fails over, and restarting them all helps nothing (facts/medplum-health.ts).
 */
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import type { ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";
import type { SecretEnvironmentVariable } from "./configuration";
import { HEALTHCHECK_PATH, SERVER_NAME, SERVER_PORT, SERVER_PORT_NAME } from "./labels";

/** The non-root user of Medplum's image and Helm chart. */
export const SERVER_USER_ID = "65532";

export interface WorkloadDeploymentProps {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly selector: Readonly<Record<string, string>>;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly podAnnotations: Readonly<Record<string, string>>;
  readonly image: string;
  readonly replicas: number;
  readonly cpuMillicores: number;
  readonly memoryMiB: number;
  readonly serviceAccountName: string;
  readonly automountServiceAccountToken: boolean;
  readonly configMapName: string;
  readonly secretVariables: readonly SecretEnvironmentVariable[];
  /** Rolls the pods when the configuration changes. */
  readonly configChecksum: string;
  readonly dependsOn: readonly ITerraformDependable[];
  /** How long Terraform waits for the rollout; first start runs migrations. */
  readonly rolloutTimeoutMinutes: number;
}

export function createDeployment(scope: Construct, props: WorkloadDeploymentProps): DeploymentV1 {
  // The port opens only once migrations finished; an open port means the process started and is listening.
  const listening = { tcpSocket: [{ port: SERVER_PORT_NAME }] };
  const serving = { httpGet: { path: HEALTHCHECK_PATH, port: SERVER_PORT_NAME, scheme: "HTTP" } };
  const spreadSelector = [{ matchLabels: { ...props.selector } }];
  const timeout = `${props.rolloutTimeoutMinutes}m`;

  return new DeploymentV1(scope, "deployment", {
    ...(props.dependsOn.length > 0 ? { dependsOn: [...props.dependsOn] } : {}),
    metadata: { name: SERVER_NAME, namespace: props.namespace, labels: { ...props.labels } },
    waitForRollout: true,
    timeouts: { create: timeout, update: timeout },
    // The HorizontalPodAutoscaler owns the replica count once running; without this, every apply would reset it.
    lifecycle: { ignoreChanges: ["spec[0].replicas"] },
    spec: {
      replicas: String(props.replicas),
      revisionHistoryLimit: 5,
      selector: { matchLabels: { ...props.selector } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "1", maxUnavailable: "0" } },
      template: {
        metadata: {
          labels: { ...props.labels, ...props.podLabels, ...props.selector },
          annotations: { ...props.podAnnotations, "medplum-dr/config-checksum": props.configChecksum },
        },
        spec: {
          serviceAccountName: props.serviceAccountName,
          automountServiceAccountToken: props.automountServiceAccountToken,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: 60,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: SERVER_USER_ID,
            runAsGroup: SERVER_USER_ID,
            fsGroup: SERVER_USER_ID,
            seccompProfile: { type: "RuntimeDefault" },
          },
          topologySpreadConstraint: [
            // ScheduleAnyway: a single-zone cluster (or a zone already lost) must still run every server.
            { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: spreadSelector },
            { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: spreadSelector },
          ],
          container: [
            {
              name: "server",
              image: props.image,
              imagePullPolicy: "IfNotPresent",
              // The config source: every setting comes from MEDPLUM_* environment variables.
              args: ["env"],
              port: [{ name: SERVER_PORT_NAME, containerPort: SERVER_PORT, protocol: "TCP" }],
              envFrom: [{ configMapRef: { name: props.configMapName } }],
              env: props.secretVariables.map((variable) => ({
                name: variable.name,
                valueFrom: { secretKeyRef: { ...variable.valueFrom.secretKeyRef } },
              })),
              resources: {
                requests: { cpu: `${props.cpuMillicores}m`, memory: `${props.memoryMiB}Mi` },
                limits: { cpu: `${props.cpuMillicores}m`, memory: `${props.memoryMiB}Mi` },
              },
              // Medplum's Helm chart timings: up to 60 x 10 s for the first start (migrations), liveness after 60 s.
              startupProbe: { ...listening, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 60 },
              livenessProbe: { ...listening, initialDelaySeconds: 60, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 },
              readinessProbe: { ...serving, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3, successThreshold: 1 },
              securityContext: {
                runAsNonRoot: true,
                runAsUser: SERVER_USER_ID,
                allowPrivilegeEscalation: false,
                privileged: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
              },
              volumeMount: [{ name: "tmp", mountPath: "/tmp" }],
            },
          ],
          // Uploads are buffered in /tmp; the root filesystem stays read-only.
          volume: [{ name: "tmp", emptyDir: { sizeLimit: "1Gi" } }],
        },
      },
    },
  });
}
