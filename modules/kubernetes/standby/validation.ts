/**
 * Checks on BackupCronJobsProps: each message names the prop, quotes what was found and says what is accepted. Every
 * problem is reported at once. The rules mirror what the scripts (dump-store.sh, dump-medplum-db.sh) and the
 * Kubernetes API would refuse later, at run time or at apply time.
 */
import { Token } from "cdktf";
import type { BackupCronJobsProps, SecretKey } from "./backup-cronjobs";

const quote = (value: unknown) => JSON.stringify(value);
const literal = (value: string) => !Token.isUnresolved(value);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,50}$/;
/** dump-store.sh accepts only these in a bucket name and prefix. */
const OBJECT_PATH = /^[A-Za-z0-9._/-]*$/;
/** Kubernetes CronJob schedules: five fields, or one of the descriptors its cron parser knows. */
const CRON_FIELD = /^[0-9A-Za-z*?/,-]+$/;
const CRON_DESCRIPTORS = new Set(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]);

function scheduleProblems(prop: string, schedule: string): string[] {
  if (!literal(schedule)) return [];
  if (/^\s*(CRON_)?TZ=/.test(schedule)) return [`${prop}: ${quote(schedule)} sets a time zone inside the schedule, which Kubernetes refuses; use timeZone`];
  const trimmed = schedule.trim();
  if (CRON_DESCRIPTORS.has(trimmed)) return [];
  const fields = trimmed.split(/\s+/);
  if (fields.length === 5 && fields.every((field) => CRON_FIELD.test(field))) return [];
  return [
    `${prop}: ${quote(schedule)} is not a cron schedule; give five fields (minute hour day-of-month month day-of-week, e.g. "*/30 * * * *") or one of ${[...CRON_DESCRIPTORS].join(", ")}`,
  ];
}

function wholeNumber(prop: string, value: number | undefined, min: number, max: number): string[] {
  if (value === undefined) return [];
  return Number.isInteger(value) && value >= min && value <= max ? [] : [`${prop}: ${quote(value)} is not a whole number from ${min} to ${max}`];
}

function secretProblems(prop: string, secret: SecretKey | undefined): string[] {
  if (secret === undefined) return [];
  return [
    ...(literal(secret.secretName) && !DNS_SUBDOMAIN.test(secret.secretName)
      ? [`${prop}.secretName: ${quote(secret.secretName)} is not a Kubernetes Secret name (lower-case letters, digits, - and .)`]
      : []),
    ...(literal(secret.key) && !SECRET_KEY.test(secret.key) ? [`${prop}.key: ${quote(secret.key)} is not a Secret key (letters, digits, -, _ and .)`] : []),
  ];
}

function secretNameProblems(prop: string, name: string | undefined): string[] {
  return name !== undefined && literal(name) && !DNS_SUBDOMAIN.test(name)
    ? [`${prop}: ${quote(name)} is not a Kubernetes Secret name (lower-case letters, digits, - and .)`]
    : [];
}

function objectPathProblems(prop: string, value: string | undefined, required: boolean): string[] {
  if (value === undefined) return required ? [`${prop}: is missing`] : [];
  if (!literal(value)) return [];
  if (required && value === "") return [`${prop}: is empty`];
  return OBJECT_PATH.test(value) && !value.includes("..") ? [] : [`${prop}: ${quote(value)} may hold only letters, digits, ".", "_", "/" and "-"`];
}

function destinationProblems(props: BackupCronJobsProps): string[] {
  const destination = props.destination;
  switch (destination.kind) {
    case "volume":
      return [
        ...(literal(destination.claimName) && !DNS_SUBDOMAIN.test(destination.claimName)
          ? [`destination.claimName: ${quote(destination.claimName)} is not a PersistentVolumeClaim name`]
          : []),
        ...objectPathProblems("destination.path", destination.path, false),
      ];
    case "s3":
      return [
        ...objectPathProblems("destination.bucket", destination.bucket, true),
        ...objectPathProblems("destination.prefix", destination.prefix, false),
        ...(destination.region === "" ? ["destination.region: is empty; give the bucket's region, e.g. eu-west-1"] : []),
        ...(destination.endpoint !== undefined && literal(destination.endpoint) && !/^https?:\/\/[^\s/]+\/?$/.test(destination.endpoint)
          ? [`destination.endpoint: ${quote(destination.endpoint)} is not an endpoint URL such as https://minio.storage.svc:9000`]
          : []),
        ...secretNameProblems("destination.credentialsSecret", destination.credentialsSecret),
      ];
    case "gcs":
      return [
        ...objectPathProblems("destination.bucket", destination.bucket, true),
        ...objectPathProblems("destination.prefix", destination.prefix, false),
        ...secretNameProblems("destination.credentialsSecret", destination.credentialsSecret),
      ];
    case "azure-blob":
      return [
        ...(literal(destination.account) && !/^[a-z0-9]{3,24}$/.test(destination.account)
          ? [`destination.account: ${quote(destination.account)} is not a storage account name (3 to 24 lower-case letters and digits)`]
          : []),
        ...(literal(destination.container) && !/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(destination.container)
          ? [`destination.container: ${quote(destination.container)} is not a blob container name (3 to 63 lower-case letters, digits and single hyphens)`]
          : []),
        ...objectPathProblems("destination.prefix", destination.prefix, false),
        ...secretNameProblems("destination.sasTokenSecret", destination.sasTokenSecret),
      ];
    default:
      return [`destination.kind: ${quote((destination as { kind: unknown }).kind)} is not one of "volume", "s3", "gcs", "azure-blob"`];
  }
}

export function backupCronJobsProblems(props: BackupCronJobsProps): string[] {
  const name = props.name ?? "medplum-backup";
  const retention = props.retention;
  return [
    ...(literal(props.namespace) && !DNS_LABEL.test(props.namespace) ? [`namespace: ${quote(props.namespace)} is not a namespace name (a DNS label)`] : []),
    // CronJob names are limited to 52 characters (the controller appends an 11-character suffix to its Jobs).
    ...(!/^[a-z0-9]([-a-z0-9]{0,43}[a-z0-9])?$/.test(name)
      ? [`name: ${quote(name)} is not a lower-case DNS label of at most 45 characters (the CronJobs are <name>-verify, at most 52)`]
      : []),
    ...(props.image.trim() === "" ? ["image: is empty; give an image with bash and the PostgreSQL binaries, e.g. postgres:15"] : []),
    ...(literal(props.database.host) && props.database.host.trim() === "" ? ["database.host: is empty"] : []),
    ...wholeNumber("database.port", props.database.port, 1, 65535),
    ...(props.database.name !== undefined && !IDENTIFIER.test(props.database.name)
      ? [`database.name: ${quote(props.database.name)} is not a plain lower-case identifier`]
      : []),
    ...(literal(props.database.user) && props.database.user.trim() === "" ? ["database.user: is empty"] : []),
    ...secretProblems("database.passwordSecret", props.database.passwordSecret),
    ...secretProblems("webhookSecret", props.webhookSecret),
    ...scheduleProblems("dumpSchedule", props.dumpSchedule),
    ...scheduleProblems("verifySchedule", props.verifySchedule),
    ...(props.timeZone !== undefined && literal(props.timeZone) && !/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(props.timeZone)
      ? [`timeZone: ${quote(props.timeZone)} is not an IANA time zone name such as Europe/Paris or Etc/UTC`]
      : []),
    ...(retention.count === undefined && retention.days === undefined
      ? ["retention: gives neither count nor days; set at least one, or old dumps are never pruned"]
      : []),
    ...wholeNumber("retention.count", retention.count, 1, 9999),
    ...wholeNumber("retention.days", retention.days, 1, 99999),
    ...wholeNumber("dumpResources.scratchGiB", props.dumpResources.scratchGiB, 1, 10000),
    ...wholeNumber("verifyResources.scratchGiB", props.verifyResources.scratchGiB, 1, 10000),
    ...wholeNumber("dumpTimeoutMinutes", props.dumpTimeoutMinutes, 1, 10080),
    ...wholeNumber("verifyTimeoutMinutes", props.verifyTimeoutMinutes, 1, 10080),
    ...wholeNumber("backoffLimit", props.backoffLimit, 0, 10),
    ...wholeNumber("verifyMaxAgeHours", props.verifyMaxAgeHours, 1, 99999),
    ...wholeNumber("runAsUser", props.runAsUser, 1, 2147483647),
    ...destinationProblems(props),
  ];
}
