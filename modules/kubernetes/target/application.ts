/**
 * The application step of recovery-k8s: the shared MedplumWorkload wired to this target's config, database, Redis
 * and Secrets. The GKE and AKS bundles do the same with their own peers, Secrets and annotations.
 */
import type { ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";
import type { KubernetesTargetConfig, RecoveryConfig } from "../../../config/schema";
import type { BinaryStorage, RecoveredCache, RestoredDatabase } from "../../contracts";
import { MedplumWorkload, type NetworkPeer, type SecretKeyReference, type WorkloadIngressOptions } from "../workload";
import { componentSelector, POSTGRES_NAME, REDIS_NAME } from "./labels";
import { networkPeer } from "./peers";

/** Keys of the application Secret the platform team creates before the recovery. */
export const APPLICATION_SECRET_KEYS = {
  MEDPLUM_SIGNING_KEY: "signingKey",
  MEDPLUM_SIGNING_KEY_ID: "signingKeyId",
  MEDPLUM_SIGNING_KEY_PASSPHRASE: "signingKeyPassphrase",
} as const;

export interface KubernetesApplicationProps {
  readonly config: RecoveryConfig;
  readonly target: KubernetesTargetConfig;
  readonly namespace: string;
  readonly database: RestoredDatabase;
  readonly cache: RecoveredCache;
  readonly storage: BinaryStorage;
  /** The restore Job, when there is one: no server starts before the data is in. */
  readonly dependsOn: readonly ITerraformDependable[];
}

export function secretEnvironment(target: KubernetesTargetConfig): Record<string, SecretKeyReference> {
  const { database, redis, secrets, storage } = target;
  const environment: Record<string, SecretKeyReference> = {
    MEDPLUM_DATABASE_USERNAME: { secretName: database.credentials.secretName, key: database.credentials.usernameKey },
    MEDPLUM_DATABASE_PASSWORD: { secretName: database.credentials.secretName, key: database.credentials.passwordKey },
    MEDPLUM_REDIS_PASSWORD: { secretName: redis.password.secretName, key: redis.password.key },
  };
  for (const [name, key] of Object.entries(APPLICATION_SECRET_KEYS)) environment[name] = { secretName: secrets.applicationSecret, key };
  for (const [name, key] of Object.entries(storage.credentials?.keys ?? {})) environment[name] = { secretName: storage.credentials!.secretName, key };
  return environment;
}

export function ingressOptions(target: KubernetesTargetConfig): WorkloadIngressOptions {
  const { ingress, traffic } = target;
  return {
    className: ingress.className,
    tls:
      ingress.tls.mode === "cert-manager"
        ? { mode: "cert-manager", issuerName: ingress.tls.issuer, issuerKind: ingress.tls.issuerKind }
        : { mode: "existing-secret", secretName: ingress.tls.secretName },
    ...(traffic.mode === "external-dns" ? { externalDns: { ttlSeconds: traffic.ttlSeconds, txtOwnerId: traffic.txtOwnerId } } : {}),
    ...(ingress.annotations !== undefined ? { annotations: ingress.annotations } : {}),
  };
}

function databasePeers(target: KubernetesTargetConfig): NetworkPeer[] {
  return target.database.mode === "existing" ? target.database.allowedPeers.map(networkPeer) : [{ podLabels: componentSelector(POSTGRES_NAME) }];
}

function cachePeers(target: KubernetesTargetConfig): NetworkPeer[] {
  return target.redis.mode === "existing" ? target.redis.allowedPeers.map(networkPeer) : [{ podLabels: componentSelector(REDIS_NAME) }];
}

export function createApplication(scope: Construct, props: KubernetesApplicationProps): MedplumWorkload {
  const { target } = props;
  return new MedplumWorkload(scope, "workload", {
    config: props.config,
    namespace: props.namespace,
    // The network step created it: Postgres and Redis live in it too.
    createNamespace: false,
    database: props.database,
    // In-cluster Postgres is reached over the pod network, fenced by NetworkPolicies; an existing one says.
    databaseTls: target.database.mode === "existing" ? { require: target.database.tls } : { require: false },
    cache: props.cache,
    storage: props.storage,
    secretEnvironment: secretEnvironment(target),
    ...(target.storage.environment !== undefined ? { extraEnvironment: target.storage.environment } : {}),
    ...(target.serviceAccountAnnotations !== undefined ? { serviceAccount: { annotations: target.serviceAccountAnnotations } } : {}),
    ingress: ingressOptions(target),
    networkPolicy: {
      ingressFrom: target.ingress.allowedFrom.map(networkPeer),
      database: databasePeers(target),
      cache: cachePeers(target),
    },
    dependsOn: props.dependsOn,
  });
}
