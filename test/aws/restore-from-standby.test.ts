/**
 * `targets.aws.database.restore.source: standby`: no snapshot ARN in the config; the recovery restores the newest AWS
 * Backup recovery point standby-aws keeps in the recovery region, found at plan time, and never replaces the restored
 * database when a later run finds a newer one (the real-Terraform proof is in terraform.test.ts).
 */
import { problemsOf, standbyConfig, standbyDocument } from "../standby/helpers";
import { synthAws } from "./helpers";
import { RDS } from "../support/config";

const FROM_STANDBY = { mode: "snapshot", source: "standby", snapshotIdentifier: null, snapshotTakenAt: null };

describe("restore.source standby", () => {
  const aurora = synthAws(standbyConfig({}, { targets: { aws: { database: { restore: FROM_STANDBY } } } }));
  const lookups = aurora.json.data.aws_db_cluster_snapshot as Record<string, Record<string, any>>;
  const [lookupId, lookup] = Object.entries(lookups)[0]!;
  const ref = (attribute: string) => `\${data.aws_db_cluster_snapshot.${lookupId}.${attribute}}`;

  it("looks up the newest AWS Backup copy of the primary cluster in the recovery region, at plan time", () => {
    expect(Object.keys(lookups)).toHaveLength(1);
    expect(lookup).toMatchObject({ db_cluster_identifier: "medplum-prod", snapshot_type: "awsbackup", most_recent: true });
    expect(lookup.provider).toBeUndefined();
    expect(lookup.lifecycle.postcondition[0].condition).toBe('${self.status == "available"}');
  });

  it("restores the cluster from it, and ignores the snapshot after creation so a newer one never replaces the database", () => {
    const cluster = aurora.only("aws_rds_cluster");
    expect(cluster.snapshot_identifier).toBe(ref("db_cluster_snapshot_arn"));
    expect(cluster.lifecycle.ignore_changes).toContain("snapshot_identifier");
  });

  it("reports which recovery point and when it was taken", () => {
    expect(aurora.json.output.restore_source.value).toBe(ref("db_cluster_snapshot_arn"));
    expect(aurora.json.output.restore_point.value).toBe(ref("snapshot_create_time"));
    expect(aurora.json.output.restore_mode.value).toBe("snapshot");
  });

  it("looks up DB snapshots of the primary instance for RDS", () => {
    const rds = synthAws(standbyConfig({ database: { identifier: "medplum-prod-db" } }, { targets: { aws: { database: { ...RDS, restore: FROM_STANDBY } } } }));
    const [id, body] = Object.entries<Record<string, any>>(rds.json.data.aws_db_snapshot)[0]!;
    expect(body).toMatchObject({ db_instance_identifier: "medplum-prod-db", snapshot_type: "awsbackup", most_recent: true });
    expect(rds.only("aws_db_instance").snapshot_identifier).toBe(`\${data.aws_db_snapshot.${id}.db_snapshot_arn}`);
    expect(rds.json.data.aws_db_cluster_snapshot).toBeUndefined();
  });

  it("leaves a named snapshot restore without any lookup", () => {
    const named = {
      targets: {
        aws: {
          database: {
            restore: { mode: "snapshot", source: null, snapshotIdentifier: "arn:aws:rds:us-west-2:111122223333:cluster-snapshot:medplum-prod-copy-2026-11-22" },
          },
        },
      },
    };
    expect(synthAws(standbyConfig({}, named)).json.data.aws_db_cluster_snapshot).toBeUndefined();
  });

  it.each([
    [
      { targets: { aws: { database: { restore: { ...FROM_STANDBY, snapshotIdentifier: "medplum-prod-copy" } } } } },
      /^targets\.aws\.database\.restore\.source: "standby" is given with snapshotIdentifier; give one/,
    ],
    [
      { targets: { aws: { database: { restore: { mode: "snapshot", source: null, snapshotIdentifier: null } } } } },
      /^targets\.aws\.database\.restore\.snapshotIdentifier: \(not set\) is required with mode snapshot, unless source is "standby"/,
    ],
    [
      { targets: { aws: { database: { restore: FROM_STANDBY }, standby: null } } },
      /^targets\.aws\.database\.restore\.source: "standby" needs targets\.aws\.standby, which is not set/,
    ],
    [
      { targets: { aws: { database: { restore: { ...FROM_STANDBY, snapshotTakenAt: "2026-11-22T03:00:00Z" } } } } },
      /^targets\.aws\.database\.restore\.snapshotTakenAt: .* is given with source standby/,
    ],
  ])("refuses a restore that names its source twice or not at all (%j)", (overrides, line) => {
    expect(problemsOf(standbyDocument({}, overrides))).toContainEqual(expect.stringMatching(line));
  });
});
