/**
 * The application step of recovery-k8s: the shared MedplumWorkload wired to this target's config, database, Redis
 * and Secrets. The GKE and AKS bundles do the same with their own peers, Secrets and annotations.
 */
import type { ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";
import type { KubernetesTargetConfig, RecoveryConfig } from "../../../config/schema";
import type { BinaryStorage, RecoveredCache, RestoredDatabase } from "../../contracts";
import { MEDPLUM_VARIABLES, medplumSecretEnvironment, readCaBundle, type DatabaseTls } from "../../medplum";
import { MedplumWorkload, type NetworkPeer, type SecretKeyReference, type WorkloadIngressOptions } from "../workload";
import { componentSelector, POSTGRES_NAME, REDIS_NAME } from "./labels";
import { networkPeer } from "./peers";

/** Keys of the application Secret (when the platform team names one) that hold Medplum's signing key settings. */
export const APPLICATION_SECRET_KEYS = {
  [MEDPLUM_VARIABLES.signingKey]: "signingKey",
  [MEDPLUM_VARIABLES.signingKeyId]: "signingKeyId",
  [MEDPLUM_VARIABLES.signingKeyPassphrase]: "signingKeyPassphrase",
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

export function secretEnvironment(config: RecoveryConfig, target: KubernetesTargetConfig, database: RestoredDatabase): Record<string, SecretKeyReference> {
  const { redis, secrets, storage } = target;
  const credentials = target.database.credentials;
  const application = secrets.applicationSecret;
  const environment: Record<string, SecretKeyReference> = medplumSecretEnvironment<SecretKeyReference>(
    { medplum: config.medplum, database },
    {
      databaseUsername: { secretName: credentials.secretName, key: credentials.usernameKey },
      databasePassword: { secretName: credentials.secretName, key: credentials.passwordKey },
      redisPassword: { secretName: redis.password.secretName, key: redis.password.key },
      ...(secrets.smtpPassword !== undefined ? { smtpPassword: { secretName: secrets.smtpPassword.secretName, key: secrets.smtpPassword.key } } : {}),
      ...(application !== undefined
        ? {
            signingKey: {
              key: { secretName: application, key: APPLICATION_SECRET_KEYS[MEDPLUM_VARIABLES.signingKey] },
              keyId: { secretName: application, key: APPLICATION_SECRET_KEYS[MEDPLUM_VARIABLES.signingKeyId] },
              passphrase: { secretName: application, key: APPLICATION_SECRET_KEYS[MEDPLUM_VARIABLES.signingKeyPassphrase] },
            },
          }
        : {}),
    },
  );
  for (const [name, key] of Object.entries(storage.credentials?.keys ?? {})) environment[name] = { secretName: storage.credentials!.secretName, key };
  return environment;
}

/**
 * TLS to the database. The Postgres this target runs itself has no server certificate and is reached over the pod
 * network only, fenced by NetworkPolicies; an existing database says in config whether it speaks TLS.
 */
export function databaseTls(target: KubernetesTargetConfig): DatabaseTls {
  const { database } = target;
  if (database.mode !== "existing") {
    return { mode: "off", reason: "the in-cluster Postgres StatefulSet has no TLS; only the servers' pods reach it (NetworkPolicy)" };
  }
  if (!database.tls) return { mode: "off", reason: "targets.kubernetes.database.tls is false" };
  return database.caBundleFile !== undefined
    ? { mode: "verify", ca: readCaBundle(database.caBundleFile, "targets.kubernetes.database.caBundleFile") }
    : { mode: "verify" };
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
    databaseTls: databaseTls(target),
    cache: props.cache,
    storage: props.storage,
    ...(target.storage.awsRegion !== undefined ? { awsRegion: target.storage.awsRegion } : {}),
    secretEnvironment: secretEnvironment(props.config, target, props.database),
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
