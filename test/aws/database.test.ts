import { synthAws } from "./helpers";
import { RDS_SNAPSHOT_RESTORE } from "../support/config";

const RDS = { engine: "postgres", instanceClass: "db.r6g.large" };
const rdsSnapshot = {
  targets: {
    aws: {
      database: { ...RDS, restore: RDS_SNAPSHOT_RESTORE },
    },
  },
};
const rdsPointInTime = (time: string) => ({
  targets: {
    aws: { database: { ...RDS, restore: { mode: "point-in-time", automatedBackupsArn: "arn:aws:rds:us-west-2:111122223333:auto-backup:ab-example", time } } },
  },
});

describe("database: Aurora restored from a cluster snapshot", () => {
  const stack = synthAws();
  const cluster = stack.only("aws_rds_cluster");

  it("never replaces the restored cluster when the snapshot id changes", () => {
    // Given a cluster restored from a snapshot, when a later run names a newer snapshot, Terraform must ignore it.
    expect(cluster.lifecycle.ignore_changes).toEqual(expect.arrayContaining(["snapshot_identifier", "restore_to_point_in_time"]));
  });

  it("refuses to destroy the cluster while deletion protection is on", () => {
    expect(cluster.deletion_protection).toBe(true);
    expect(cluster.lifecycle.prevent_destroy).toBe(true);
  });

  it("also refuses to destroy the key without which the database and its snapshots are unreadable", () => {
    expect(stack.only("aws_kms_key").lifecycle.prevent_destroy).toBe(true);
    expect(synthAws({ targets: { aws: { database: { deletionProtection: false } } } }).only("aws_kms_key").lifecycle.prevent_destroy).toBe(false);
  });

  it("can be torn down after a drill when deletion protection is off", () => {
    const drill = synthAws({ targets: { aws: { database: { deletionProtection: false } } } }).only("aws_rds_cluster");
    expect(drill.deletion_protection).toBe(false);
    expect(drill.lifecycle.prevent_destroy).toBe(false);
    expect(drill.lifecycle.ignore_changes).toEqual(expect.arrayContaining(["snapshot_identifier"]));
  });

  it("leaves the ForceNew arguments the snapshot or AWS decides unset", () => {
    for (const attribute of ["availability_zones", "master_username", "master_password", "database_name", "cluster_identifier_prefix"]) {
      expect(cluster).not.toHaveProperty(attribute);
    }
    expect(cluster).toMatchObject({
      cluster_identifier: "medplum-dr-db",
      engine: "aurora-postgresql",
      db_subnet_group_name: expect.stringContaining("aws_db_subnet_group."),
    });
  });

  it("encrypts with the recovery region's key and keeps the master password in Secrets Manager only", () => {
    const key = stack.ref("aws_kms_key", "database/key", "arn");
    expect(cluster).toMatchObject({ storage_encrypted: true, kms_key_id: key, manage_master_user_password: true, master_user_secret_kms_key_id: key });
    expect(stack.only("aws_kms_key").enable_key_rotation).toBe(true);
  });

  it("keeps backups, exports logs, copies tags and takes a named final snapshot", () => {
    expect(cluster).toMatchObject({
      backup_retention_period: 7,
      enabled_cloudwatch_logs_exports: ["postgresql"],
      copy_tags_to_snapshot: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: "medplum-dr-db-final",
    });
  });

  it("adds a writer and the configured readers, none publicly accessible", () => {
    const instances = Object.values(stack.resources("aws_rds_cluster_instance"));
    expect(instances.map((instance) => instance.identifier).sort()).toEqual(["medplum-dr-db-1", "medplum-dr-db-2"]);
    expect(instances.every((instance) => instance.publicly_accessible === false && instance.instance_class === "db.r6g.large")).toBe(true);
    const three = synthAws({ targets: { aws: { database: { readerInstances: 2 } } } });
    expect(Object.keys(three.resources("aws_rds_cluster_instance"))).toHaveLength(3);
  });

  it("enforces TLS and Medplum's settings through a cluster parameter group of the engine's family", () => {
    const parameters = stack.only("aws_rds_cluster_parameter_group");
    expect(parameters.family).toBe("aurora-postgresql16");
    expect(parameters.parameter).toEqual(
      expect.arrayContaining([
        { name: "rds.force_ssl", value: "1", apply_method: "immediate" },
        { name: "statement_timeout", value: "60000", apply_method: "immediate" },
        { name: "default_transaction_isolation", value: "repeatable read", apply_method: "immediate" },
      ]),
    );
    expect(cluster.db_cluster_parameter_group_name).toBe(stack.ref("aws_rds_cluster_parameter_group", "database", "name"));
  });

  it("admits connections only through the database security group", () => {
    expect(cluster.vpc_security_group_ids).toEqual([stack.ref("aws_security_group", "securityGroups/database", "id")]);
  });

  it("uses a given KMS key instead of creating one", () => {
    const keyArn = "arn:aws:kms:us-west-2:111122223333:key/11111111-2222-4333-8444-555555555555";
    const given = synthAws({ targets: { aws: { database: { kmsKeyArn: keyArn } } } });
    expect(given.resources("aws_kms_key")).toEqual({});
    expect(given.only("aws_rds_cluster").kms_key_id).toBe(keyArn);
  });

  it("hands the stack the endpoint, the managed master secret and the snapshot it came from", () => {
    const outputs = stack.json.output;
    expect(outputs.database_endpoint.value).toBe(`${stack.ref("aws_rds_cluster", "database", "endpoint")}:5432`);
    const taskDefinition = JSON.parse(stack.only("aws_ecs_task_definition").container_definitions)[0];
    const secret = `${stack.ref("aws_rds_cluster", "database", "master_user_secret[0].secret_arn")}`;
    expect(taskDefinition.secrets).toEqual(
      expect.arrayContaining([
        { name: "MEDPLUM_DATABASE_USERNAME", valueFrom: `${secret}:username::` },
        { name: "MEDPLUM_DATABASE_PASSWORD", valueFrom: `${secret}:password::` },
      ]),
    );
  });
});

describe("database: RDS for PostgreSQL", () => {
  it("restores from a DB snapshot and never replaces the instance when the snapshot id changes", () => {
    const stack = synthAws(rdsSnapshot);
    const instance = stack.only("aws_db_instance");
    expect(instance.snapshot_identifier).toBe("arn:aws:rds:us-west-2:111122223333:snapshot:medplum-prod-copy");
    expect(instance).not.toHaveProperty("restore_to_point_in_time");
    expect(instance.lifecycle.ignore_changes).toEqual(expect.arrayContaining(["snapshot_identifier", "restore_to_point_in_time", "kms_key_id"]));
    expect(instance.lifecycle.prevent_destroy).toBe(true);
    expect(stack.resources("aws_rds_cluster")).toEqual({});
  });

  it("restores to the latest restorable time from replicated automated backups", () => {
    const instance = synthAws(rdsPointInTime("latest")).only("aws_db_instance");
    expect(instance.restore_to_point_in_time).toEqual({
      source_db_instance_automated_backups_arn: "arn:aws:rds:us-west-2:111122223333:auto-backup:ab-example",
      use_latest_restorable_time: true,
    });
    expect(instance).not.toHaveProperty("snapshot_identifier");
  });

  it("restores to a given time from replicated automated backups and says so in the outputs", () => {
    const stack = synthAws(rdsPointInTime("2026-11-22T08:30:00Z"));
    expect(stack.only("aws_db_instance").restore_to_point_in_time).toEqual({
      source_db_instance_automated_backups_arn: "arn:aws:rds:us-west-2:111122223333:auto-backup:ab-example",
      restore_time: "2026-11-22T08:30:00Z",
    });
    expect(stack.json.output.restore_point.value).toBe("2026-11-22T08:30:00Z");
    expect(stack.json.output.restore_mode.value).toBe("point-in-time");
    expect(stack.json.output.restore_source.value).toBe("arn:aws:rds:us-west-2:111122223333:auto-backup:ab-example");
  });

  it("is private, encrypted, backed up, logged, Multi-AZ and keeps its password in Secrets Manager", () => {
    const stack = synthAws(rdsSnapshot);
    expect(stack.only("aws_db_instance")).toMatchObject({
      identifier: "medplum-dr-db",
      publicly_accessible: false,
      storage_encrypted: true,
      manage_master_user_password: true,
      master_user_secret_kms_key_id: stack.ref("aws_kms_key", "database/key", "arn"),
      multi_az: true,
      backup_retention_period: 7,
      enabled_cloudwatch_logs_exports: ["postgresql"],
      copy_tags_to_snapshot: true,
      final_snapshot_identifier: "medplum-dr-db-final",
      deletion_protection: true,
      allocated_storage: 100,
    });
    for (const attribute of ["username", "password", "db_name", "kms_key_id"]) {
      expect(stack.only("aws_db_instance")).not.toHaveProperty(attribute);
    }
  });

  it("declares the snapshot copy's key when the config names it, and ignores it after the restore", () => {
    const keyArn = "arn:aws:kms:us-west-2:111122223333:key/11111111-2222-4333-8444-555555555555";
    const instance = synthAws({ targets: { aws: { database: { ...rdsSnapshot.targets.aws.database, kmsKeyArn: keyArn } } } }).only("aws_db_instance");
    expect(instance.kms_key_id).toBe(keyArn);
    expect(instance.lifecycle.ignore_changes).toContain("kms_key_id");
  });

  it("enforces TLS and Medplum's settings through a DB parameter group of the postgres family", () => {
    const stack = synthAws(rdsSnapshot);
    const parameters = stack.only("aws_db_parameter_group");
    expect(parameters.family).toBe("postgres16");
    expect(parameters.parameter.map((parameter: { name: string }) => parameter.name).sort()).toEqual([
      "default_transaction_isolation",
      "rds.force_ssl",
      "statement_timeout",
    ]);
    expect(stack.only("aws_db_instance").parameter_group_name).toBe(stack.ref("aws_db_parameter_group", "database", "name"));
  });
});

describe("database: exported logs and the recovery key", () => {
  it("pre-creates the PostgreSQL log group RDS exports to, encrypted and with a retention, before the database", () => {
    const aurora = synthAws();
    expect(aurora.at("aws_cloudwatch_log_group", "database")).toMatchObject({
      name: "/aws/rds/cluster/medplum-dr-db/postgresql",
      retention_in_days: 365,
      kms_key_id: aurora.ref("aws_kms_key", "database/key", "arn"),
    });
    expect(aurora.only("aws_rds_cluster").depends_on).toContain(aurora.address("aws_cloudwatch_log_group", "database"));
    const rds = synthAws(rdsSnapshot);
    expect(rds.at("aws_cloudwatch_log_group", "database").name).toBe("/aws/rds/instance/medplum-dr-db/postgresql");
  });

  it("names the recovery account in the key policy: the configured one, else the application secret's", () => {
    const principal = (overrides: Parameters<typeof synthAws>[0]) => JSON.parse(synthAws(overrides).only("aws_kms_key").policy).Statement[0].Principal.AWS;
    expect(principal({})).toBe("arn:aws:iam::111122223333:root");
    expect(principal({ targets: { aws: { accountId: "444455556666" } } })).toBe("arn:aws:iam::444455556666:root");
  });
});

describe("database: config checks that protect the restored database", () => {
  it.each([
    ["an alias ARN", "arn:aws:kms:us-west-2:111122223333:alias/medplum"],
    ["a key id", "1234abcd-12ab-34cd-56ef-1234567890ab"],
  ])("refuses %s as kmsKeyArn, because kms_key_id would be read back differently and force a new database", (_, kmsKeyArn) => {
    expect(() => synthAws({ targets: { aws: { database: { kmsKeyArn } } } })).toThrow(/targets\.aws\.database\.kmsKeyArn: .* is not a KMS key ARN/);
  });
});
