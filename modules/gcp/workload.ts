/**
 * The application tier on GCP: the Autopilot cluster, the stack's kubernetes provider connected to it, the Medplum service
 * account with workload identity, the load balancer pieces, and the shared MedplumWorkload wired to the restored
 * database, the cache, the bucket and the Secret Manager values.
 *
 * Sensitive values reach the pods through one Kubernetes Secret whose data are Terraform references (Secret Manager
 * `secret_data`, the Memorystore `auth_string`): never literals in the synthesized JSON.
 */
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { GcpTargetConfig, RecoveryConfig } from "../../config/schema";
import type { ApplicationTier, BinaryStorage } from "../contracts";
import { MedplumWorkload, requireIngress, type SecretKeyReference } from "../kubernetes/workload";
import { MEDPLUM_VARIABLES, medplumSecretEnvironment } from "../medplum";
import type { GcpRecoveredCache } from "./cache";
import { GcpCluster } from "./cluster";
import type { GcpRestoredDatabase } from "./database";
import { GcpWorkloadIdentity } from "./identity";
import { GkeKubernetesProvider } from "./kubernetes-provider";
import { GcpGateway, usesGateway } from "./gateway";
import { GcpLoadBalancer, GKE_INGRESS_CLASS } from "./load-balancer";
import type { GcpNetwork } from "./network";
import type { GcpApplicationSecrets } from "./secrets";
import { keepsStandingInfrastructure } from "../standby-contracts";
import { gcpStandingNames } from "./standing-names";

export interface GcpApplicationProps {
  readonly config: RecoveryConfig;
  readonly gcp: GcpTargetConfig;
  readonly namePrefix: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly network: GcpNetwork;
  readonly database: GcpRestoredDatabase;
  readonly cache: GcpRecoveredCache;
  readonly storage: BinaryStorage;
  readonly secrets: GcpApplicationSecrets;
  /** The stack's kubernetes provider, declared by configureProviders; connected here to the cluster this step creates. */
  readonly kubernetesProvider: GkeKubernetesProvider;
}

/** The contract value plus what the GCP traffic step waits for. */
export interface GcpApplicationTier extends ApplicationTier {
  /** The servers rolled out and the Ingress (or Gateway) built: DNS sends users over only then. */
  readonly servingDependencies: readonly ITerraformDependable[];
}

/** The namespace the servers run in; part of the workload identity binding. */
export const MEDPLUM_NAMESPACE = "medplum";
/** The Kubernetes Secret holding every sensitive MEDPLUM_* value, keyed by variable name. */
export const MEDPLUM_SECRET_NAME = "medplum-server-secrets";

/**
 * Google's load balancer proxies and health checkers reach pods directly (container-native load balancing) from these
 * ranges: https://cloud.google.com/load-balancing/docs/health-check-concepts#ip-ranges
 */
export const GOOGLE_LOAD_BALANCER_RANGES = ["35.191.0.0/16", "130.211.0.0/22"] as const;

export class GcpApplication extends Construct {
  readonly cluster: GcpCluster;
  readonly identity: GcpWorkloadIdentity;
  readonly loadBalancer: GcpLoadBalancer;
  readonly workload: MedplumWorkload;
  /** With `tls.mode: certificate-map`, in place of the workload's Ingress. */
  readonly gateway?: GcpGateway;
  readonly value: GcpApplicationTier;

  constructor(scope: Construct, id: string, props: GcpApplicationProps) {
    super(scope, id);
    const { gcp, namePrefix, database, cache } = props;

    this.cluster = new GcpCluster(this, "gke", {
      project: gcp.project,
      region: gcp.region,
      name: gcpStandingNames(namePrefix).cluster,
      cluster: gcp.cluster,
      network: props.network,
      labels: props.labels,
      // pilot-light and warm-standby: standby-gcp keeps the cluster standing; the recovery finds it by name.
      adopt: keepsStandingInfrastructure(gcp.standby?.tier),
      gatewayApi: usesGateway(gcp),
    });
    props.kubernetesProvider.connect(this, { endpoint: this.cluster.endpoint, clusterCaCertificateBase64: this.cluster.clusterCaCertificateBase64 });

    this.identity = new GcpWorkloadIdentity(this, "identity", {
      project: gcp.project,
      accountId: `${namePrefix}-medplum`,
      bucketName: props.storage.name,
    });

    this.loadBalancer = new GcpLoadBalancer(this, "loadBalancer", {
      project: gcp.project,
      namePrefix,
      apiHostname: props.config.medplum.hostnames.api,
      tls: gcp.tls,
      labels: props.labels,
    });

    const ingressAnnotations = this.loadBalancer.ingressAnnotations;
    const V = MEDPLUM_VARIABLES;
    const {
      [V.smtpPassword]: smtpPassword,
      [V.signingKey]: key,
      [V.signingKeyId]: keyId,
      [V.signingKeyPassphrase]: passphrase,
      ...additional
    } = props.secrets.values;
    const secretData: Record<string, string> = {
      ...additional,
      ...medplumSecretEnvironment<string>(
        { medplum: props.config.medplum, database },
        {
          databasePassword: database.passwordValue,
          redisPassword: cache.authStringValue,
          ...(smtpPassword !== undefined ? { smtpPassword } : {}),
          ...(key !== undefined && keyId !== undefined ? { signingKey: { key, keyId, ...(passphrase !== undefined ? { passphrase } : {}) } } : {}),
        },
      ),
    };
    const secretEnvironment: Record<string, SecretKeyReference> = Object.fromEntries(
      Object.keys(secretData)
        .sort()
        .map((variable) => [variable, { secretName: MEDPLUM_SECRET_NAME, key: variable }]),
    );

    this.workload = new MedplumWorkload(this, "medplum", {
      config: props.config,
      namespace: MEDPLUM_NAMESPACE,
      database,
      // The servers dial the private IP and verify the certificate against the instance's CA and its DNS name (the
      // shared CA puts it in the certificate). docs/targets/gcp.md, "Database TLS".
      databaseTls: { mode: "verify", ca: database.serverCaCertificate, serverName: database.serverName },
      // The contract carries the cache's CA (Memorystore's per-instance one, or the PEM config names for the team's
      // own Redis), and the workload verifies the server against it.
      cache,
      storage: props.storage,
      secretEnvironment,
      secretsToCreate: [{ id: "secrets", name: MEDPLUM_SECRET_NAME, data: secretData }],
      serviceAccount: { annotations: { "iam.gke.io/gcp-service-account": this.identity.serviceAccount.email } },
      // Container-native load balancing: the load balancer targets pods, and its health check follows the
      // readiness probe on /healthcheck. The Gateway controller creates its NEGs without the annotation.
      ...(ingressAnnotations !== undefined
        ? {
            service: { annotations: { "cloud.google.com/neg": '{"ingress": true}' } },
            ingress: {
              // GKE's controller ignores an Ingress whose spec names a class (it serves no IngressClass); it takes
              // the class annotation instead, so no className is given.
              tls: { mode: "cloud-managed", annotations: ingressAnnotations },
              annotations: { "kubernetes.io/ingress.class": GKE_INGRESS_CLASS },
            },
          }
        : { ingress: null }),
      networkPolicy: {
        ingressFrom: GOOGLE_LOAD_BALANCER_RANGES.map((cidr) => ({ cidr })),
        database: [{ cidr: `${database.host}/32` }],
        cache: cache.networkPolicyCidrs.map((cidr) => ({ cidr })),
        additionalEgress: [
          // Workload identity: the GKE metadata server (Dataplane V2 serves it on 169.254.169.252:988).
          { peers: [{ cidr: "169.254.169.254/32" }], ports: [{ port: 80 }] },
          { peers: [{ cidr: "169.254.169.252/32" }], ports: [{ port: 988 }] },
        ],
      },
      dependsOn: [...database.ready, this.identity.bucketAccess],
    });

    const tls = gcp.tls;
    if (tls.mode === "certificate-map") {
      this.gateway = new GcpGateway(this, "gateway", {
        project: gcp.project,
        namespace: MEDPLUM_NAMESPACE,
        hostname: props.config.medplum.hostnames.api,
        mapName: tls.mapName,
        addressName: this.loadBalancer.address.name,
        sslPolicyName: this.loadBalancer.sslPolicy.name,
        labels: props.labels,
        // Not the rollout: the controller builds the load balancer while the servers start (minutes off the RTO), and
        // the DNS record, which waits for both, is what sends users over.
        dependsOn: [this.workload.service],
      });
    }
    // DNS switches once the load balancer routes: the Gateway programmed and its route attached, or the Ingress built.
    const front: readonly ITerraformDependable[] =
      this.gateway !== undefined ? [this.gateway.gateway, this.gateway.route] : [requireIngress(this.workload).ingress];

    this.identity.allowKubernetesServiceAccount(this.workload.namespaceName, this.workload.serviceAccount.metadata.name);

    this.value = {
      // The reserved address is what DNS points at; it exists before the ingress controller has finished.
      entryPointDnsName: this.loadBalancer.address.address,
      entryPointId: this.loadBalancer.address.id,
      serviceId: `${this.cluster.id}/namespaces/${MEDPLUM_NAMESPACE}/deployments/${this.workload.deployment.metadata.name}`,
      servingDependencies: [this.workload.deployment, ...front],
    };
  }
}
