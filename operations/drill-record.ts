/**
 * Drill records: `drills/<stack>/<YYYYMMDDTHHMMSSZ>.json`, one per drill, committed and reviewed like code. Each holds
 * what the drill measured: every resource's creation time (Terraform's apply_start to apply_complete), the end-to-end
 * RTO (drill start to a passing verify), the verify result and the measured RPO. The plan report reads the newest
 * record of a stack ({@link measuredCreationMinutes}) to use measured times instead of its estimates.
 *
 * One zod definition gives the types, the check on read (a malformed record is refused with one line naming the file)
 * and the JSON Schema (operations/schemas/drill-record.schema.json).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { ApplyTiming } from "./terraform-events";
import { timestamp, verifyResultSchema, type VerifyResult } from "./verify/result";

export const DRILLS_DIR = "drills";

const STACK_NAME = /^[a-z][a-z0-9-]{0,62}$/;
const RECORD_FILE = /^\d{8}T\d{6}Z\.json$/;

const resourceSchema = z.strictObject({
  address: z.string().min(1).describe("Terraform instance address, e.g. aws_rds_cluster.database_cluster_1A2B3C4D or x.y[0]."),
  resourceAddress: z.string().min(1).describe("The address without its instance key, as the configuration and the plan report name it."),
  resourceType: z.string().min(1),
  action: z.enum(["noop", "create", "read", "update", "replace", "delete"]),
  startedAt: timestamp.describe("Terraform's apply_start message."),
  finishedAt: timestamp.nullable().describe("Terraform's apply_complete or apply_errored message; null if the apply ended first."),
  seconds: z.number().min(0).nullable().describe("finishedAt minus startedAt: the measured creation time."),
  status: z.enum(["complete", "errored", "running"]),
});

export const drillRecordSchema = z.strictObject({
  schemaVersion: z.literal(1),
  stack: z.string().regex(STACK_NAME),
  startedAt: timestamp.describe("When the drill started: the start of the measured RTO."),
  finishedAt: timestamp.describe("When the drill finished (after verify)."),
  terraform: z.strictObject({
    version: z.string().nullable(),
    outcome: z.enum(["complete", "errored", "incomplete"]),
    startedAt: timestamp.nullable().describe("Terraform's first message (before refresh and plan)."),
    finishedAt: timestamp.nullable().describe("Terraform's last message."),
    durationSeconds: z.number().min(0).nullable().describe("The apply end to end, plan included."),
    changes: z.strictObject({ add: z.number().int().min(0), change: z.number().int().min(0), remove: z.number().int().min(0) }).nullable(),
    errors: z.array(z.string()).describe("Terraform's error diagnostics, one line each."),
  }),
  resources: z.array(resourceSchema).describe("Every resource Terraform worked on, in the order it started."),
  rto: z.strictObject({
    objectiveMinutes: z.number().int().min(1),
    measuredMinutes: z
      .number()
      .min(0)
      .nullable()
      .describe("startedAt to the end of a passing verify; null when verify did not pass (the recovery was not proven)."),
  }),
  rpo: z.strictObject({
    objectiveMinutes: z.number().int().min(1),
    measuredMinutes: z.number().min(0).nullable().describe("verify's measured RPO: --at minus the newest write found at or before it."),
  }),
  verify: verifyResultSchema.nullable().describe("verify's result; null when it was not run."),
});
export type DrillRecord = z.infer<typeof drillRecordSchema>;

export class DrillRecordError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = "DrillRecordError";
  }
}

export interface DrillInput {
  readonly stack: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly timing: ApplyTiming;
  readonly verify: VerifyResult | null;
  readonly objectives: { readonly rtoMinutes: number; readonly rpoMinutes: number };
}

export function buildDrillRecord(input: DrillInput): DrillRecord {
  const { timing, verify } = input;
  const passedAt = verify?.passed ? Date.parse(verify.finishedAt) : undefined;
  return {
    schemaVersion: 1,
    stack: input.stack,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    terraform: {
      version: timing.terraformVersion ?? null,
      outcome: timing.outcome,
      startedAt: timing.startedAt ?? null,
      finishedAt: timing.finishedAt ?? null,
      durationSeconds: timing.durationSeconds ?? null,
      changes: timing.changes ? { ...timing.changes } : null,
      errors: [...timing.errors],
    },
    resources: timing.resources.map((resource) => ({
      address: resource.address,
      resourceAddress: resource.resourceAddress,
      resourceType: resource.resourceType,
      action: resource.action,
      startedAt: resource.startedAt,
      finishedAt: resource.finishedAt ?? null,
      seconds: resource.seconds ?? null,
      status: resource.status,
    })),
    rto: {
      objectiveMinutes: input.objectives.rtoMinutes,
      measuredMinutes: passedAt === undefined ? null : Math.round(((passedAt - input.startedAt.getTime()) / 60_000) * 100) / 100,
    },
    rpo: { objectiveMinutes: input.objectives.rpoMinutes, measuredMinutes: verify?.rpo.measuredMinutes ?? null },
    verify,
  };
}

/** `2026-11-30T08:00:00.123Z` -> `20261130T080000Z`: sorts like time, and is a valid file name everywhere. */
export function recordFileName(startedAt: string): string {
  return `${new Date(startedAt)
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "")}.json`;
}

/** Writes `<root>/<stack>/<timestamp>.json` and returns its path; never overwrites a record. */
export function writeDrillRecord(record: DrillRecord, root: string = DRILLS_DIR): string {
  const checked = drillRecordSchema.safeParse(record);
  if (!checked.success) throw new DrillRecordError(`${record.stack}/${recordFileName(record.startedAt)}`, describeIssues(checked.error.issues));
  const dir = join(root, record.stack);
  const file = join(dir, recordFileName(record.startedAt));
  if (existsSync(file)) throw new DrillRecordError(file, "already exists; a drill record is never overwritten");
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(checked.data, null, 2)}\n`, { flag: "wx" });
  return file;
}

export function readDrillRecord(file: string): DrillRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : `not JSON (${(error as Error).message})`;
    throw new DrillRecordError(file, `${reason}; expected a drill record (operations/schemas/drill-record.schema.json)`);
  }
  const parsed = drillRecordSchema.safeParse(raw);
  if (!parsed.success) throw new DrillRecordError(file, describeIssues(parsed.error.issues));
  return parsed.data;
}

/** The newest record of a stack (by file name, which is its start time), or undefined when the stack has none. */
export function newestDrillRecord(stack: string, root: string = DRILLS_DIR): { file: string; record: DrillRecord } | undefined {
  const dir = join(root, stack);
  if (!existsSync(dir)) return undefined;
  const newest = readdirSync(dir)
    .filter((name) => RECORD_FILE.test(name))
    .sort()
    .at(-1);
  if (newest === undefined) return undefined;
  const file = join(dir, newest);
  const record = readDrillRecord(file);
  if (record.stack !== stack) throw new DrillRecordError(file, `stack: "${record.stack}" is not ${stack}, the folder it is in`);
  if (recordFileName(record.startedAt) !== newest)
    throw new DrillRecordError(file, `startedAt: "${record.startedAt}" does not match the file name; expected ${recordFileName(record.startedAt)}`);
  return { file, record };
}

export interface MeasuredCreationTimes {
  readonly file: string;
  /** When the drill ran, for "measured on ..." in the report. */
  readonly drillDate: string;
  /** Minutes per resource address (without instance key; the slowest instance of a counted resource). */
  readonly byAddress: ReadonlyMap<string, number>;
  /** Minutes per resource type: the slowest resource of the type, so a figure used for another stack errs long. */
  readonly byResourceType: ReadonlyMap<string, number>;
}

/**
 * Measured creation minutes from the newest drill record of a stack: resources that were created (or replaced) and
 * completed. Undefined when the stack has no record; a malformed newest record is an error, never silently skipped.
 */
export function measuredCreationMinutes(stack: string, root: string = DRILLS_DIR): MeasuredCreationTimes | undefined {
  const newest = newestDrillRecord(stack, root);
  if (newest === undefined) return undefined;
  const byAddress = new Map<string, number>();
  const byResourceType = new Map<string, number>();
  for (const resource of newest.record.resources) {
    if (resource.status !== "complete" || resource.seconds === null || (resource.action !== "create" && resource.action !== "replace")) continue;
    const minutes = resource.seconds / 60;
    byAddress.set(resource.resourceAddress, Math.max(byAddress.get(resource.resourceAddress) ?? 0, minutes));
    byResourceType.set(resource.resourceType, Math.max(byResourceType.get(resource.resourceType) ?? 0, minutes));
  }
  return { file: newest.file, drillDate: newest.record.startedAt, byAddress, byResourceType };
}

/** The first problem as `<dotted path>: <message>`, and how many more there are: one line. */
function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const first = issues[0];
  if (first === undefined) return "is not a valid drill record";
  const path =
    first.path.map((segment, index) => (typeof segment === "number" ? `[${segment}]` : `${index === 0 ? "" : "."}${String(segment)}`)).join("") ||
    "(top level)";
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length === 2 ? "" : "s"})` : "";
  return `${path}: ${first.message}; not a valid drill record (operations/schemas/drill-record.schema.json)${more}`;
}
