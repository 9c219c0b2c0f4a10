/** The standby tier's Kubernetes parts: peacetime dumps of Medplum's database and their verification. */
export { BackupCronJobs, BACKUP_SCRIPT_FILES, backupScriptPath, destinationMount, POSTGRES_IMAGE_USER } from "./backup-cronjobs";
export type { BackupCronJobsProps, BackupDestination, BackupJobResources, SecretKey } from "./backup-cronjobs";
export { backupCronJobsProblems } from "./validation";
