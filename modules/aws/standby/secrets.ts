/**
 * The primary's secrets, available in the recovery region as Secrets Manager replicas.
 *
 * standby-aws does not own these secrets (Medplum's deployment or the platform team does), and Secrets Manager adds a
 * replica only through the secret itself (ReplicateSecretToRegions; in Terraform, the `replica` block of the
 * `aws_secretsmanager_secret` that owns it). Adopting the primary's secret into this stack to add one would make a
 * `destroy` of standby-aws delete the primary's secret, and copying the value through Terraform would put it into the
 * state. So the replica is added once, by whoever owns the secret (docs/standby.md gives the command), and this step
 * checks on every plan that it exists: a replica keeps the primary's name and ARN suffix in the recovery region
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/create-manage-multi-region-secrets.html), and reading
 * its metadata (DescribeSecret, never the value) fails the plan when it is missing.
 */
import { DataAwsSecretsmanagerSecret } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import type { SecretsInRecoveryLocation } from "../../standby-contracts";

/** The ARN a replica of `primaryArn` has in `region`: the same ARN with the region swapped. */
export function replicaSecretArn(primaryArn: string, region: string): string {
  const parts = primaryArn.split(":");
  parts[3] = region;
  return parts.join(":");
}

export interface StandbySecretsProps {
  readonly recovery: AwsProvider;
  readonly region: string;
  /** The primary-region secrets the recovery reads from their replicas. */
  readonly primarySecretArns: readonly string[];
}

export class StandbySecrets extends Construct {
  readonly secrets: SecretsInRecoveryLocation;

  constructor(scope: Construct, id: string, props: StandbySecretsProps) {
    super(scope, id);
    const secrets = props.primarySecretArns.map((primaryArn, index) => {
      const replica = new DataAwsSecretsmanagerSecret(this, `replica${index}`, { provider: props.recovery, arn: replicaSecretArn(primaryArn, props.region) });
      return { store: "aws-secrets-manager" as const, id: replica.arn };
    });
    this.secrets = { secrets };
  }
}
