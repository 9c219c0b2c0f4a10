/**
 * THE table of recovery points: how much data the chosen restore mode loses, at most, by its nature. One entry per
 * mode (per cloud where the clouds differ); each says where its figure comes from (docs/estimates.md gives the vendor
 * page and the date read, or says the figure is our judgement) and how an operator can bound a figure the plan cannot know.
 *
 * A snapshot's or backup's age is unknown at plan time unless the config says when it was taken
 * (`restore.snapshotTakenAt`, `restore.backupTakenAt`, `restore.takenAt` or `dump.takenAt`: RFC 3339); a logical
 * dump's loss is its interval (`restore.dumpIntervalMinutes` or `dump.intervalMinutes`). With one of those, the figure is computed; without, it is "unknown" and the
 * gate fails unless --allow-unknown-rpo (see report/gate.ts).
 */
export type TargetCloud = "aws" | "gcp" | "azure" | "kubernetes";

export interface RpoEntry {
  /** Restore modes this entry covers, compared case- and punctuation-insensitively (`point-in-time` = `PointInTime`). */
  readonly modes: readonly string[];
  /** @default - every cloud */
  readonly cloud?: TargetCloud;
  /** Typical data loss in minutes; absent when it depends on the age of a backup only the operator knows. */
  readonly minutes?: number;
  readonly source: string;
  /** The restore config field that makes an unknown figure known, e.g. `snapshotTakenAt`. */
  readonly knownFrom?: string;
  /** How to bound or shrink the figure, beyond giving `knownFrom`. */
  readonly howToBound: string;
}

export const RPO_TABLE: readonly RpoEntry[] = [
  {
    modes: ["snapshot"],
    source: "the snapshot's age: everything written after it was taken is lost",
    knownFrom: "snapshotTakenAt",
    howToBound:
      "the copy schedule bounds it: a daily AWS Backup copy_action means up to 24 h plus the copy time; copy more often, or use point-in-time restore from replicated automated backups",
  },
  {
    modes: ["point-in-time", "pitr"],
    cloud: "aws",
    minutes: 5,
    source: "AWS RDS docs (docs/estimates.md, A2): the latest restorable time is typically within 5 min of now; that replicated automated backups ship logs on the same cadence is our judgement",
    howToBound: "check the latest restorable time of the replicated backups (aws rds describe-db-instance-automated-backups) in peacetime and alarm on its lag",
  },
  {
    modes: ["point-in-time", "pointintimerestore", "pitr"],
    cloud: "azure",
    minutes: 5,
    source: "estimate: same-region PITR replays continuously archived WAL; the latest restorable point trails by minutes",
    howToBound: "same-region only: it does not survive a regional outage; use GeoRestore or a replica for that",
  },
  {
    modes: ["geo-restore", "georestore"],
    cloud: "azure",
    minutes: 60,
    source: "Azure docs (docs/estimates.md, Z1): geo-restore from the geo-redundant backup has an RPO under 1 h",
    howToBound: "a cross-region read replica (~5 min) if 60 min is too much",
  },
  {
    modes: ["replica-promotion", "replica", "promote"],
    cloud: "aws",
    minutes: 1,
    source: "AWS docs (docs/estimates.md, A3): Aurora Global Database replicates with typical latency under 1 s; RDS cross-region replica lag is usually seconds (our judgement); rounded up to 1 min",
    howToBound: "alarm on AuroraGlobalDBReplicationLag / ReplicaLag in peacetime",
  },
  {
    modes: ["replica-promotion", "replica", "promote"],
    cloud: "azure",
    minutes: 5,
    source: "judgement (docs/estimates.md#data-loss-per-restore-mode-rpo): flexible server read replicas trail by minutes; the lag depends on latency and load",
    howToBound: "alarm on the replica's physical_replication_delay_in_seconds",
  },
  {
    modes: ["replica-promotion", "replica", "promote"],
    minutes: 1,
    source: "estimate: asynchronous streaming replication usually trails by seconds (rounded up to 1 min)",
    howToBound: "alarm on the replica's replication lag in peacetime",
  },
  {
    modes: ["backup", "backup-restore", "restore-backup"],
    source: "the backup's age: GCP Cloud SQL standard backups are daily by default, so up to 24 h",
    knownFrom: "backupTakenAt",
    howToBound: "the backup schedule bounds it (daily by default); keep a cross-region replica (minutes) to shrink it",
  },
  {
    modes: ["logical-dump", "restore-from-dump", "dump", "pg-dump"],
    source: "the dump interval: everything written since the last completed pg_dump is lost",
    knownFrom: "dumpIntervalMinutes",
    howToBound: "the dump schedule bounds it; dump more often or archive WAL (CloudNativePG) to shrink it",
  },
  {
    modes: ["point-in-time-clone", "clone"],
    cloud: "gcp",
    minutes: 5,
    source: "estimate: a Cloud SQL clone to a point in time replays write-ahead logs kept with PITR; the latest point trails by minutes",
    howToBound: "same-region only: it does not survive a regional outage; use a backup restore or a replica for that",
  },
  {
    modes: ["existing"],
    source: "whatever brought the existing database back (e.g. a CloudNativePG recovery from its WAL archive, ~5 min)",
    howToBound: "state the existing database's own RPO in the runbook; this stack only connects to it",
  },
  {
    modes: ["wal-archive", "cloudnative-pg", "cnpg", "barman"],
    minutes: 5,
    source: "estimate: CloudNativePG archives WAL at least every archive_timeout, 5 min by default",
    howToBound: "lower archive_timeout, and alarm on the last archived WAL's age",
  },
];

export interface ImpliedRpo {
  readonly mode: string;
  /** Undefined when the loss depends on something the plan does not know. */
  readonly minutes?: number;
  readonly basis: string;
  readonly howToBound: string;
}

/**
 * The RPO the chosen mode implies. `restore` is the target's `database.restore` config (any shape: only the fields
 * named in this file's header are read); `now` is when the report runs, against which a snapshot's age is measured.
 */
export function impliedRpo(mode: string, cloud: TargetCloud | undefined, restore: Readonly<Record<string, unknown>> | undefined, now: Date): ImpliedRpo {
  const key = normalize(mode);
  const entry =
    RPO_TABLE.find((candidate) => candidate.cloud === cloud && candidate.modes.some((m) => normalize(m) === key)) ??
    RPO_TABLE.find((candidate) => candidate.cloud === undefined && candidate.modes.some((m) => normalize(m) === key));
  if (entry === undefined) {
    return {
      mode,
      basis: `restore mode "${mode}" is not in report/rpo.ts, so its data loss is unknown`,
      howToBound: "add the mode to RPO_TABLE in report/rpo.ts with its source",
    };
  }

  // The age may sit on the restore block or on what it restores from (`dump.takenAt`).
  const takenAt = firstString(restore, ["snapshotTakenAt", "backupTakenAt", "takenAt"]) ?? firstString(nested(restore, "dump"), ["takenAt"]);
  if (takenAt !== undefined && entry.minutes === undefined) {
    const ageMinutes = Math.max(0, Math.round((now.getTime() - Date.parse(takenAt)) / 60_000));
    return {
      mode,
      minutes: ageMinutes,
      basis: `${entry.source}; taken at ${takenAt}, ${formatMinutes(ageMinutes)} before this report (the loss keeps growing until the restore runs)`,
      howToBound: entry.howToBound,
    };
  }
  const interval = restore?.dumpIntervalMinutes ?? nested(restore, "dump")?.intervalMinutes;
  if (typeof interval === "number" && entry.minutes === undefined) {
    return { mode, minutes: interval, basis: `${entry.source}; restore.dumpIntervalMinutes is ${interval}`, howToBound: entry.howToBound };
  }

  const unknownHow = entry.knownFrom ? `give restore.${entry.knownFrom} in the config so the report can compute it; ${entry.howToBound}` : entry.howToBound;
  const chosenTime = typeof restore?.time === "string" && restore.time !== "latest" ? restore.time : undefined;
  const chosenNote = chosenTime
    ? `; restoring to the chosen time ${chosenTime} deliberately discards what was written after it (the figure is the mode's lag when "latest" is chosen)`
    : "";
  return {
    mode,
    ...(entry.minutes !== undefined ? { minutes: entry.minutes } : {}),
    basis: entry.minutes !== undefined ? `${entry.source}${chosenNote}` : `depends on ${entry.source}`,
    howToBound: entry.minutes !== undefined ? entry.howToBound : unknownHow,
  };
}

/** Whether two names denote the same restore mode (the config's and the stack output's may differ in wording). */
export function sameRestoreMode(a: string, b: string): boolean {
  const [left, right] = [normalize(a), normalize(b)];
  return left === right || RPO_TABLE.some((entry) => entry.modes.some((m) => normalize(m) === left) && entry.modes.some((m) => normalize(m) === right));
}

export function formatMinutes(minutes: number): string {
  if (minutes < 120) return `${Number.isInteger(minutes) ? minutes : minutes.toFixed(1)} min`;
  const hours = minutes / 60;
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} days`;
}

function nested(record: Readonly<Record<string, unknown>> | undefined, key: string): Readonly<Record<string, unknown>> | undefined {
  const value = record?.[key];
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
}

function normalize(mode: string): string {
  return mode.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function firstString(record: Readonly<Record<string, unknown>> | undefined, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = record?.[key];
    if (typeof value === "string" && !Number.isNaN(Date.parse(value))) return value;
  }
  return undefined;
}
