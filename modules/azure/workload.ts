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
import { MedplumWorkload, SERVER_NAME, type IngressTls, type SecretKeyReference } from "../kubernetes/workload";
import { medplumSecretEnvironment } from "../medplum";
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
  MEDPLUM_SMTP_PASSWORD: "smtpPassword",
};

export interface AksWorkloadProps {
  readonly config: RecoveryConfig;
  readonly ingress: AzureTargetConfig["ingress"];
  readonly database: RestoredDatabase;
  readonly cache: RecoveredCache;
  readonly storage: BinaryStorage;
  /** Terraform references to the vault-held values the config names. */
  readonly vaultValues: Readonly<Partial<Record<VaultVariable, string>>>;
  /** Terraform reference to the Redis access key. */
  readonly redisAccessKey: string;
  /** The servers' managed identity (client id) for workload identity. */
  readonly identityClientId: string;
  readonly postgresSubnetCidr: string;
  /** Where the servers reach Redis: the private-endpoint subnet, or the ranges of a team's own Redis. */
  readonly cacheCidrs: readonly string[];
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
  const held = (Object.keys(APP_SECRET_KEYS) as VaultVariable[]).filter((variable) => props.vaultValues[variable] !== undefined);
  const inAppSecret = (variable: VaultVariable): SecretKeyReference | undefined =>
    held.includes(variable) ? { secretName: APP_SECRET, key: APP_SECRET_KEYS[variable] } : undefined;
  const databasePassword = inAppSecret("MEDPLUM_DATABASE_PASSWORD");
  if (databasePassword === undefined) throw new Error("createAksWorkload: the recovery vault gives no database password");
  const smtpPassword = inAppSecret("MEDPLUM_SMTP_PASSWORD");
  const signingKey = inAppSecret("MEDPLUM_SIGNING_KEY");
  const signingKeyId = inAppSecret("MEDPLUM_SIGNING_KEY_ID");
  const signingKeyPassphrase = inAppSecret("MEDPLUM_SIGNING_KEY_PASSPHRASE");
  // The variable names come from modules/medplum, which owns Medplum's settings.
  const secretEnvironment = medplumSecretEnvironment<SecretKeyReference>(
    { medplum: props.config.medplum, database: props.database },
    {
      databasePassword,
      redisPassword: { secretName: REDIS_SECRET, key: "password" },
      ...(smtpPassword !== undefined ? { smtpPassword } : {}),
      ...(signingKey !== undefined && signingKeyId !== undefined
        ? { signingKey: { key: signingKey, keyId: signingKeyId, ...(signingKeyPassphrase !== undefined ? { passphrase: signingKeyPassphrase } : {}) } }
        : {}),
    },
  );
  const appSecretData = Object.fromEntries(held.map((variable) => [APP_SECRET_KEYS[variable], props.vaultValues[variable]!]));
  const tls = ingressTls(props.ingress.tls);

  return new MedplumWorkload(scope, id, {
    config: props.config,
    namespace: WORKLOAD_NAMESPACE,
    database: props.database,
    // Flexible Server's certificates chain to DigiCert Global Root G2 and Microsoft RSA Root CA 2017, both in Node's
    // bundled roots, and name the server's FQDN, which is the host the servers dial: verify chain and name.
    // https://learn.microsoft.com/en-us/azure/postgresql/flexible-server/concepts-networking-ssl-tls
    databaseTls: { mode: "verify" },
    cache: props.cache,
    storage: props.storage,
    secretEnvironment,
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
      cache: props.cacheCidrs.map((cidr) => ({ cidr })),
    },
    dependsOn: props.dependsOn,
  });
}
