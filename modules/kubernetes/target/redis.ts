/**
 * Redis 7 for `redis.mode: statefulset`: one pod without persistence (Medplum keeps only cache, pub/sub and queues in
 * Redis, so an empty one after a recovery is fine), a Service, and a NetworkPolicy that admits only the servers.
 *
 * The password reaches redis-server through its environment and a config read from stdin: it is in no argument (so
 * not in `ps` output or the pod spec) and nowhere in the synthesized JSON.
 */
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { StatefulSetV1 } from "@cdktf/provider-kubernetes/lib/stateful-set-v1";
import { Construct } from "constructs";
import type { KubernetesTargetConfig, RecoveryConfig } from "../../../config/schema";
import { selectorLabels as serverSelector } from "../workload/labels";
import { componentLabels, componentSelector, REDIS_NAME, REDIS_PORT, restrictedContainerSecurity, restrictedPodSecurity } from "./labels";

export type RedisStatefulSetConfig = Extract<KubernetesTargetConfig["redis"], { mode: "statefulset" }>;

export interface RecoveryRedisProps {
  readonly config: RecoveryConfig;
  readonly redis: RedisStatefulSetConfig;
  readonly namespace: string;
}

/** The redis user of the official image. */
const REDIS_USER = 999;

/**
 * `redis-server -` reads its config from stdin; the heredoc expands the password inside the container only. No `${`:
 * Terraform would read it as an interpolation.
 */
export const REDIS_START_COMMAND = [
  "sh",
  "-c",
  'exec redis-server - --port 6379 --save "" --appendonly no --protected-mode yes <<EOF\nrequirepass $REDIS_PASSWORD\nEOF\n',
];

export class RecoveryRedis extends Construct {
  readonly statefulSet: StatefulSetV1;
  readonly service: ServiceV1;
  readonly networkPolicy: NetworkPolicyV1;

  constructor(scope: Construct, id: string, props: RecoveryRedisProps) {
    super(scope, id);
    const { redis, namespace } = props;
    const labels = componentLabels(props.config, REDIS_NAME);
    const selector = componentSelector(REDIS_NAME);
    const password = { secretKeyRef: { name: redis.password.secretName, key: redis.password.key, optional: false } };

    this.service = new ServiceV1(this, "service", {
      metadata: { name: REDIS_NAME, namespace, labels },
      spec: { type: "ClusterIP", selector, port: [{ name: "redis", port: REDIS_PORT, targetPort: "redis", protocol: "TCP" }] },
    });

    this.statefulSet = new StatefulSetV1(this, "statefulSet", {
      metadata: { name: REDIS_NAME, namespace, labels },
      waitForRollout: true,
      spec: {
        serviceName: this.service.metadata.name,
        replicas: "1",
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurity(REDIS_USER),
            container: [
              {
                name: "redis",
                image: redis.image,
                imagePullPolicy: "IfNotPresent",
                command: [...REDIS_START_COMMAND],
                port: [{ name: "redis", containerPort: REDIS_PORT, protocol: "TCP" }],
                env: [
                  { name: "REDIS_PASSWORD", valueFrom: password },
                  // redis-cli reads the password from here, so the probe needs no -a argument.
                  { name: "REDISCLI_AUTH", valueFrom: password },
                ],
                resources: {
                  requests: { cpu: `${redis.cpuMillicores}m`, memory: `${redis.memoryMiB}Mi` },
                  limits: { cpu: `${redis.cpuMillicores}m`, memory: `${redis.memoryMiB}Mi` },
                },
                readinessProbe: {
                  exec: { command: ["sh", "-c", "redis-cli -h 127.0.0.1 ping | grep -q PONG"] },
                  periodSeconds: 10,
                  timeoutSeconds: 3,
                  failureThreshold: 3,
                },
                livenessProbe: { tcpSocket: [{ port: "redis" }], initialDelaySeconds: 15, periodSeconds: 20, timeoutSeconds: 3, failureThreshold: 3 },
                securityContext: restrictedContainerSecurity(REDIS_USER),
                volumeMount: [
                  { name: "data", mountPath: "/data" },
                  { name: "tmp", mountPath: "/tmp" },
                ],
              },
            ],
            volume: [
              { name: "data", emptyDir: { sizeLimit: "1Gi" } },
              { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
            ],
          },
        },
      },
    });

    this.networkPolicy = new NetworkPolicyV1(this, "networkPolicy", {
      metadata: { name: REDIS_NAME, namespace, labels },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [{ podSelector: { matchLabels: serverSelector() } }], ports: [{ port: String(REDIS_PORT), protocol: "TCP" }] }],
      },
    });
  }
}
