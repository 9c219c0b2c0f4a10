/**
 * `targets.aws.database.restore.source: standby`: the newest recovery point standby-aws keeps in the recovery region,
 * looked up at plan time instead of an ARN in the config. AWS Backup's copies of an RDS database are DB (cluster)
 * snapshots of snapshot type `awsbackup` in the region they were copied to (DescribeDBClusterSnapshots /
 * DescribeDBSnapshots, SnapshotType: https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBClusterSnapshots.html),
 * still carrying the source's identifier. The provider's data sources aws_db_cluster_snapshot / aws_db_snapshot pass
 * `snapshot_type` through as SnapshotType, and with `most_recent` sort by SnapshotCreateTime and take the last, a
 * snapshot still being created (no time yet) sorting first; `snapshot_create_time` is RFC 3339
 * (hashicorp/terraform-provider-aws internal/service/rds/cluster_snapshot_data_source.go; attribute names checked
 * against the 5.100.0 provider schema).
 *
 * The database's lifecycle ignores `snapshot_identifier` after creation (facts/force-new.ts), so a re-run that finds a
 * newer recovery point never replaces the restored database. A re-run after the copies have expired finds none and
 * fails its plan: docs/targets/aws.md says to pin the restored snapshot once the recovery is up.
 */
import { DataAwsDbClusterSnapshot } from "@cdktf/provider-aws/lib/data-aws-db-cluster-snapshot";
import { DataAwsDbSnapshot } from "@cdktf/provider-aws/lib/data-aws-db-snapshot";
import { Construct } from "constructs";
import type { AwsDatabaseEngine } from "./engines";

export interface NewestRecoveryPointProps {
  readonly engine: AwsDatabaseEngine;
  /** The primary's cluster or instance identifier (`targets.aws.standby.database.identifier`). */
  readonly sourceIdentifier: string;
}

export class NewestRecoveryPoint extends Construct {
  /** ARN of the newest recovery point: the restore's `snapshot_identifier`. */
  readonly snapshotArn: string;
  /** When it was taken (RFC 3339, known at plan time): the RPO is measured from it. */
  readonly createdAt: string;

  constructor(scope: Construct, id: string, props: NewestRecoveryPointProps) {
    super(scope, id);
    const lookup = {
      snapshotType: "awsbackup",
      mostRecent: true,
      lifecycle: {
        postcondition: [
          {
            // A copy still in progress cannot be restored; failing here names the problem instead of a failed restore.
            condition: '${self.status == "available"}',
            errorMessage: `targets.aws.database.restore.source: the newest AWS Backup recovery point of ${props.sourceIdentifier} in the recovery region is not available yet (a copy in progress); plan again in a few minutes, or name a snapshotIdentifier`,
          },
        ],
      },
    };
    if (props.engine.snapshotLookup === "aws_db_cluster_snapshot") {
      const point = new DataAwsDbClusterSnapshot(this, "cluster", { ...lookup, dbClusterIdentifier: props.sourceIdentifier });
      this.snapshotArn = point.dbClusterSnapshotArn;
      this.createdAt = point.snapshotCreateTime;
    } else {
      const point = new DataAwsDbSnapshot(this, "instance", { ...lookup, dbInstanceIdentifier: props.sourceIdentifier });
      this.snapshotArn = point.dbSnapshotArn;
      this.createdAt = point.snapshotCreateTime;
    }
  }
}
