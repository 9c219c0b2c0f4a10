/**
 * The primary's Cloud SQL backups, checked where they are kept. standby-gcp does not own the primary instance, and a
 * Cloud SQL instance's backup settings live on the instance itself (`settings.backup_configuration` of the
 * `google_sql_database_instance` that owns it): there is no attachable resource as AWS Backup's selection is. So this
 * step reads the instance (a data source, never a resource) and fails the plan, with the reason, when its automated
 * backups would not survive the primary region or would not carry the recovery:
 *   - automated backups off;
 *   - a custom backup `location` equal to the primary region (the default, empty, keeps them in the multi-region
 *     that contains the instance's region: https://cloud.google.com/sql/docs/postgres/backup-recovery/backups#locations);
 *   - fewer retained backups than config asks for.
 * What only the primary's owner can change: the backup location, the retained count, the backup window, and whether
 * backups are standard or enhanced (Backup and DR vaults); all are in-place updates of the primary instance. Enhanced
 * backups do not restore cross-region with `restore_backup_context`, and the data source does not tell them apart: the
 * runbook's `gcloud sql backups list` does.
 */
import { DataGoogleSqlDatabaseInstance } from "@cdktf/provider-google/lib/data-google-sql-database-instance";
import type { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import type { RecoveryPointCopies } from "../../standby-contracts";

export interface StandbyDatabaseBackupsProps {
  readonly primary: GoogleProvider;
  readonly project: string;
  readonly instanceName: string;
  readonly primaryRegion: string;
  readonly minimumRetainedBackups: number;
}

/** Cloud SQL takes one automated backup a day, in the instance's backup window. */
export const AUTOMATED_BACKUP_INTERVAL_MINUTES = 1440;

export class StandbyDatabaseBackups extends Construct {
  readonly instance: DataGoogleSqlDatabaseInstance;
  readonly copies: RecoveryPointCopies;

  constructor(scope: Construct, id: string, props: StandbyDatabaseBackupsProps) {
    super(scope, id);
    const backup = "self.settings[0].backup_configuration[0]";
    const name = `${props.project}:${props.instanceName}`;
    this.instance = new DataGoogleSqlDatabaseInstance(this, "primary", {
      provider: props.primary,
      project: props.project,
      name: props.instanceName,
      lifecycle: {
        postcondition: [
          {
            condition: `\${${backup}.enabled}`,
            errorMessage: `${name} has automated backups off; the recovery restores one of them (settings.backup_configuration.enabled on the primary)`,
          },
          {
            condition: `\${${backup}.location != "${props.primaryRegion}"}`,
            errorMessage: `${name} keeps its backups in ${props.primaryRegion}, the region a recovery replaces; set its backup location to a multi-region or another region (settings.backup_configuration.location on the primary)`,
          },
          {
            condition: `\${${backup}.backup_retention_settings[0].retained_backups >= ${props.minimumRetainedBackups}}`,
            errorMessage: `${name} retains fewer than ${props.minimumRetainedBackups} automated backups (targets.gcp.standby.database.minimumRetainedBackups)`,
          },
        ],
      },
    });
    const settings = this.instance.settings.get(0).backupConfiguration.get(0);
    this.copies = {
      destination: `Cloud SQL automated backups of ${name}, location ${Fn.coalesce([settings.location, "multi-region default"])}`,
      schedule: `daily from ${settings.startTime} UTC (Cloud SQL automated backups)`,
      intervalMinutes: AUTOMATED_BACKUP_INTERVAL_MINUTES,
      retentionDays: props.minimumRetainedBackups,
    };
  }
}
