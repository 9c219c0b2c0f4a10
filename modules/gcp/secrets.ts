/**
 * Medplum's own sensitive settings (signing key and friends) from Secret Manager. Secrets with automatic replication
 * survive the loss of any one region, so the recovery reads the same values the primary used and tokens it issued
 * stay valid.
 *
 * Route chosen: `google_secret_manager_secret_version` data sources whose `secret_data` references feed a Kubernetes
 * Secret (created by the workload). The values pass through Terraform state (keep the state backend private) but never
 * appear in the synthesized JSON. The alternative, the GKE Secret Manager CSI add-on, keeps values out of state but
 * needs a `SecretProviderClass` custom resource, which only `kubernetes_manifest` can create and which cannot be
 * planned in the apply that creates the cluster; docs/targets/gcp.md records the trade-off.
 */
import { DataGoogleSecretManagerSecretVersion } from "@cdktf/provider-google/lib/data-google-secret-manager-secret-version";
import { Construct } from "constructs";
import type { GcpTargetConfig } from "../../config/schema";
import type { ApplicationSecrets, SecretReference } from "../contracts";
import { MEDPLUM_VARIABLES } from "../medplum";

export interface GcpSecretsProps {
  readonly project: string;
  readonly secrets: GcpTargetConfig["secrets"];
}

/** The contract value plus the `secret_data` references (sensitive) the application tier puts in a Kubernetes Secret. */
export interface GcpApplicationSecrets extends ApplicationSecrets {
  readonly values: Readonly<Record<string, string>>;
}

/** `MEDPLUM_SIGNING_KEY_ID` -> `signingKeyId`: construct ids (Terraform addresses) stay short and stable. */
export function secretConstructId(variable: string): string {
  return variable
    .replace(/^MEDPLUM_/, "")
    .toLowerCase()
    .replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

export class GcpSecrets extends Construct {
  readonly value: GcpApplicationSecrets;

  constructor(scope: Construct, id: string, props: GcpSecretsProps) {
    super(scope, id);
    const { secrets, project } = props;
    // Medplum's own sensitive settings are named by modules/medplum; the database and Redis ones come from their steps.
    const v = MEDPLUM_VARIABLES;
    const byVariable: Record<string, string> = {
      ...secrets.additional,
      ...(secrets.signingKey !== undefined ? { [v.signingKey]: secrets.signingKey } : {}),
      ...(secrets.signingKeyId !== undefined ? { [v.signingKeyId]: secrets.signingKeyId } : {}),
      ...(secrets.signingKeyPassphrase !== undefined ? { [v.signingKeyPassphrase]: secrets.signingKeyPassphrase } : {}),
      ...(secrets.smtpPassword !== undefined ? { [v.smtpPassword]: secrets.smtpPassword } : {}),
    };
    const environment: Record<string, SecretReference> = {};
    const values: Record<string, string> = {};
    for (const variable of Object.keys(byVariable).sort()) {
      const secretId = byVariable[variable]!;
      const version = new DataGoogleSecretManagerSecretVersion(this, secretConstructId(variable), { project, secret: secretId });
      environment[variable] = { store: "gcp-secret-manager", id: `projects/${project}/secrets/${secretId}/versions/latest` };
      values[variable] = version.secretData;
    }
    this.value = { environment, values };
  }
}
