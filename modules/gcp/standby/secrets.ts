/**
 * The secrets the recovery reads (targets.gcp: the database password, the signing key settings, SMTP, `additional`,
 * an existing Redis's AUTH string), readable in the recovery project when the primary region is gone.
 *
 * - Same project (`standby.primary.project` is `targets.gcp.project`): the recovery reads the primary's own secrets.
 *   A secret's replication is fixed at creation (`replication` is ForceNew on `google_secret_manager_secret`, google
 *   provider 6.50.0) and standby-gcp does not own them, so it checks on every plan, reading metadata only, that each
 *   one is replicated automatically or has a user-managed replica outside the primary region; the plan fails, naming
 *   the secret, when one would be lost with the region.
 * - Another project: standby-gcp keeps a copy of each in the recovery project (automatic replication), a new version
 *   whenever the primary's latest differs at a plan. The values then pass through standby-gcp's state (keep it as
 *   private as the secrets); they never appear in the synthesized JSON (a `secret_data` reference). A rotation on the
 *   primary reaches the copy at the next standby apply, not before.
 */
import { DataGoogleSecretManagerSecret } from "@cdktf/provider-google/lib/data-google-secret-manager-secret";
import { DataGoogleSecretManagerSecretVersion } from "@cdktf/provider-google/lib/data-google-secret-manager-secret-version";
import type { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret";
import { SecretManagerSecretVersion } from "@cdktf/provider-google/lib/secret-manager-secret-version";
import { Construct } from "constructs";
import type { GcpTargetConfig } from "../../../config/schema";
import type { SecretReference } from "../../contracts";
import type { SecretsInRecoveryLocation } from "../../standby-contracts";

/** Every Secret Manager secret id recovery-gcp reads from `targets.gcp.project`, sorted. */
export function recoverySecretIds(gcp: GcpTargetConfig): string[] {
  const { secrets } = gcp;
  const ids = [
    gcp.database.passwordSecretId,
    secrets.signingKey,
    secrets.signingKeyId,
    secrets.signingKeyPassphrase,
    secrets.smtpPassword,
    ...Object.values(secrets.additional),
    gcp.cache.mode === "existing" ? gcp.cache.authSecretId : undefined,
  ];
  return [...new Set(ids.filter((id): id is string => id !== undefined))].sort();
}

export interface StandbySecretsProps {
  readonly primary: GoogleProvider;
  readonly recovery: GoogleProvider;
  readonly primaryProject: string;
  readonly recoveryProject: string;
  readonly primaryRegion: string;
  readonly secretIds: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

export class StandbySecrets extends Construct {
  readonly secrets: SecretsInRecoveryLocation;

  constructor(scope: Construct, id: string, props: StandbySecretsProps) {
    super(scope, id);
    const reference = (secretId: string): SecretReference => ({
      store: "gcp-secret-manager",
      id: `projects/${props.recoveryProject}/secrets/${secretId}/versions/latest`,
    });

    if (props.primaryProject === props.recoveryProject) {
      const replication = "self.replication[0]";
      for (const secretId of props.secretIds) {
        new DataGoogleSecretManagerSecret(this, `check_${secretId}`, {
          provider: props.recovery,
          project: props.recoveryProject,
          secretId,
          lifecycle: {
            postcondition: [
              {
                condition: `\${length(${replication}.auto) > 0 || length([for replica in flatten([for managed in ${replication}.user_managed : managed.replicas]) : replica if replica.location != "${props.primaryRegion}"]) > 0}`,
                errorMessage: `Secret Manager secret ${secretId} is replicated only in ${props.primaryRegion}, the region a recovery replaces; its owner recreates it with automatic replication or a replica in another region (replication cannot change on an existing secret)`,
              },
            ],
          },
        });
      }
      this.secrets = { secrets: props.secretIds.map(reference) };
      return;
    }

    for (const secretId of props.secretIds) {
      const source = new DataGoogleSecretManagerSecretVersion(this, `source_${secretId}`, {
        provider: props.primary,
        project: props.primaryProject,
        secret: secretId,
      });
      const copy = new SecretManagerSecret(this, `copy_${secretId}`, {
        provider: props.recovery,
        project: props.recoveryProject,
        secretId,
        replication: { auto: {} },
        labels: { ...props.labels },
      });
      new SecretManagerSecretVersion(this, `version_${secretId}`, { provider: props.recovery, secret: copy.id, secretData: source.secretData });
    }
    this.secrets = { secrets: props.secretIds.map(reference) };
  }
}
