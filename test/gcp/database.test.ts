import { TerraformLocal } from "cdktf";
import { GcpDatabase } from "../../modules/gcp/database";
import { MEDPLUM_DATABASE_FLAGS } from "../../modules/gcp/cloud-sql-instance";
import { EXISTING_NETWORK, gcpConfig, SECRET_DATA_REFERENCE, SOURCE_VPC_CONFIG, synthModule } from "./support";

/** The database module alone, for the example config changed by `edit` (on the plain document). */
function synthDatabase(edit: (database: any, gcp: any) => void = () => undefined) {
  const gcp = gcpConfig((doc) => edit(doc.targets.gcp.database, doc.targets.gcp)).targets.gcp!;
  let value: GcpDatabase["value"] | undefined;
  const synth = synthModule((scope) => {
    value = new GcpDatabase(scope, "postgres", {
      project: gcp.project,
      region: gcp.region,
      defaultInstanceName: "medplum-dr-postgres",
      database: gcp.database,
      network: EXISTING_NETWORK,
      labels: { purpose: "disaster-recovery" },
    }).value;
  });
  return { ...synth, instance: synth.resource("google_sql_database_instance"), value: value! };
}

const CLONE = { mode: "point-in-time-clone", sourceInstance: "medplum-prod", time: "2026-11-22T08:30:00Z" };
const PROMOTION = { mode: "replica-promotion", replicaInstance: "medplum-prod-replica-usw1", primaryInstance: "medplum-prod" };
/** A clone stays in its source's region and VPC, so a clone config recovers in the primary region's existing VPC. */
const sameRegion = (gcp: any) => ((gcp.region = gcp.primaryRegion), (gcp.network = { ...SOURCE_VPC_CONFIG }));
/** A promoted replica stays in the VPC it was created in. */
const replicaVpc = (gcp: any) => (gcp.network = { ...SOURCE_VPC_CONFIG });

describe("Cloud SQL restore, mode backup (region loss)", () => {
  it("creates a new instance in the recovery region restored from the named backup run of the lost instance", () => {
    const { instance, value } = synthDatabase();
    expect(instance).toMatchObject({
      name: "medplum-dr-postgres",
      region: "us-west1",
      project: "acme-medplum-dr",
      restore_backup_context: { backup_run_id: 1732262400000, instance_id: "medplum-prod", project: "acme-medplum-prod" },
    });
    expect(instance.clone).toBeUndefined();
    expect(value.restore).toEqual({
      mode: "backup",
      source: "backup run 1732262400000 of acme-medplum-prod:medplum-prod",
      point: "2026-11-22T08:00:00Z",
      sourceTakenAt: "2026-11-22T08:00:00Z",
    });
  });

  it("takes the backup from the recovery project when no source project is named", () => {
    const { instance } = synthDatabase((database) => delete database.restore.sourceProject);
    expect(instance.restore_backup_context.project).toBe("acme-medplum-dr");
  });
});

describe("Cloud SQL restore, mode point-in-time-clone (corruption, same region)", () => {
  it("clones the source instance at the configured time into the private services range", () => {
    const { instance, value } = synthDatabase((database, gcp) => ((database.restore = CLONE), sameRegion(gcp)));
    expect(instance.clone).toEqual({ source_instance_name: "medplum-prod", point_in_time: "2026-11-22T08:30:00Z", allocated_ip_range: "dr-private-services" });
    expect(instance.restore_backup_context).toBeUndefined();
    expect(value.restore).toEqual({ mode: "point-in-time-clone", source: "acme-medplum-dr:medplum-prod", point: "2026-11-22T08:30:00Z" });
  });
});

describe("Cloud SQL restore, mode replica-promotion (warm standby)", () => {
  it("manages the existing replica under its own name as a stand-alone instance, which promotes it", () => {
    const { instance, value } = synthDatabase((database, gcp) => ((database.restore = PROMOTION), replicaVpc(gcp)));
    expect(instance.name).toBe("medplum-prod-replica-usw1");
    expect(instance.instance_type).toBe("CLOUD_SQL_INSTANCE");
    expect(instance.master_instance_name).toBeUndefined();
    expect(instance.replica_configuration).toBeUndefined();
    expect(instance.restore_backup_context).toBeUndefined();
    expect(instance.clone).toBeUndefined();
    expect(value.restore.mode).toBe("replica-promotion");
  });

  it("adopts the replica with an import block, so the first plan imports it instead of creating an instance", () => {
    const synth = synthDatabase((database, gcp) => ((database.restore = PROMOTION), replicaVpc(gcp)));
    const [address] = Object.keys(synth.json.resource.google_sql_database_instance).map((name) => `google_sql_database_instance.${name}`);
    expect(synth.json.import).toContainEqual({ to: address, id: "projects/acme-medplum-dr/instances/medplum-prod-replica-usw1" });
  });

  it("imports no instance in the modes that create one", () => {
    for (const edit of [() => undefined, (database: any, gcp: any) => ((database.restore = CLONE), sameRegion(gcp))]) {
      const imported = (synthDatabase(edit).json.import ?? []).map((block: { to: string }) => block.to);
      expect(imported.filter((to: string) => to.startsWith("google_sql_database_instance."))).toEqual([]);
    }
  });
});

describe("the recovered instance, whatever the restore mode", () => {
  const modes: Array<{ mode: string; edit: (database: any, gcp: any) => void }> = [
    { mode: "backup", edit: () => undefined },
    { mode: "point-in-time-clone", edit: (database, gcp) => ((database.restore = CLONE), sameRegion(gcp)) },
    { mode: "replica-promotion", edit: (database, gcp) => ((database.restore = PROMOTION), replicaVpc(gcp)) },
  ];

  it.each(modes)("never restores again or replaces the instance when the restore inputs change later ($mode)", ({ edit }) => {
    const { instance } = synthDatabase(edit);
    expect(instance.lifecycle.ignore_changes).toEqual(expect.arrayContaining(["restore_backup_context", "clone"]));
    expect(instance.lifecycle.prevent_destroy).toBe(true);
  });

  it.each(modes)("is not replaced once autoresize has grown the disk past the configured size ($mode)", ({ edit }) => {
    // The provider forces a new instance when settings.0.disk_size shrinks (ForceNewIfChange, IsDiskShrinkage).
    const { instance } = synthDatabase(edit);
    expect(instance.settings.disk_autoresize).toBe(true);
    expect(instance.lifecycle.ignore_changes).toContain("settings[0].disk_size");
  });

  it.each(modes)("is not replaced over a disk type or encryption key it inherited from its source ($mode)", ({ edit }) => {
    const { instance } = synthDatabase(edit);
    expect(instance.lifecycle.ignore_changes).toEqual(expect.arrayContaining(["settings[0].disk_type", "encryption_key_name"]));
  });

  // Terraform sends the state's value of an ignored attribute to the provider, whose promotion check then refuses.
  it.each(modes)("neither sets nor ignores master_instance_name and replica_configuration, so a replica can be promoted ($mode)", ({ edit }) => {
    const { instance } = synthDatabase(edit);
    expect(instance.master_instance_name).toBeUndefined();
    expect(instance.replica_configuration).toBeUndefined();
    expect(instance.lifecycle.ignore_changes).not.toContain("master_instance_name");
    expect(instance.lifecycle.ignore_changes).not.toContain("replica_configuration");
  });

  it("lets the provider see that a promoted replica's config has no master (it refuses to promote otherwise)", () => {
    // Terraform fills ignored attributes in from state before the provider plans, so an ignored master_instance_name
    // would still name the primary and fail the provider's promote check.
    const ignored = synthDatabase((database, gcp) => ((database.restore = PROMOTION), replicaVpc(gcp))).instance.lifecycle.ignore_changes;
    expect(ignored).not.toContain("master_instance_name");
    expect(ignored).not.toContain("replica_configuration");
  });

  it.each(modes)("keeps the source's database version ($mode)", ({ edit }) => {
    expect(synthDatabase(edit).instance.database_version).toBe("POSTGRES_16");
  });

  it("has a private IP in the recovery VPC only, and refuses unencrypted connections", () => {
    const { instance } = synthDatabase();
    expect(instance.settings.ip_configuration).toEqual({
      ipv4_enabled: false,
      private_network: EXISTING_NETWORK.networkId,
      allocated_ip_range: "dr-private-services",
      ssl_mode: "ENCRYPTED_ONLY",
      // The shared CA's server certificate carries the instance's DNS name, which the servers verify.
      server_ca_mode: "GOOGLE_MANAGED_CAS_CA",
    });
  });

  it("keeps backups with point-in-time recovery on the recovered instance, in the recovery region by default", () => {
    const { instance } = synthDatabase();
    expect(instance.settings.backup_configuration).toEqual({
      enabled: true,
      point_in_time_recovery_enabled: true,
      location: "us-west1",
      transaction_log_retention_days: 7,
      backup_retention_settings: { retained_backups: 7, retention_unit: "COUNT" },
    });
    expect(synthDatabase((database) => (database.backupLocation = "us")).instance.settings.backup_configuration.location).toBe("us");
  });

  it("sets the flags Medplum needs and the connection log flags for the audit trail", () => {
    const flags = Object.fromEntries(synthDatabase().instance.settings.database_flags.map((flag: { name: string; value: string }) => [flag.name, flag.value]));
    expect(flags).toMatchObject({
      statement_timeout: "60000",
      default_transaction_isolation: "repeatable read",
      log_connections: "on",
      log_disconnections: "on",
    });
    expect(Object.keys(flags)).toHaveLength(MEDPLUM_DATABASE_FLAGS.length);
  });

  it("is highly available unless config says ZONAL", () => {
    expect(synthDatabase().instance.settings.availability_type).toBe("REGIONAL");
    expect(synthDatabase((database) => (database.availabilityType = "ZONAL")).instance.settings.availability_type).toBe("ZONAL");
  });

  it("with deletion protection on, blocks deletion in Terraform, in the API and in the plan", () => {
    const { instance } = synthDatabase();
    expect(instance.deletion_protection).toBe(true);
    expect(instance.settings.deletion_protection_enabled).toBe(true);
    expect(instance.lifecycle.prevent_destroy).toBe(true);
  });

  it("with deletion protection off (drills), can be torn down", () => {
    const { instance } = synthDatabase((database) => (database.deletionProtection = false));
    expect(instance.deletion_protection).toBe(false);
    expect(instance.settings.deletion_protection_enabled).toBe(false);
    expect(instance.lifecycle.prevent_destroy).toBeUndefined();
  });

  it("encrypts with the configured Cloud KMS key, or Google-managed keys when none is named", () => {
    const key = "projects/acme-medplum-dr/locations/us-west1/keyRings/medplum/cryptoKeys/cloudsql";
    expect(synthDatabase((database) => (database.kmsKeyName = key)).instance.encryption_key_name).toBe(key);
    expect(synthDatabase().instance.encryption_key_name).toBeUndefined();
  });

  it("waits for the private services peering before asking for a private IP", () => {
    const gcp = gcpConfig().targets.gcp!;
    const synth = synthModule((scope) => {
      const network = { ...EXISTING_NETWORK, privateServicesReady: [new TerraformLocal(scope, "peering", "x")] };
      new GcpDatabase(scope, "postgres", { project: gcp.project, region: gcp.region, defaultInstanceName: "db", database: gcp.database, network, labels: {} });
    });
    expect(synth.resource("google_sql_database_instance").depends_on).toEqual(["local.peering"]);
  });

  it("allows a large restore longer than the provider's default create timeout", () => {
    expect(synthDatabase().instance.timeouts.create).toBe("120m");
  });
});

describe("the application's database user", () => {
  it("takes its password from the Secret Manager secret named in config, by reference, never a literal", () => {
    const synth = synthDatabase();
    const user = synth.resource("google_sql_user");
    expect(user.name).toBe("medplum");
    expect(user.password).toMatch(SECRET_DATA_REFERENCE);
    expect(synth.data("google_secret_manager_secret_version")).toEqual([{ project: "acme-medplum-dr", secret: "medplum-db-password" }]);
    expect(synth.value.password).toEqual({ store: "gcp-secret-manager", id: "projects/acme-medplum-dr/secrets/medplum-db-password/versions/latest" });
  });

  it.each([
    { mode: "backup", edit: () => undefined, instance: "medplum-dr-postgres" },
    { mode: "point-in-time-clone", edit: (database: any, gcp: any) => ((database.restore = CLONE), sameRegion(gcp)), instance: "medplum-dr-postgres" },
    { mode: "replica-promotion", edit: (database: any, gcp: any) => ((database.restore = PROMOTION), replicaVpc(gcp)), instance: "medplum-prod-replica-usw1" },
  ])("adopts the role the restore brought back with an import block, never creating it again ($mode)", ({ edit, instance }) => {
    // google_sql_user's create calls Users.Insert; the role is already in the restored data.
    const synth = synthDatabase(edit);
    const [address] = Object.keys(synth.json.resource.google_sql_user).map((name) => `google_sql_user.${name}`);
    expect(synth.json.import).toEqual(expect.arrayContaining([{ to: address, id: `acme-medplum-dr/${instance}/medplum` }]));
  });

  it("is abandoned, never dropped, when removed: the role owns Medplum's restored tables", () => {
    expect(synthDatabase().resource("google_sql_user").deletion_policy).toBe("ABANDON");
  });

  it("names the medplum database on the standard port (the stack test checks the private address)", () => {
    const { value } = synthDatabase();
    expect(value.databaseName).toBe("medplum");
    expect(value.port).toBe(5432);
  });
});
