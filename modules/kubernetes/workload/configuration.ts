/**
 * Medplum's configuration as `MEDPLUM_*` environment variables (the server's `env` config source): the non-sensitive
 * ones in a ConfigMap the container reads whole, the sensitive ones one by one from Kubernetes Secrets by name and key.
 * A sensitive value never passes through this module as a literal: either the Secret already exists in the cluster
 * (created by hand, the Key Vault CSI driver, External Secrets, a cloud module...), or the caller asks for one to be
 * created here from Terraform references (e.g. a Secret Manager data source), which validation insists on.
 */
import { createHash } from "node:crypto";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import { MEDPLUM_VARIABLES, medplumServerEnvironment, SENSITIVE_MEDPLUM_VARIABLES as SENSITIVE_MEDPLUM, type MedplumServerInputs } from "../../medplum";
import { SERVER_NAME } from "./labels";

/** Where one sensitive environment variable's value lives: a key of a Kubernetes Secret in the workload's namespace. */
export interface SecretKeyReference {
  /** Name of the Kubernetes Secret (in the workload's namespace). */
  readonly secretName: string;
  /** Data key inside that Secret. */
  readonly key: string;
}

/** A Kubernetes Secret the workload creates from Terraform references; never from literal values. */
export interface WorkloadSecret {
  /** Construct id (part of the Terraform address): short lowerCamel, stable. */
  readonly id: string;
  /** Kubernetes name of the Secret, in the workload's namespace. */
  readonly name: string;
  /**
   * Data key to value. Every value must be an unresolved Terraform reference such as
   * `${data.google_secret_manager_secret_version.signing.secret_data}`; a literal is refused at synth time.
   */
  readonly data: Readonly<Record<string, string>>;
}

/** Environment variables Medplum treats as secrets; they may only come from a Secret, never from the ConfigMap. */
export const SENSITIVE_MEDPLUM_VARIABLES = SENSITIVE_MEDPLUM;

/** Sensitive variables without which the server cannot start. */
export const REQUIRED_SECRET_VARIABLES = [MEDPLUM_VARIABLES.databasePassword, MEDPLUM_VARIABLES.redisPassword] as const;

/** Names that look like credentials; refused in the non-sensitive environment so they cannot land in a ConfigMap. */
export const SENSITIVE_NAME_PATTERN = /(PASSWORD|PASSPHRASE|SECRET|TOKEN|PRIVATE|ACCESS_KEY|SIGNING_KEY|CREDENTIAL|CONNECTION_STRING)/;

export interface ServerEnvironmentInputs extends MedplumServerInputs {
  readonly extraEnvironment: Readonly<Record<string, string>>;
}

/** The non-sensitive environment (modules/medplum owns every MEDPLUM_* name), then the caller's extras, sorted. */
export function serverEnvironment(inputs: ServerEnvironmentInputs): Record<string, string> {
  const { extraEnvironment, ...medplum } = inputs;
  const environment = medplumServerEnvironment(medplum);
  for (const name of Object.keys(extraEnvironment).sort()) environment[name] = extraEnvironment[name]!;
  return environment;
}

export interface WorkloadConfigurationProps {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly environment: Readonly<Record<string, string>>;
  readonly secretEnvironment: Readonly<Record<string, SecretKeyReference>>;
  readonly secretsToCreate: readonly WorkloadSecret[];
}

/** A container `env` entry that reads one key of a Secret. */
export interface SecretEnvironmentVariable {
  readonly name: string;
  readonly valueFrom: { readonly secretKeyRef: { readonly name: string; readonly key: string; readonly optional: boolean } };
}

export class WorkloadConfiguration extends Construct {
  readonly configMap: ConfigMapV1;
  /** Secrets created here from Terraform references, keyed by their Kubernetes name. */
  readonly createdSecrets: Readonly<Record<string, SecretV1>>;
  /** `env` entries for the sensitive variables, sorted by name. */
  readonly secretVariables: readonly SecretEnvironmentVariable[];
  /** Changes whenever the ConfigMap's content or a Secret reference changes; a pod annotation, so pods roll. */
  readonly checksum: string;

  constructor(scope: Construct, id: string, props: WorkloadConfigurationProps) {
    super(scope, id);

    this.configMap = new ConfigMapV1(this, "environment", {
      metadata: { name: `${SERVER_NAME}-env`, namespace: props.namespace, labels: { ...props.labels } },
      data: { ...props.environment },
    });

    const created: Record<string, SecretV1> = {};
    for (const secret of props.secretsToCreate) {
      created[secret.name] = new SecretV1(this, secret.id, {
        metadata: { name: secret.name, namespace: props.namespace, labels: { ...props.labels } },
        type: "Opaque",
        data: { ...secret.data },
      });
    }
    this.createdSecrets = created;

    this.secretVariables = Object.keys(props.secretEnvironment)
      .sort()
      .map((name) => {
        const reference = props.secretEnvironment[name]!;
        // A Secret created here is referenced through its resource so Terraform orders the Deployment after it.
        const secretName = created[reference.secretName]?.metadata.name ?? reference.secretName;
        return { name, valueFrom: { secretKeyRef: { name: secretName, key: reference.key, optional: false } } };
      });

    // Hashed after resolution: unresolved token strings carry creation-order numbers, resolved ones are stable addresses.
    const hashed = { environment: props.environment, secrets: this.secretVariables };
    this.checksum = Lazy.stringValue({
      produce: (context) =>
        createHash("sha256")
          .update(JSON.stringify(context.resolve(hashed)))
          .digest("hex")
          .slice(0, 16),
    });
  }
}
