/** Shared inputs for the Kubernetes tests: a validated config and workload props a caller would pass. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { loadedConfig } from "../support/config";
import type { RecoveryConfig } from "../../config/schema";
import { MedplumWorkload, type MedplumWorkloadProps, type WorkloadIngressOptions } from "../../modules/kubernetes/workload";

export const EXAMPLE_CONFIG_PATH = join(__dirname, "../../config/example.yaml");

export function exampleConfig(): RecoveryConfig {
  return loadedConfig(readFileSync(EXAMPLE_CONFIG_PATH, "utf8"), EXAMPLE_CONFIG_PATH);
}

/** The fixture workload's Ingress: ingress-nginx with a cert-manager certificate. */
export const WORKLOAD_INGRESS: WorkloadIngressOptions = { className: "nginx", tls: { mode: "cert-manager", issuerName: "letsencrypt" } };

export function workloadProps(overrides: Partial<MedplumWorkloadProps> = {}): MedplumWorkloadProps {
  return {
    config: exampleConfig(),
    namespace: "medplum",
    database: {
      engine: "postgres 16",
      resourceId: "medplum/medplum-postgres",
      host: "medplum-postgres.medplum.svc.cluster.local",
      port: 5432,
      databaseName: "medplum",
      username: "medplum",
      password: { store: "kubernetes-secret", id: "medplum/medplum-postgres", key: "password" },
      restore: { mode: "logical-dump", source: "s3://backups/medplum.dump", point: "as of the dump" },
    },
    databaseTls: { mode: "off", reason: "the in-cluster Postgres has no TLS" },
    cache: {
      resourceId: "medplum/medplum-redis",
      host: "medplum-redis.medplum.svc.cluster.local",
      port: 6379,
      tls: false,
      password: { store: "kubernetes-secret", id: "medplum/medplum-redis", key: "password" },
    },
    storage: { name: "medplum-binaries", medplumBinaryStorage: "s3:medplum-binaries" },
    awsRegion: "us-west-2",
    secretEnvironment: {
      MEDPLUM_DATABASE_PASSWORD: { secretName: "medplum-postgres", key: "password" },
      MEDPLUM_REDIS_PASSWORD: { secretName: "medplum-redis", key: "password" },
      MEDPLUM_SIGNING_KEY: { secretName: "medplum-app", key: "signingKey" },
      MEDPLUM_SIGNING_KEY_ID: { secretName: "medplum-app", key: "signingKeyId" },
      MEDPLUM_SIGNING_KEY_PASSPHRASE: { secretName: "medplum-app", key: "signingKeyPassphrase" },
    },
    ingress: WORKLOAD_INGRESS,
    networkPolicy: {
      ingressFrom: [{ namespaceLabels: { "kubernetes.io/metadata.name": "ingress-nginx" }, podLabels: { "app.kubernetes.io/name": "ingress-nginx" } }],
      database: [{ podLabels: { "app.kubernetes.io/name": "medplum-postgres" } }],
      cache: [{ podLabels: { "app.kubernetes.io/name": "medplum-redis" } }],
    },
    ...overrides,
  };
}

/** Synthesized Terraform JSON of a scope holding one workload. */
export type Synthesized = { resource: Record<string, Record<string, any>>; output?: Record<string, any> };

export function synthWorkload(props: MedplumWorkloadProps = workloadProps()): Synthesized {
  return JSON.parse(Testing.synthScope((scope) => new MedplumWorkload(scope, "application", props))) as Synthesized;
}

/** The only resource of a type, failing loudly when there is not exactly one. */
export function only(synthesized: Synthesized, type: string): any {
  const resources = Object.values(synthesized.resource[type] ?? {});
  if (resources.length !== 1) throw new Error(`expected exactly one ${type}, found ${resources.length}`);
  return resources[0];
}
