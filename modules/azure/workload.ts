/**
 * The shared MedplumWorkload on the recovery AKS cluster, wired to the Azure pieces: workload identity on the service
 * account and pods, the sensitive settings in Kubernetes Secrets built from Terraform references (Key Vault data
 * sources, the Redis access key), the ingress class and certificate from config, and NetworkPolicy peers that are the
 * PostgreSQL and private-endpoint subnets.
 */
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { AzureTargetConfig, RecoveryConfig } from "../../config/schema";
import type { BinaryStorage, RecoveredCache, RestoredDatabase } from "../contracts";
import { MedplumWorkload, type IngressTls, type SecretKeyReference } from "../kubernetes/workload";
import { SERVER_NAME } from "../kubernetes/workload/labels";
import type { VaultVariable } from "./secrets";

export const WORKLOAD_NAMESPACE = "medplum";
/** The service account the workload creates; the federated credential's subject names it. */
export const SERVICE_ACCOUNT_NAME = SERVER_NAME;
const APP_SECRET = "medplum-app";
const REDIS_SECRET = "medplum-redis";

/** Kubernetes Secret key per vault-held variable. */
const APP_SECRET_KEYS: Readonly<Record<VaultVariable, string>> = {
  MEDPLUM_DATABASE_PASSWORD: "databasePassword",
  MEDPLUM_SIGNING_KEY: "signingKey",
  MEDPLUM_SIGNING_KEY_ID: "signingKeyId",
  MEDPLUM_SIGNING_KEY_PASSPHRASE: "signingKeyPassphrase",
};

export interface AksWorkloadProps {
  readonly config: RecoveryConfig;
  readonly ingress: AzureTargetConfig["ingress"];
  readonly database: RestoredDatabase;
  readonly cache: RecoveredCache;
  readonly storage: BinaryStorage;
  /** Terraform references to the vault-held values. */
  readonly vaultValues: Readonly<Record<VaultVariable, string>>;
  /** Terraform reference to the Redis access key. */
  readonly redisAccessKey: string;
  /** The servers' managed identity (client id) for workload identity. */
  readonly identityClientId: string;
  readonly postgresSubnetCidr: string;
  readonly privateEndpointSubnetCidr: string;
  /** What the servers' first start waits for (identity federation and grants, server parameters). */
  readonly dependsOn: readonly ITerraformDependable[];
}

/** The ingress certificate, in the shared workload's terms. */
export function ingressTls(tls: AzureTargetConfig["ingress"]["tls"]): { tls: IngressTls; annotations: Record<string, string> } {
  switch (tls.mode) {
    case "key-vault-certificate":
      // The application routing add-on syncs the Key Vault certificate into the Secret `keyvault-<ingress name>`.
      return {
        tls: { mode: "existing-secret", secretName: `keyvault-${SERVER_NAME}` },
        annotations: { "kubernetes.azure.com/tls-cert-keyvault-uri": tls.certificateUri },
      };
    case "cert-manager":
      return { tls: { mode: "cert-manager", issuerName: tls.issuerName }, annotations: {} };
    case "existing-secret":
      return { tls: { mode: "existing-secret", secretName: tls.secretName }, annotations: {} };
  }
}

export function createAksWorkload(scope: Construct, id: string, props: AksWorkloadProps): MedplumWorkload {
  const appSecretEnvironment = Object.fromEntries(
    (Object.keys(APP_SECRET_KEYS) as VaultVariable[]).map((variable): [string, SecretKeyReference] => [variable, { secretName: APP_SECRET, key: APP_SECRET_KEYS[variable] }]),
  );
  const appSecretData = Object.fromEntries((Object.keys(APP_SECRET_KEYS) as VaultVariable[]).map((variable) => [APP_SECRET_KEYS[variable], props.vaultValues[variable]]));
  const tls = ingressTls(props.ingress.tls);

  return new MedplumWorkload(scope, id, {
    config: props.config,
    namespace: WORKLOAD_NAMESPACE,
    database: props.database,
    // Flexible Server certificates chain to public roots in Node's bundle: verify them.
    databaseTls: { require: true, rejectUnauthorized: true },
    cache: props.cache,
    storage: props.storage,
    secretEnvironment: { ...appSecretEnvironment, MEDPLUM_REDIS_PASSWORD: { secretName: REDIS_SECRET, key: "password" } },
    secretsToCreate: [
      { id: "appSecret", name: APP_SECRET, data: appSecretData },
      { id: "redisSecret", name: REDIS_SECRET, data: { password: props.redisAccessKey } },
    ],
    serviceAccount: { annotations: { "azure.workload.identity/client-id": props.identityClientId } },
    // The workload identity webhook injects the federated token and AZURE_* variables into labelled pods only.
    podLabels: { "azure.workload.identity/use": "true" },
    ingress: {
      className: props.ingress.className,
      tls: tls.tls,
      annotations: tls.annotations,
    },
    networkPolicy: {
      ingressFrom: [{ namespaceLabels: { "kubernetes.io/metadata.name": props.ingress.controllerNamespace } }],
      database: [{ cidr: props.postgresSubnetCidr }],
      cache: [{ cidr: props.privateEndpointSubnetCidr }],
    },
    dependsOn: props.dependsOn,
  });
}
