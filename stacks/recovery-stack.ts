/**
 * The one stack definition. It composes a recovery in the runbook's order from a cloud bundle:
 *   1. restore the database (with the network, cache, object storage and secrets it and the servers need),
 *   2. provision the application tier connected to it,
 *   3. switch traffic, then watch the result.
 * Each step gets its own top-level construct whose id names the step; those ids are part of every Terraform address
 * and the plan report groups resources by them, so they never change.
 */
import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import type { RecoveryConfig } from "../config/schema";
import { RECOVERY_STEP_ORDER, type RecoveryBundle, type RecoveryStepResults } from "../modules/contracts";
import { requireTerraformVersion } from "../providers/terraform-version";

export const RECOVERY_STEPS = RECOVERY_STEP_ORDER;
export type RecoveryStep = (typeof RECOVERY_STEPS)[number];

export interface RecoveryStackProps<R extends RecoveryStepResults = RecoveryStepResults> {
  readonly config: RecoveryConfig;
  readonly bundle: RecoveryBundle<R>;
}

export class RecoveryStack<R extends RecoveryStepResults = RecoveryStepResults> extends TerraformStack {
  constructor(scope: Construct, stackName: string, props: RecoveryStackProps<R>) {
    super(scope, stackName);
    const { bundle } = props;
    const step = (name: RecoveryStep) => new Construct(this, name);

    const providers = bundle.configureProviders(this, stackName);
    requireTerraformVersion(this);

    const network = bundle.network(step("network"), { providers });
    const database = bundle.restoreDatabase(step("database"), { providers, network });
    const cache = bundle.cache(step("cache"), { providers, network, database });
    const storage = bundle.binaryStorage(step("storage"), { providers, network, database, cache });
    const secrets = bundle.applicationSecrets(step("secrets"), { providers, network, database, cache, storage });

    const application = bundle.applicationTier(step("application"), { providers, network, database, cache, storage, secrets });

    const traffic = bundle.switchTraffic(step("traffic"), { providers, network, database, cache, storage, secrets, application });
    const monitoring = bundle.monitoring(step("monitoring"), { providers, network, database, cache, storage, secrets, application, traffic });

    const output = (id: string, value: string, description: string) => new TerraformOutput(this, id, { value, description });
    output("api_url", traffic.apiUrl, "Public URL of the recovered Medplum API");
    output("traffic_routing", traffic.routing, "How traffic reaches the recovered environment");
    output("entry_point", application.entryPointDnsName, "DNS name of the recovered environment's entry point");
    output("database_endpoint", `${database.host}:${database.port}`, "Host and port of the recovered PostgreSQL");
    output("database_engine", database.engine, "Engine of the recovered PostgreSQL");
    output("restore_mode", database.restore.mode, "How the database was restored");
    output("restore_source", database.restore.source, "What the database was restored from");
    output("restore_point", database.restore.point, "The point in time the database was restored to");
    // "unknown" rather than no output: every recovery stack has the same outputs, and the report can tell a stack
    // synthesized before this output existed (no output) from a source whose time nobody knows.
    output(
      "restore_source_taken_at",
      database.restore.sourceTakenAt ?? "unknown",
      "When the restored source was taken (RFC 3339), or unknown; the RPO is measured from it",
    );
    output("alert_destination", monitoring.alertDestination, "Where alerts for the recovered environment go");
  }
}
