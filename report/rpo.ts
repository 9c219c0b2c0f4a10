/**
 * THE table of recovery points: how much data each restore mode loses, at most, by its nature. One entry per
 * `RestoreMode` (modules/contracts.ts), per cloud where the clouds differ; each says where its figure comes from
 * (docs/estimates.md gives the vendor page and the date read, or says the figure is our judgement) and how an operator
 * can bound a figure the plan cannot know.
 *
 * The facts come from the synthesized stack: its `restore_mode`, `restore_source`, `restore_point` and
 * `restore_source_taken_at` outputs, and the mode's RPO class in `RESTORE_MODES`. A recovery point's age is known when
 * the stack's `restore_point` or `restore_source_taken_at` is an RFC 3339 time (the bundles write `snapshotTakenAt`,
 * `backupTakenAt` or a dump's `takenAt` there); a logical dump's loss is its age, else its interval
 * (`targets.kubernetes.database.dump.intervalMinutes`, the one fact read from the config). Without one of those the
 * figure is "unknown" and the gate fails unless --allow-unknown-rpo (see report/gate.ts).
 */
import { RESTORE_MODES, type RestoreMode, type RpoClass } from "../modules/contracts";

export type TargetCloud = "aws" | "gcp" | "azure" | "kubernetes";

export interface RpoEntry {
  readonly mode: RestoreMode;
  /** @default - every cloud */
  readonly cloud?: TargetCloud;
  /** Typical data loss in minutes; absent when it depends on the age of a recovery point or a dump interval. */
  readonly minutes?: number;
  readonly source: string;
  /** The config field that makes an unknown figure known, e.g. `restore.snapshotTakenAt`. */
  readonly knownFrom?: string;
  /** How to bound or shrink the figure, beyond giving `knownFrom`. */
  readonly howToBound: string;
}

export const RPO_TABLE: readonly RpoEntry[] = [
  {
    mode: "snapshot",
    source: "the snapshot's age: everything written after it was taken is lost",
    knownFrom: "restore.snapshotTakenAt",
    howToBound:
      "the copy schedule bounds it: a daily AWS Backup copy_action means up to 24 h plus the copy time; copy more often, or use point-in-time restore from replicated automated backups",
  },
  {
    mode: "point-in-time",
    cloud: "aws",
    minutes: 5,
    source:
      "AWS RDS docs (docs/estimates.md, A2): the latest restorable time is typically within 5 min of now; that replicated automated backups ship logs on the same cadence is our judgement",
    howToBound: "check the latest restorable time of the replicated backups (aws rds describe-db-instance-automated-backups) in peacetime and alarm on its lag",
  },
  {
    mode: "point-in-time",
    cloud: "azure",
    minutes: 5,
    source: "estimate: same-region PITR replays continuously archived WAL; the latest restorable point trails by minutes",
    howToBound: "same-region only: it does not survive a regional outage; use geo-restore or a replica for that",
  },
  {
    mode: "geo-restore",
    cloud: "azure",
    minutes: 60,
    source: "Azure docs (docs/estimates.md, Z1): geo-restore from the geo-redundant backup has an RPO under 1 h",
    howToBound: "a cross-region read replica (~5 min) if 60 min is too much",
  },
  {
    mode: "replica-promotion",
    cloud: "aws",
    minutes: 1,
    source:
      "AWS docs (docs/estimates.md, A3): Aurora Global Database replicates with typical latency under 1 s; RDS cross-region replica lag is usually seconds (our judgement); rounded up to 1 min",
    howToBound: "alarm on AuroraGlobalDBReplicationLag / ReplicaLag in peacetime",
  },
  {
    mode: "replica-promotion",
    cloud: "azure",
    minutes: 5,
    source: "judgement (docs/estimates.md#data-loss-per-restore-mode-rpo): flexible server read replicas trail by minutes; the lag depends on latency and load",
    howToBound: "alarm on the replica's physical_replication_delay_in_seconds",
  },
  {
    mode: "replica-promotion",
    cloud: "gcp",
    minutes: 1,
    source:
      "Google Cloud docs (docs/estimates.md, G4): a cross-region read replica reflects the primary's changes in almost real time; replication is asynchronous and no lag is published, so the minute is our judgement",
    howToBound: "alert on the replica's database/replication/replica_lag metric past objectives.rpoMinutes (standby-gcp's watches do)",
  },
  {
    mode: "replica-promotion",
    minutes: 1,
    source: "estimate: asynchronous streaming replication usually trails by seconds (rounded up to 1 min)",
    howToBound: "alarm on the replica's replication lag in peacetime",
  },
  {
    mode: "backup",
    cloud: "gcp",
    source: "the backup's age: GCP Cloud SQL standard backups are daily by default, so up to 24 h",
    knownFrom: "restore.backupTakenAt",
    howToBound: "the backup schedule bounds it (daily by default); keep a cross-region replica (minutes) to shrink it",
  },
  {
    mode: "logical-dump",
    source: "the dump interval: everything written since the last completed pg_dump is lost",
    knownFrom: "database.dump.intervalMinutes",
    howToBound: "the dump schedule bounds it; dump more often, or archive WAL to shrink it",
  },
  {
    mode: "point-in-time-clone",
    cloud: "gcp",
    minutes: 5,
    source: "estimate: a Cloud SQL clone to a point in time replays write-ahead logs kept with PITR; the latest point trails by minutes",
    howToBound: "same-region only: it does not survive a regional outage; use a backup restore or a replica for that",
  },
  {
    mode: "existing",
    source: "whatever brought the existing database back (e.g. a CloudNativePG recovery from its WAL archive, ~5 min)",
    howToBound: "state the existing database's own RPO in the runbook; this stack only connects to it",
  },
];

/** The restore facts of one recovery: the stack's outputs, plus what only the config knows. */
export interface RestoreFacts {
  /** The stack's `restore_mode` output; a string that is no `RestoreMode` gives an unknown RPO. */
  readonly mode: string;
  /** The stack's `restore_point` output: an RFC 3339 time, `latest`, or a description. */
  readonly point?: string;
  /** When the source was taken (RFC 3339): the stack's `restore_source_taken_at` output. */
  readonly sourceTakenAt?: string;
  /**
   * The `restore_source_taken_at` output is a Terraform reference (the newest recovery point a data source finds):
   * the time is known at plan time, not in the synthesized JSON.
   */
  readonly sourceTakenAtAtPlan?: boolean;
  /** Minutes between two logical dumps, from the config. */
  readonly dumpIntervalMinutes?: number;
  /** The restore takes standby's newest copy, and standby copies one every this many minutes (from the config). */
  readonly standbyCopyIntervalMinutes?: number;
}

export interface ImpliedRpo {
  readonly mode: string;
  /** Undefined when the loss depends on something the plan does not know. */
  readonly minutes?: number;
  readonly basis: string;
  readonly howToBound: string;
}

export function isRestoreMode(mode: string): mode is RestoreMode {
  return Object.hasOwn(RESTORE_MODES, mode);
}

export function rpoClassOf(mode: RestoreMode): RpoClass {
  return RESTORE_MODES[mode];
}

/** The table's entry for a mode on a cloud: the cloud's own, else the one for every cloud. */
export function rpoEntry(mode: RestoreMode, cloud: TargetCloud | undefined): RpoEntry | undefined {
  return RPO_TABLE.find((entry) => entry.mode === mode && entry.cloud === cloud) ?? RPO_TABLE.find((entry) => entry.mode === mode && entry.cloud === undefined);
}

/** The RPO the restore implies, measured against `now` (when the report runs) where it is a recovery point's age. */
export function impliedRpo(facts: RestoreFacts, cloud: TargetCloud | undefined, now: Date): ImpliedRpo {
  const { mode } = facts;
  const entry = isRestoreMode(mode) ? rpoEntry(mode, cloud) : undefined;
  if (!isRestoreMode(mode) || entry === undefined) {
    return {
      mode,
      basis: isRestoreMode(mode)
        ? `restore mode "${mode}" has no entry for ${cloud ?? "this cloud"} in report/rpo.ts, so its data loss is unknown`
        : `restore mode "${mode}" is not a RestoreMode (modules/contracts.ts), so its data loss is unknown`,
      howToBound: "add the mode to RPO_TABLE in report/rpo.ts with its source",
    };
  }
  const rpoClass = rpoClassOf(mode);
  const pointTime = isTimestamp(facts.point) ? facts.point : undefined;

  if (entry.minutes === undefined && (rpoClass === "recovery-point" || rpoClass === "dump-interval")) {
    // A recovery point's time: the stack's restore_point where it is one, else its restore_source_taken_at.
    const takenAt = (rpoClass === "recovery-point" ? pointTime : undefined) ?? (isTimestamp(facts.sourceTakenAt) ? facts.sourceTakenAt : undefined);
    if (takenAt !== undefined) {
      const ageMinutes = Math.max(0, Math.round((now.getTime() - Date.parse(takenAt)) / 60_000));
      return {
        mode,
        minutes: ageMinutes,
        basis: `${entry.source}; taken at ${takenAt}, ${formatMinutes(ageMinutes)} before this report (the loss keeps growing until the restore runs)`,
        howToBound: entry.howToBound,
      };
    }
    if (rpoClass === "dump-interval" && facts.dumpIntervalMinutes !== undefined) {
      return {
        mode,
        minutes: facts.dumpIntervalMinutes,
        basis: `${entry.source}; ${entry.knownFrom ?? "the dump interval"} is ${facts.dumpIntervalMinutes}`,
        howToBound: entry.howToBound,
      };
    }
  }

  // The stack reads the newest copy at plan time (its time is a Terraform reference) and the config says standby copies it.
  if (entry.minutes === undefined && rpoClass === "recovery-point" && facts.sourceTakenAtAtPlan === true && facts.standbyCopyIntervalMinutes !== undefined) {
    const interval = facts.standbyCopyIntervalMinutes;
    return {
      mode,
      minutes: interval,
      basis: `${entry.source}; the restore takes the newest recovery point standby copies into the recovery location every ${formatMinutes(interval)}, so while standby runs it is at most that old, plus the copy's own time (the plan reads its exact time: restore_source_taken_at)`,
      howToBound: `watch standby's copy jobs (its alarms page when one fails); ${entry.howToBound}`,
    };
  }
  if (entry.minutes === undefined && facts.sourceTakenAtAtPlan === true) {
    return {
      mode,
      basis: `depends on ${entry.source}; the stack reads when it was taken at plan time (its restore_source_taken_at output is a Terraform reference), so the synthesized stack does not say`,
      howToBound: `read restore_source_taken_at in the plan (terraform plan, or terraform output after the apply); ${entry.howToBound}`,
    };
  }
  if (entry.minutes === undefined) {
    return {
      mode,
      basis: `depends on ${entry.source}`,
      howToBound: entry.knownFrom ? `give ${entry.knownFrom} in the config so the report can compute it; ${entry.howToBound}` : entry.howToBound,
    };
  }
  // A continuous restore to a chosen time loses what came after it on purpose.
  const chosenNote =
    rpoClass === "continuous" && pointTime !== undefined
      ? `; restoring to the chosen time ${pointTime} deliberately discards what was written after it (the figure is the mode's lag when "latest" is chosen)`
      : "";
  return { mode, minutes: entry.minutes, basis: `${entry.source}${chosenNote}`, howToBound: entry.howToBound };
}

export function formatMinutes(minutes: number): string {
  if (minutes < 120) return `${Number.isInteger(minutes) ? minutes : minutes.toFixed(1)} min`;
  const hours = minutes / 60;
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} days`;
}

/** An RFC 3339 time with a date and a clock, not `latest` or a description that happens to parse. */
function isTimestamp(value: string | undefined): value is string {
  return value !== undefined && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) && !Number.isNaN(Date.parse(value));
}
