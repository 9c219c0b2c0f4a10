/**
 * MedplumWorkload: the Medplum server on any Kubernetes cluster (plain, GKE, AKS), built from typed
 * `kubernetes_*_v1` resources only, so a stack plans without CRDs or API access at plan time.
 *
 * Creates: (optionally) the namespace, a service account without a mounted token, the ConfigMap of non-sensitive
 * MEDPLUM_* settings, (optionally) Secrets from Terraform references, the Deployment, a ClusterIP Service, the Ingress
 * with TLS, a HorizontalPodAutoscaler, a PodDisruptionBudget and a default-deny NetworkPolicy.
 *
 * Sensitive settings reach the pods only through `secretKeyRef`s to Kubernetes Secrets; nothing sensitive is a
 * literal in the synthesized JSON. The props interface is shared with the GKE and AKS bundles: additive changes only.
 */
import type { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import type { HorizontalPodAutoscalerV2 } from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import type { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import type { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import type { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import type { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import type { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import type { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { RecoveryConfig } from "../../../config/schema";
import type { BinaryStorage, RecoveredCache, RestoredDatabase } from "../../contracts";
import { createAutoscaler } from "./autoscaling";
import type { DatabaseTls } from "../../medplum";
import { serverEnvironment, WorkloadConfiguration, type SecretKeyReference, type WorkloadSecret } from "./configuration";
import { createDeployment } from "./deployment";
import { createDisruptionBudget, DEFAULT_DISRUPTION_BUDGET, type DisruptionBudget } from "./disruption-budget";
import { createIngress, ingressAddress, type WorkloadIngressOptions } from "./ingress";
import { selectorLabels, SERVER_PORT, workloadLabels } from "./labels";
import { createNamespace } from "./namespace";
import { createNetworkPolicy, type WorkloadNetworkPolicyOptions } from "./network-policy";
import { createService, type WorkloadServiceOptions } from "./service";
import { createServiceAccount, type WorkloadServiceAccountOptions } from "./service-account";
import { validateWorkloadProps } from "./validation";

export interface MedplumWorkloadProps {
  /** The recovery config: image, base URL, host names, server sizing and count. */
  readonly config: RecoveryConfig;
  /** Namespace of every object; may be a reference to a namespace the caller created. */
  readonly namespace: string;
  /**
   * Create the namespace (with the `restricted` Pod Security labels). Turn off when the caller created it, e.g.
   * because the restored database lives in it too.
   * @default true
   */
  readonly createNamespace?: boolean;
  readonly database: RestoredDatabase;
  /**
   * TLS to the database (Medplum's `database.ssl`).
   * @default { mode: "verify" } - TLS, the server certificate verified against Node's bundled public roots
   */
  readonly databaseTls?: DatabaseTls;
  /**
   * Region of Medplum's S3 and SES clients (MEDPLUM_AWS_REGION); they ignore AWS_REGION and default to us-east-1.
   * @default - none; required with `s3:` binary storage
   */
  readonly awsRegion?: string;
  readonly cache: RecoveredCache;
  readonly storage: BinaryStorage;
  /**
   * Every sensitive environment variable, by name, to the Kubernetes Secret and key holding it; build the Medplum ones
   * with `medplumSecretEnvironment` (modules/medplum). Required: MEDPLUM_DATABASE_PASSWORD, MEDPLUM_REDIS_PASSWORD,
   * MEDPLUM_DATABASE_USERNAME unless `database.username` is a plain name, and MEDPLUM_SMTP_PASSWORD exactly when
   * `medplum.smtp` is set. The signing key variables are optional (Medplum uses them only for CloudFront-signed `s3:`
   * URLs). Other credentials (e.g. AWS_ACCESS_KEY_ID for S3-compatible binary storage) go here too.
   */
  readonly secretEnvironment: Readonly<Record<string, SecretKeyReference>>;
  /**
   * Secrets to create in the namespace from Terraform references (never literals); `secretEnvironment` names them.
   * @default - none: every Secret already exists in the cluster
   */
  readonly secretsToCreate?: readonly WorkloadSecret[];
  /**
   * Further non-sensitive environment variables (e.g. MEDPLUM_LOG_LEVEL). Names that look like credentials are refused.
   * @default - none
   */
  readonly extraEnvironment?: Readonly<Record<string, string>>;
  /** @default - a service account with no annotations and no mounted token */
  readonly serviceAccount?: WorkloadServiceAccountOptions;
  /** Extra pod labels, e.g. `azure.workload.identity/use: "true"` for AKS workload identity. @default - none */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** Extra pod annotations. @default - none */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /** @default - a plain ClusterIP Service */
  readonly service?: WorkloadServiceOptions;
  /**
   * The Ingress in front of the Service; `null` when the caller routes to the Service itself (GKE's Gateway API
   * routes, modules/gcp/gateway.ts).
   */
  readonly ingress: WorkloadIngressOptions | null;
  readonly networkPolicy: WorkloadNetworkPolicyOptions;
  /** Average CPU utilization the autoscaler aims for. @default 70 */
  readonly targetCpuUtilizationPercent?: number;
  /** @default { maxUnavailable: 1 } */
  readonly disruptionBudget?: DisruptionBudget;
  /**
   * How long Terraform waits for the Deployment to roll out; the first start runs migrations on the restored data.
   * @default 30
   */
  readonly rolloutTimeoutMinutes?: number;
  /**
   * What must be complete before the servers start, e.g. the database restore Job: a server started on a
   * half-restored database would run migrations against it.
   * @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export const DEFAULT_TARGET_CPU_UTILIZATION_PERCENT = 70;
export const DEFAULT_ROLLOUT_TIMEOUT_MINUTES = 30;

export class MedplumWorkload extends Construct {
  /** Undefined when the caller owns the namespace. */
  readonly namespace?: NamespaceV1;
  /** The namespace name (a reference when the namespace was created here). */
  readonly namespaceName: string;
  readonly serviceAccount: ServiceAccountV1;
  readonly configuration: WorkloadConfiguration;
  readonly deployment: DeploymentV1;
  readonly service: ServiceV1;
  /** Undefined when the caller routes to the Service itself (`ingress: null`). */
  readonly ingress?: IngressV1;
  readonly autoscaler: HorizontalPodAutoscalerV2;
  readonly disruptionBudget: PodDisruptionBudgetV1;
  readonly networkPolicy: NetworkPolicyV1;
  /** The address the ingress controller published (host name or IP); where the api record must point. */
  readonly ingressAddress?: string;
  /** Labels that select the server pods, for other objects' NetworkPolicies. */
  readonly podSelector: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: MedplumWorkloadProps) {
    super(scope, id);
    const { config } = props;
    const server = config.medplum.server;
    const labels = workloadLabels(config);
    const selector = selectorLabels();
    this.podSelector = selector;

    // Without the region an s3: environment cannot be built; validation then reports the missing prop with the rest.
    const regionMissing = props.storage.medplumBinaryStorage.startsWith("s3:") && props.awsRegion === undefined;
    const environment = regionMissing
      ? {}
      : serverEnvironment({
          port: SERVER_PORT,
          medplum: config.medplum,
          database: props.database,
          databaseTls: props.databaseTls ?? { mode: "verify" },
          cache: props.cache,
          storage: props.storage,
          ...(props.awsRegion !== undefined ? { awsRegion: props.awsRegion } : {}),
          extraEnvironment: {},
        });
    validateWorkloadProps(props, new Set(Object.keys(environment)));

    this.namespace = (props.createNamespace ?? true) ? createNamespace(this, { name: props.namespace, labels }) : undefined;
    const namespace = this.namespace?.metadata.name ?? props.namespace;
    this.namespaceName = namespace;

    this.serviceAccount = createServiceAccount(this, { ...(props.serviceAccount ?? {}), namespace, workloadLabels: labels });

    this.configuration = new WorkloadConfiguration(this, "configuration", {
      namespace,
      labels,
      environment: { ...environment, ...sortedCopy(props.extraEnvironment ?? {}) },
      secretEnvironment: props.secretEnvironment,
      secretsToCreate: props.secretsToCreate ?? [],
    });

    this.deployment = createDeployment(this, {
      namespace,
      labels,
      selector,
      podLabels: props.podLabels ?? {},
      podAnnotations: props.podAnnotations ?? {},
      image: config.medplum.image,
      replicas: server.count,
      cpuMillicores: server.cpuMillicores,
      memoryMiB: server.memoryMiB,
      serviceAccountName: this.serviceAccount.metadata.name,
      automountServiceAccountToken: props.serviceAccount?.automountToken ?? false,
      configMapName: this.configuration.configMap.metadata.name,
      secretVariables: this.configuration.secretVariables,
      configChecksum: this.configuration.checksum,
      dependsOn: props.dependsOn ?? [],
      rolloutTimeoutMinutes: props.rolloutTimeoutMinutes ?? DEFAULT_ROLLOUT_TIMEOUT_MINUTES,
    });

    this.service = createService(this, { ...(props.service ?? {}), namespace, labels, selector });
    if (props.ingress !== null) {
      this.ingress = createIngress(this, {
        ...props.ingress,
        namespace,
        labels,
        hostname: config.medplum.hostnames.api,
        serviceName: this.service.metadata.name,
        // The ingress's address is where traffic is switched to (external-dns, or a record referencing it), so it
        // appears only once the servers have rolled out, which they do only after the database restore finished.
        dependsOn: [this.deployment],
      });
      this.ingressAddress = ingressAddress(this.ingress);
    }

    this.autoscaler = createAutoscaler(this, {
      namespace,
      labels,
      deploymentName: this.deployment.metadata.name,
      minReplicas: server.count,
      maxReplicas: server.maxCount ?? 3 * server.count,
      targetCpuUtilizationPercent: props.targetCpuUtilizationPercent ?? DEFAULT_TARGET_CPU_UTILIZATION_PERCENT,
    });
    this.disruptionBudget = createDisruptionBudget(this, { namespace, labels, selector, budget: props.disruptionBudget ?? DEFAULT_DISRUPTION_BUDGET });
    this.networkPolicy = createNetworkPolicy(this, {
      ...props.networkPolicy,
      namespace,
      labels,
      selector,
      databasePort: props.database.port,
      cachePort: props.cache.port,
    });
  }
}

/** The Ingress of a workload built with one, and its published address. */
export function requireIngress(workload: MedplumWorkload): { readonly ingress: IngressV1; readonly address: string } {
  if (workload.ingress === undefined || workload.ingressAddress === undefined) {
    throw new Error(`${workload.node.path}: was built with ingress: null; its caller routes traffic to the Service`);
  }
  return { ingress: workload.ingress, address: workload.ingressAddress };
}

function sortedCopy(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, record[key]!]),
  );
}

export type { SecretKeyReference, WorkloadSecret } from "./configuration";
export type { DatabaseTls } from "../../medplum";
export type { DisruptionBudget } from "./disruption-budget";
export type { ExternalDnsOptions, IngressTls, WorkloadIngressOptions } from "./ingress";
export type { CidrPeer, EgressRule, NetworkPeer, NetworkPort, SelectorPeer, WorkloadNetworkPolicyOptions } from "./network-policy";
export type { WorkloadServiceOptions } from "./service";
export type { WorkloadServiceAccountOptions } from "./service-account";
export { restrictedPodSecurityLabels } from "./namespace";
export { MedplumWorkloadPropsError } from "./validation";
export { SENSITIVE_MEDPLUM_VARIABLES } from "./configuration";
export { SERVER_NAME, SERVER_PORT } from "./labels";
