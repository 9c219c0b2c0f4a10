/**
 * The PostgreSQL settings Medplum needs, as a parameter group the restored database uses from its first boot. Without
 * one, a restored database gets the engine's default group: TLS optional and none of Medplum's settings.
 */
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { RdsClusterParameterGroup } from "@cdktf/provider-aws/lib/rds-cluster-parameter-group";
import { Construct } from "constructs";
import type { AwsDatabaseEngine } from "./engines";

export interface DatabaseParametersProps {
  /** The engine: Aurora gets a cluster parameter group, RDS a DB parameter group, each of its own family. */
  readonly engine: AwsDatabaseEngine;
  /** The engine version from config, e.g. `16.6`; its major version picks the parameter group family. */
  readonly engineVersion: string;
  /** Prefix for the group name, e.g. `medplum-dr`. */
  readonly namePrefix: string;
  /**
   * The group exists already (the warm standby's replica uses it): adopt it by an import block, and set Medplum's
   * parameters on it, instead of creating it. @default false
   */
  readonly adoptExisting?: boolean;
}

/**
 * All three parameters are dynamic in both engines, so `immediate` applies them without a reboot; a static parameter
 * given `immediate` would be rejected by the API at apply time, which is why each one is listed with its method.
 */
export const MEDPLUM_DATABASE_PARAMETERS: ReadonlyArray<{ name: string; value: string; applyMethod: "immediate" | "pending-reboot" }> = [
  // Refuse unencrypted connections: PHI never crosses the VPC in clear.
  { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
  // Medplum's required settings (the same values Medplum's own infrastructure sets).
  { name: "statement_timeout", value: "60000", applyMethod: "immediate" },
  // RDS lists the allowed values in lower case; PostgreSQL reads it as REPEATABLE READ. An upper-case value would be
  // stored as given and may be reported back differently, a perpetual diff.
  { name: "default_transaction_isolation", value: "repeatable read", applyMethod: "immediate" },
];

export class DatabaseParameters extends Construct {
  /** The parameter group's name, for `db_cluster_parameter_group_name` or `parameter_group_name`. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: DatabaseParametersProps) {
    super(scope, id);
    const family = props.engine.parameterGroupFamily(props.engineVersion);
    const common = {
      // The major version is in the name: an upgrade creates the new group first and the database moves over.
      name: `${props.namePrefix}-${family}`,
      family,
      description: `Medplum settings and TLS enforcement for ${props.namePrefix}`,
      parameter: MEDPLUM_DATABASE_PARAMETERS.map((parameter) => ({ ...parameter })),
      lifecycle: { createBeforeDestroy: true },
    };
    // The construct id is the kind, as it always was: part of the group's Terraform address.
    const group =
      props.engine.parameterGroupKind === "cluster"
        ? new RdsClusterParameterGroup(this, props.engine.parameterGroupKind, common)
        : new DbParameterGroup(this, props.engine.parameterGroupKind, common);
    // Both resources are imported by the group's name (registry.terraform.io/providers/hashicorp/aws/5.100.0/docs).
    if (props.adoptExisting === true) group.importFrom(common.name);
    this.name = group.name;
  }
}
