/**
 * The peacetime stack: prepares the recovery location so that a recovery finds everything it needs there (issue 14,
 * docs/standby.md). It composes a cloud's standby bundle in the order a recovery depends on it:
 *   1. recovery points of the database copied into the recovery location,
 *   2. binaries replicated, secrets available, a certificate issued there,
 *   3. watches that page when any of it breaks, or when the primary itself goes down.
 * As in RecoveryStack, each step's construct id is part of every Terraform address, so the ids never change.
 */
import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import type { StandbyBundle, StandbyStepResults } from "../modules/standby-contracts";
import { requireTerraformVersion } from "../providers/terraform-version";

export const STANDBY_STEPS = ["recoveryPoints", "binaries", "secrets", "certificate", "standing", "watches"] as const;
export type StandbyStep = (typeof STANDBY_STEPS)[number];

export interface StandbyStackProps<R extends StandbyStepResults = StandbyStepResults> {
  readonly bundle: StandbyBundle<R>;
}

export class StandbyStack<R extends StandbyStepResults = StandbyStepResults> extends TerraformStack {
  constructor(scope: Construct, stackName: string, props: StandbyStackProps<R>) {
    super(scope, stackName);
    const { bundle } = props;
    const step = (name: StandbyStep) => new Construct(this, name);

    const providers = bundle.configureProviders(this, stackName);
    requireTerraformVersion(this);

    const recoveryPoints = bundle.recoveryPoints(step("recoveryPoints"), { providers });
    const binaries = bundle.binaries(step("binaries"), { providers, recoveryPoints });
    const secrets = bundle.secrets(step("secrets"), { providers, recoveryPoints, binaries });
    const certificate = bundle.certificate(step("certificate"), { providers, recoveryPoints, binaries, secrets });
    const standing = bundle.standing(step("standing"), { providers, recoveryPoints, binaries, secrets, certificate });
    const watches = bundle.watches(step("watches"), { providers, recoveryPoints, binaries, secrets, certificate, standing });

    const output = (id: string, value: string, description: string) => new TerraformOutput(this, id, { value, description });
    output("standby_tier", bundle.tier, "The DR tier this stack prepares");
    output("recovery_point_destination", recoveryPoints.destination, "Where database recovery points are copied to in the recovery location");
    output("recovery_point_schedule", recoveryPoints.schedule, "How often a database recovery point is taken and copied");
    output("recovery_point_interval_minutes", String(recoveryPoints.intervalMinutes), "Minutes between two database recovery points");
    output("continuous_backup", recoveryPoints.continuous?.id ?? "none", "Point-in-time backups replicated into the recovery location");
    output("binaries_replica", binaries.replica, "The bucket the binaries are replicated into");
    output("binaries_replication_lag", binaries.lag, "How far behind the binaries replica may be");
    output("secrets_in_recovery_location", secrets.secrets.map((secret) => secret.id).join(","), "Where the recovery finds each secret");
    output("certificate_id", certificate.certificateId, `The certificate for ${certificate.hostname} in the recovery location`);
    output("standing_infrastructure", standing.adopted.join(","), "What stands in the recovery location for the recovery to adopt");
    output("database_replica", standing.databaseReplica?.id ?? "none", "The live database replica the recovery promotes");
    output("alert_destinations", watches.alertDestinations.join(","), "Where standby alerts go");
  }
}
