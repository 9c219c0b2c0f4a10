/**
 * Where the GCP database restore is decided. Three ways back, chosen in config (`targets.gcp.database.restore.mode`):
 *   - `backup`: region loss. A new instance in the recovery region restored from a standard backup of the lost
 *     instance (`restore_backup_context`); standard backups restore across regions, enhanced (vaulted) ones do not.
 *   - `point-in-time-clone`: corruption, region still up. A clone of the source at a past time (`clone`).
 *   - `replica-promotion`: warm standby. The existing cross-region read replica, imported into state beforehand, is
 *     managed as a stand-alone instance, which promotes it.
 * In every mode the recovered instance gets the same settings (cloud-sql-instance.ts) and the application user's
 * password is set from Secret Manager through a data source reference: never a literal in the synthesized JSON.
 *
 * The application role always exists already: it came back with the data (a backup restore, a clone and a replica all
 * carry the source's roles). `google_sql_user` creates through Users.Insert (google provider 6.50.0,
 * google/services/sql/resource_sql_user.go: `resourceSqlUserCreate` calls Insert and fails on any error; there is
 * no "ignore if it exists" switch as `google_service_account` has), so a plain resource would try to create a role
 * PostgreSQL already has. An import block adopts the existing role instead, by its `<project>/<instance>/<name>` id
 * (the provider's importer for a PostgreSQL user); the first apply then only sets its password from Secret Manager
 * (Users.Update), which also repairs a password rotated on the primary after the backup was taken.
 */
import { DataGoogleSecretManagerSecretVersion } from "@cdktf/provider-google/lib/data-google-secret-manager-secret-version";
import { SqlUser } from "@cdktf/provider-google/lib/sql-user";
import { type ITerraformDependable, TerraformLocal } from "cdktf";
import { Construct } from "constructs";
import type { GcpTargetConfig } from "../../config/schema";
import type { RestoredDatabase, RestoreProvenance } from "../contracts";
import { CloudSqlInstance, type CloudSqlRestoreInput } from "./cloud-sql-instance";
import type { GcpNetwork } from "./network";

export interface GcpDatabaseProps {
  readonly project: string;
  readonly region: string;
  /** @default - used when config names no instance: `<prefix>-postgres` */
  readonly defaultInstanceName: string;
  readonly database: GcpTargetConfig["database"];
  readonly network: GcpNetwork;
  readonly labels: Readonly<Record<string, string>>;
}

/** Medplum's database inside the restored instance; it comes back with the data, so it is not created here. */
export const MEDPLUM_DATABASE_NAME = "medplum";
export const POSTGRES_PORT = 5432;

/** The contract value plus what only the GCP application tier needs: Terraform references, never values. */
export interface GcpRestoredDatabase extends RestoredDatabase {
  /** Reference to the password's Secret Manager version (`secret_data`, sensitive in the provider schema). */
  readonly passwordValue: string;
  readonly instanceName: string;
  /**
   * PEM of the CA that signs the instance's server certificate (Terraform reference, public); with the shared CA
   * (cloud-sql-instance.ts) the certificate carries the instance's DNS name, so clients verify chain and name.
   */
  readonly serverCaCertificate: string;
  /** The instance's private services access DNS name, as its server certificate carries it (Terraform reference). */
  readonly serverName: string;
  /** What must be in place before the servers start: the restored instance and its user's password. */
  readonly ready: readonly ITerraformDependable[];
}

export class GcpDatabase extends Construct {
  readonly cloudSql: CloudSqlInstance;
  readonly user: SqlUser;
  readonly value: GcpRestoredDatabase;

  constructor(scope: Construct, id: string, props: GcpDatabaseProps) {
    super(scope, id);
    const { database, project } = props;
    const { restore } = database;

    let input: CloudSqlRestoreInput;
    let provenance: RestoreProvenance;
    let name: string;
    switch (restore.mode) {
      case "backup": {
        const sourceProject = restore.sourceProject ?? project;
        input = { kind: "backup", context: { backupRunId: restore.backupRunId, instanceId: restore.sourceInstance, project: sourceProject } };
        provenance = {
          mode: "backup",
          source: `backup run ${restore.backupRunId} of ${sourceProject}:${restore.sourceInstance}`,
          point: restore.backupTakenAt ?? `as of backup run ${restore.backupRunId}`,
          ...(restore.backupTakenAt !== undefined ? { sourceTakenAt: restore.backupTakenAt } : {}),
        };
        name = database.instanceName ?? props.defaultInstanceName;
        break;
      }
      case "point-in-time-clone":
        input = {
          kind: "clone",
          clone: { sourceInstanceName: restore.sourceInstance, pointInTime: restore.time, allocatedIpRange: props.network.privateServicesRangeName },
        };
        provenance = { mode: "point-in-time-clone", source: `${project}:${restore.sourceInstance}`, point: restore.time };
        name = database.instanceName ?? props.defaultInstanceName;
        break;
      case "replica-promotion":
        input = { kind: "promotion" };
        provenance = {
          mode: "replica-promotion",
          source: `replica ${project}:${restore.replicaInstance} of ${restore.primaryInstance}`,
          point: "latest (replication lag at promotion)",
        };
        // The replica keeps its own name: the name is ForceNew, so anything else would replace the standby.
        name = restore.replicaInstance;
        break;
    }

    this.cloudSql = new CloudSqlInstance(this, "cloudSql", {
      project,
      region: props.region,
      name,
      databaseVersion: database.databaseVersion,
      tier: database.tier,
      edition: database.edition,
      diskSizeGiB: database.diskSizeGiB,
      availabilityType: database.availabilityType,
      restore: input,
      privateNetworkId: props.network.networkId,
      allocatedIpRange: props.network.privateServicesRangeName,
      deletionProtection: database.deletionProtection,
      backupRetentionCount: database.backupRetentionCount,
      transactionLogRetentionDays: database.transactionLogRetentionDays,
      backupLocation: database.backupLocation,
      kmsKeyName: database.kmsKeyName,
      labels: props.labels,
      dependsOn: props.network.privateServicesReady,
    });
    const instance = this.cloudSql.instance;

    const password = new DataGoogleSecretManagerSecretVersion(this, "password", { project, secret: database.passwordSecretId });
    this.user = new SqlUser(this, "user", {
      project,
      instance: instance.name,
      name: database.username,
      password: password.secretData,
      // The role owns Medplum's tables in the restored data: removing the resource must never drop it.
      deletionPolicy: "ABANDON",
    });
    // Import blocks are read at plan time, so the instance must exist by then: the runbook's first, targeted apply
    // creates it (the user is not targeted, so its import waits); a promoted replica exists from the start.
    this.user.importFrom(`${project}/${name}/${database.username}`);

    // The servers dial the private IP; the name to verify the certificate against is the instance's DNS name for
    // private services access (dns_names, connection type PRIVATE_SERVICES_ACCESS, scope INSTANCE). cdktf's iterator
    // cannot express a filtered for-expression, so this one local is written in HCL; trimsuffix fails the apply
    // loudly if the instance has no such name, rather than handing the servers a name that can never match.
    const serverName = new TerraformLocal(
      this,
      "serverName",
      `\${trimsuffix(one([for name in ${instance.fqn}.dns_names : name.name if name.connection_type == "PRIVATE_SERVICES_ACCESS" && name.dns_scope == "INSTANCE"]), ".")}`,
    );

    this.value = {
      engine: `cloud-sql ${database.databaseVersion}`,
      resourceId: `${project}:${instance.name}`,
      instanceName: instance.name,
      host: instance.privateIpAddress,
      port: POSTGRES_PORT,
      databaseName: MEDPLUM_DATABASE_NAME,
      username: database.username,
      password: { store: "gcp-secret-manager", id: `projects/${project}/secrets/${database.passwordSecretId}/versions/latest` },
      passwordValue: password.secretData,
      serverCaCertificate: instance.serverCaCert.get(0).cert,
      serverName: serverName.asString,
      restore: provenance,
      ready: [instance, this.user],
    };
  }
}
