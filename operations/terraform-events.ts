/**
 * `terraform apply -json`: Terraform's machine-readable UI, one JSON message per line
 * (https://developer.hashicorp.com/terraform/internals/machine-readable-ui). This module turns that stream into typed
 * events, prints one progress line per event (a recovery apply takes 20+ minutes; nobody should stare at a silent
 * terminal), and measures each resource's creation time and the apply's end-to-end duration.
 *
 * Times come from the messages' `@timestamp` (microseconds), not `elapsed_seconds`, which Terraform rounds down to whole
 * seconds. The first message is `version`; its `ui` major version must be 1 (the docs: "Reject any input which reports
 * an unsupported major version"). Unknown message types are kept (their `@message` is printed), as the docs ask.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { criticalPath, type CriticalPath } from "../report/critical-path";

/** The `resource` object of a hook or change. */
export interface ResourceRef {
  /** Full instance address: `module.db.aws_rds_cluster.database_cluster_1A2B3C4D`, `terraform_data.x[0]`. */
  readonly addr: string;
  /** The address without the instance key, as a configuration (and the plan report's graph) names it. */
  readonly resourceAddress: string;
  readonly module: string;
  readonly resourceType: string;
  readonly resourceName: string;
  readonly resourceKey: string | number | null;
}

export type ApplyAction = "noop" | "create" | "read" | "update" | "replace" | "delete";

interface Common {
  /** `@timestamp`, in milliseconds since the epoch (microseconds kept as a fraction). */
  readonly time: number;
  readonly timestamp: string;
  readonly level: string;
  readonly message: string;
}

export type TerraformEvent =
  | (Common & { readonly type: "version"; readonly terraform: string; readonly ui: string })
  | (Common & { readonly type: "planned_change"; readonly resource: ResourceRef; readonly action: string })
  | (Common & { readonly type: "change_summary"; readonly operation: string; readonly add: number; readonly change: number; readonly remove: number })
  | (Common & { readonly type: "apply_start"; readonly resource: ResourceRef; readonly action: ApplyAction })
  | (Common & { readonly type: "apply_progress"; readonly resource: ResourceRef; readonly action: ApplyAction; readonly elapsedSeconds: number })
  | (Common & {
      readonly type: "apply_complete";
      readonly resource: ResourceRef;
      readonly action: ApplyAction;
      readonly elapsedSeconds: number;
      readonly idKey?: string;
      readonly idValue?: string;
    })
  | (Common & { readonly type: "apply_errored"; readonly resource: ResourceRef; readonly action: ApplyAction; readonly elapsedSeconds: number })
  | (Common & { readonly type: "diagnostic"; readonly severity: string; readonly summary: string; readonly detail: string; readonly address?: string })
  /** Any other message type (provision_*, refresh_*, outputs, log...): kept with its `@message`. */
  | (Common & { readonly type: "other"; readonly messageType: string })
  /** A line that is not a JSON message (Terraform prints some early errors as plain text). */
  | { readonly type: "text"; readonly line: string };

export class TerraformUiVersionError extends Error {
  constructor(readonly ui: string) {
    super(`terraform -json speaks machine-readable UI ${ui}; this parser reads major version 1 only (Terraform 1.x)`);
    this.name = "TerraformUiVersionError";
  }
}

/** Lines of a stream, as they arrive. */
export function linesOf(stream: Readable): AsyncIterable<string> {
  return createInterface({ input: stream, crlfDelay: Infinity });
}

/** Yields one typed event per line, as the lines arrive. */
export async function* parseTerraformEvents(lines: AsyncIterable<string> | Iterable<string>): AsyncGenerator<TerraformEvent> {
  for await (const line of lines) {
    if (line.trim() === "") continue;
    const event = parseTerraformLine(line);
    if (event.type === "version" && !/^1(\.|$)/.test(event.ui)) throw new TerraformUiVersionError(event.ui);
    yield event;
  }
}

export function parseTerraformLine(line: string): TerraformEvent {
  let raw: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (parsed === null || typeof parsed !== "object" || typeof (parsed as { type?: unknown }).type !== "string") return { type: "text", line };
    raw = parsed as Record<string, unknown>;
  } catch {
    return { type: "text", line };
  }
  const timestamp = String(raw["@timestamp"] ?? "");
  const common: Common = { time: parseTimestamp(timestamp), timestamp, level: String(raw["@level"] ?? "info"), message: String(raw["@message"] ?? "") };
  const hook = (raw.hook ?? {}) as Record<string, unknown>;
  const type = raw.type as string;
  switch (type) {
    case "version":
      return { ...common, type, terraform: String(raw.terraform ?? ""), ui: String(raw.ui ?? "") };
    case "planned_change": {
      const change = (raw.change ?? {}) as Record<string, unknown>;
      return { ...common, type, resource: resourceRef(change.resource), action: String(change.action ?? "") };
    }
    case "change_summary": {
      const changes = (raw.changes ?? {}) as Record<string, unknown>;
      return {
        ...common,
        type,
        operation: String(changes.operation ?? ""),
        add: Number(changes.add ?? 0),
        change: Number(changes.change ?? 0),
        remove: Number(changes.remove ?? 0),
      };
    }
    case "apply_start":
      return { ...common, type, resource: resourceRef(hook.resource), action: hook.action as ApplyAction };
    case "apply_progress":
    case "apply_errored":
      return { ...common, type, resource: resourceRef(hook.resource), action: hook.action as ApplyAction, elapsedSeconds: Number(hook.elapsed_seconds ?? 0) };
    case "apply_complete":
      return {
        ...common,
        type,
        resource: resourceRef(hook.resource),
        action: hook.action as ApplyAction,
        elapsedSeconds: Number(hook.elapsed_seconds ?? 0),
        ...(typeof hook.id_key === "string" ? { idKey: hook.id_key } : {}),
        ...(typeof hook.id_value === "string" ? { idValue: hook.id_value } : {}),
      };
    case "diagnostic": {
      const diagnostic = (raw.diagnostic ?? {}) as Record<string, unknown>;
      return {
        ...common,
        type,
        severity: String(diagnostic.severity ?? common.level),
        summary: String(diagnostic.summary ?? common.message),
        detail: String(diagnostic.detail ?? ""),
        ...(typeof diagnostic.address === "string" ? { address: diagnostic.address } : {}),
      };
    }
    default:
      return { ...common, type: "other", messageType: type };
  }
}

/** RFC 3339 with up to nine fractional digits; Date.parse keeps milliseconds only, so microseconds are added back. */
function parseTimestamp(value: string): number {
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  if (!match) return Number.NaN;
  const whole = Date.parse(`${match[1]}${match[3]}`);
  const fraction = match[2] ? Number(`0.${match[2]}`) * 1000 : 0;
  return whole + fraction;
}

function resourceRef(value: unknown): ResourceRef {
  const resource = (value ?? {}) as Record<string, unknown>;
  const module = String(resource.module ?? "");
  const resourceType = String(resource.resource_type ?? "");
  const resourceName = String(resource.resource_name ?? "");
  const key = resource.resource_key;
  return {
    addr: String(resource.addr ?? ""),
    resourceAddress: `${module === "" ? "" : `${module}.`}${resourceType}.${resourceName}`,
    module,
    resourceType,
    resourceName,
    resourceKey: typeof key === "string" || typeof key === "number" ? key : null,
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Timing

export interface ResourceTiming {
  /** Instance address. */
  readonly address: string;
  readonly resourceAddress: string;
  readonly resourceType: string;
  readonly action: ApplyAction;
  readonly startedAt: string;
  /** When apply_complete or apply_errored arrived; absent while (or if the stream ended while) it was running. */
  readonly finishedAt?: string;
  /** finishedAt minus startedAt, to the millisecond. */
  readonly seconds?: number;
  readonly status: "complete" | "errored" | "running";
}

export interface ApplyTiming {
  readonly terraformVersion?: string;
  /** The first message (Terraform's start, before refresh and plan). */
  readonly startedAt?: string;
  /** The last message. */
  readonly finishedAt?: string;
  /** finishedAt minus startedAt: the apply end to end, plan included. */
  readonly durationSeconds?: number;
  /** complete: an `apply` change summary arrived; errored: an error diagnostic or a resource errored; else incomplete. */
  readonly outcome: "complete" | "errored" | "incomplete";
  readonly changes?: { readonly add: number; readonly change: number; readonly remove: number };
  /** Resources in the order they started. */
  readonly resources: readonly ResourceTiming[];
  /** Error diagnostics, one line each. */
  readonly errors: readonly string[];
}

/** Feed it events as they arrive; ask for the timing at any point. */
export class ApplyTimer {
  private terraformVersion: string | undefined;
  private first: { time: number; timestamp: string } | undefined;
  private last: { time: number; timestamp: string } | undefined;
  private changes: ApplyTiming["changes"];
  private applyComplete = false;
  private readonly started = new Map<string, { resource: ResourceRef; action: ApplyAction; time: number; timestamp: string; order: number }>();
  private readonly finished = new Map<string, { time: number; timestamp: string; status: "complete" | "errored" }>();
  private readonly errors: string[] = [];
  /** Resources already planned, for "n of N" progress. */
  planned = 0;
  done = 0;

  observe(event: TerraformEvent): void {
    if (event.type === "text") return;
    if (Number.isFinite(event.time)) {
      if (this.first === undefined) this.first = { time: event.time, timestamp: event.timestamp };
      this.last = { time: event.time, timestamp: event.timestamp };
    }
    switch (event.type) {
      case "version":
        this.terraformVersion = event.terraform;
        break;
      case "planned_change":
        if (event.action !== "noop" && event.action !== "read") this.planned += 1;
        break;
      case "apply_start":
        this.started.set(event.resource.addr, {
          resource: event.resource,
          action: event.action,
          time: event.time,
          timestamp: event.timestamp,
          order: this.started.size,
        });
        break;
      case "apply_complete":
      case "apply_errored":
        this.finished.set(event.resource.addr, {
          time: event.time,
          timestamp: event.timestamp,
          status: event.type === "apply_complete" ? "complete" : "errored",
        });
        this.done += 1;
        break;
      case "change_summary":
        if (event.operation === "apply" || event.operation === "destroy") {
          this.applyComplete = true;
          this.changes = { add: event.add, change: event.change, remove: event.remove };
        }
        break;
      case "diagnostic":
        if (event.severity === "error")
          this.errors.push(`${event.summary}${event.detail ? `: ${event.detail}` : ""}${event.address ? ` (${event.address})` : ""}`);
        break;
      default:
        break;
    }
  }

  /** Seconds since the resource's apply_start, measured from timestamps; undefined if it never started. */
  secondsSinceStart(addr: string, time: number): number | undefined {
    const start = this.started.get(addr);
    return start === undefined ? undefined : (time - start.time) / 1000;
  }

  timing(): ApplyTiming {
    const resources = [...this.started.entries()]
      .sort(([, a], [, b]) => a.order - b.order)
      .map(([addr, start]): ResourceTiming => {
        const end = this.finished.get(addr);
        return {
          address: addr,
          resourceAddress: start.resource.resourceAddress,
          resourceType: start.resource.resourceType,
          action: start.action,
          startedAt: start.timestamp,
          ...(end ? { finishedAt: end.timestamp, seconds: roundMs((end.time - start.time) / 1000) } : {}),
          status: end?.status ?? "running",
        };
      });
    const errored = this.errors.length > 0 || resources.some((resource) => resource.status === "errored");
    return {
      ...(this.terraformVersion ? { terraformVersion: this.terraformVersion } : {}),
      ...(this.first ? { startedAt: this.first.timestamp } : {}),
      ...(this.last ? { finishedAt: this.last.timestamp } : {}),
      ...(this.first && this.last ? { durationSeconds: roundMs((this.last.time - this.first.time) / 1000) } : {}),
      outcome: errored ? "errored" : this.applyComplete ? "complete" : "incomplete",
      ...(this.changes ? { changes: this.changes } : {}),
      resources,
      errors: [...this.errors],
    };
  }
}

const roundMs = (seconds: number) => Math.round(seconds * 1000) / 1000;

/**
 * The critical path the measured times imply: each resource weighted by its measured creation time, with the
 * dependencies Terraform waited on (from the configuration, or {@link dependenciesFromState}). Resources that were not
 * created in this apply weigh nothing. Reuses report/critical-path.ts, the same computation the modeled RTO uses.
 */
export function measuredCriticalPath(timing: ApplyTiming, dependsOn: ReadonlyMap<string, readonly string[]>): CriticalPath {
  const seconds = new Map<string, number>();
  for (const resource of timing.resources) {
    if (resource.seconds !== undefined) seconds.set(resource.resourceAddress, Math.max(seconds.get(resource.resourceAddress) ?? 0, resource.seconds));
  }
  const ids = new Set([...seconds.keys(), ...dependsOn.keys()]);
  return criticalPath(
    [...ids].map((id) => ({ id, minutes: (seconds.get(id) ?? 0) / 60, dependsOn: (dependsOn.get(id) ?? []).filter((dependency) => ids.has(dependency)) })),
  );
}

/**
 * `depends_on` of every managed resource in `terraform show -json` output (state): everything Terraform ordered it after,
 * transitively (Terraform 1.11 records the closure, not only the direct edges), which gives the same critical path.
 */
export function dependenciesFromState(showJson: unknown): Map<string, string[]> {
  const result = new Map<string, string[]>();
  const visit = (module: unknown) => {
    const m = (module ?? {}) as { resources?: Array<{ address?: string; mode?: string; depends_on?: string[] }>; child_modules?: unknown[] };
    for (const resource of m.resources ?? []) {
      if (resource.mode !== "managed" || typeof resource.address !== "string") continue;
      const address = resource.address.replace(/\[[^\]]*\]$/, "");
      result.set(address, [...new Set([...(result.get(address) ?? []), ...(resource.depends_on ?? []).map((dep) => dep.replace(/\[[^\]]*\]$/, ""))])].sort());
    }
    for (const child of m.child_modules ?? []) visit(child);
  };
  visit((showJson as { values?: { root_module?: unknown } })?.values?.root_module);
  return result;
}

// ---------------------------------------------------------------------------------------------------------------------
// Progress

export interface ProgressOptions {
  /** Where lines go. @default process.stderr */
  readonly write?: (line: string) => void;
  /** The recovery step a resource belongs to (`database`, `application`...), from the plan report's graph. @default none */
  readonly stepOf?: (resourceAddress: string) => string | undefined;
  /** When the clock starts. @default the first message's time */
  readonly startTime?: number;
}

/** One line per event that moves the apply forward; Terraform's own apply_progress heartbeat arrives every 10 s per running resource. */
export class ProgressPrinter {
  private start: number | undefined;
  private readonly write: (line: string) => void;

  constructor(
    private readonly timer: ApplyTimer,
    private readonly options: ProgressOptions = {},
  ) {
    this.write = options.write ?? ((line) => process.stderr.write(`${line}\n`));
    this.start = options.startTime;
  }

  print(event: TerraformEvent): void {
    const line = this.format(event);
    if (line !== undefined) this.write(line);
  }

  format(event: TerraformEvent): string | undefined {
    if (event.type === "text") return event.line.trim() === "" ? undefined : `[${clock(0)}] ${event.line.trim()}`;
    if (this.start === undefined && Number.isFinite(event.time)) this.start = event.time;
    const at = `[${clock(Number.isFinite(event.time) && this.start !== undefined ? (event.time - this.start) / 1000 : 0)}]`;
    const where = (resource: ResourceRef) => {
      const step = this.options.stepOf?.(resource.resourceAddress);
      return `${step ? `${step}: ` : ""}${resource.addr}`;
    };
    const counter = this.timer.planned > 0 ? ` (${this.timer.done}/${this.timer.planned})` : "";
    switch (event.type) {
      case "version":
        return `${at} terraform ${event.terraform}`;
      case "planned_change":
        return undefined;
      case "other":
        return QUIET_TYPES.has(event.messageType) ? undefined : `${at} ${event.message}`;
      case "change_summary":
        return `${at} ${event.operation}: ${event.add} to add, ${event.change} to change, ${event.remove} to destroy`;
      case "apply_start":
        return `${at} ${where(event.resource)} ${verb(event.action, "start")}`;
      case "apply_progress":
        return `${at} ${where(event.resource)} still ${verb(event.action, "progress")}, ${duration(event.elapsedSeconds)} elapsed${counter}`;
      case "apply_complete":
        return `${at} ${where(event.resource)} ${verb(event.action, "complete")} after ${this.measured(event)}${counter}`;
      case "apply_errored":
        return `${at} ${where(event.resource)} FAILED after ${this.measured(event)}${counter}`;
      case "diagnostic":
        return `${at} ${event.severity}: ${event.summary}${event.address ? ` (${event.address})` : ""}${event.detail ? `: ${firstLine(event.detail)}` : ""}`;
    }
  }

  /** What the drill record will say: timestamps, not Terraform's whole-second (and sometimes rounded-up) elapsed_seconds. */
  private measured(event: { readonly resource: ResourceRef; readonly elapsedSeconds: number; readonly time: number }): string {
    const seconds = this.timer.secondsSinceStart(event.resource.addr, event.time);
    return seconds === undefined || !Number.isFinite(seconds) ? duration(event.elapsedSeconds) : duration(seconds, 1);
  }
}

/** Per-resource noise a person does not need a line for: the plan lists, provisioner output, refreshes, outputs. */
const QUIET_TYPES: ReadonlySet<string> = new Set([
  "provision_start",
  "provision_progress",
  "provision_complete",
  "refresh_start",
  "refresh_complete",
  "outputs",
  "resource_drift",
]);

const VERBS: Readonly<Record<string, readonly [string, string, string]>> = {
  create: ["creating", "creating", "created"],
  update: ["updating", "updating", "updated"],
  replace: ["replacing", "replacing", "replaced"],
  delete: ["destroying", "destroying", "destroyed"],
  read: ["reading", "reading", "read"],
  noop: ["checking", "checking", "checked"],
};
function verb(action: string, phase: "start" | "progress" | "complete"): string {
  const forms = VERBS[action] ?? [action, action, `${action} done`];
  return forms[phase === "start" ? 0 : phase === "progress" ? 1 : 2];
}

const firstLine = (text: string) => text.split("\n")[0] ?? "";
const pad = (n: number) => String(n).padStart(2, "0");
function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return s >= 3600 ? `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}` : `${pad(Math.floor(s / 60))}:${pad(s % 60)}`;
}
function duration(seconds: number, decimals = 0): string {
  if (seconds < 60) return `${Math.max(0, seconds).toFixed(decimals)}s`;
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
}

// ---------------------------------------------------------------------------------------------------------------------
// Running an apply

export interface ApplyRun {
  readonly exitCode: number | null;
  readonly timing: ApplyTiming;
  /** Terraform's stderr (plain text: crashes, CLI configuration warnings). */
  readonly stderr: string;
}

/**
 * Runs `terraform apply -json -input=false -auto-approve [extra args]` in `cwd` (asynchronously: the event loop keeps
 * serving progress), printing progress as events arrive and timing the apply. The caller initialises the folder.
 */
export async function applyWithProgress(options: {
  readonly cwd: string;
  readonly extraArgs?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** @default "terraform", or TERRAFORM_BINARY */
  readonly terraform?: string;
  readonly progress?: ProgressOptions;
  readonly onEvent?: (event: TerraformEvent) => void;
}): Promise<ApplyRun> {
  const terraform = options.terraform ?? process.env.TERRAFORM_BINARY ?? "terraform";
  const child = spawn(terraform, ["apply", "-json", "-input=false", "-auto-approve", ...(options.extraArgs ?? [])], {
    cwd: options.cwd,
    env: { ...process.env, CHECKPOINT_DISABLE: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve(code));
  });
  const timer = new ApplyTimer();
  const printer = new ProgressPrinter(timer, options.progress);
  try {
    for await (const event of parseTerraformEvents(linesOf(child.stdout))) {
      timer.observe(event);
      printer.print(event);
      options.onEvent?.(event);
    }
  } catch (error) {
    child.kill();
    await exit.catch(() => undefined);
    throw error;
  }
  return { exitCode: await exit, timing: timer.timing(), stderr };
}
