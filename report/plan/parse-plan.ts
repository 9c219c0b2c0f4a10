/**
 * Reading what Terraform prints: `terraform show -json` plans, `terraform validate -json`, and the JSON lines of
 * `terraform test -json -verbose` (whose `test_plan` messages carry the same plan JSON as `terraform show -json`).
 */
import { tail } from "./run-terraform";
import { TerraformPlanError, type PlanAction, type PlannedChange, type PlanSummary, type TerraformDiagnostic, type ValidateResult } from "./types";

/** Counts as Terraform's own "Plan:" line does; `json` is `terraform show -json` output or a test run's `test_plan`. */
export function summarizePlan(json: unknown): PlanSummary {
  const resourceChanges = (json as { resource_changes?: unknown[] } | null)?.resource_changes ?? [];
  const changes: PlannedChange[] = [];
  for (const entry of resourceChanges) {
    const change = entry as { address: string; type: string; mode?: string; change: { actions: string[] } };
    changes.push({ address: change.address, type: change.type, action: actionOf(change.change.actions) });
  }
  const count = (action: PlanAction) => changes.filter((c) => c.action === action).length;
  return {
    add: count("create") + count("replace"),
    change: count("update"),
    destroy: count("delete") + count("replace"),
    replace: changes.filter((c) => c.action === "replace").map((c) => c.address),
    changes,
  };
}

function actionOf(actions: readonly string[]): PlanAction {
  if (actions.includes("delete") && actions.includes("create")) return "replace";
  const [first] = actions;
  switch (first) {
    case "create":
    case "update":
    case "delete":
    case "read":
    case "forget":
      return first;
    default:
      return "no-op";
  }
}

interface RawDiagnostic {
  severity: string;
  summary: string;
  detail?: string;
  address?: string;
}

function toDiagnostic(raw: RawDiagnostic): TerraformDiagnostic {
  return {
    severity: raw.severity === "error" ? "error" : "warning",
    summary: raw.summary,
    ...(raw.detail ? { detail: raw.detail } : {}),
    ...(raw.address ? { address: raw.address } : {}),
  };
}

export function parseValidate(stdout: string, stderr: string): ValidateResult {
  let json: { valid: boolean; error_count: number; warning_count: number; diagnostics?: RawDiagnostic[] };
  try {
    json = JSON.parse(stdout) as typeof json;
  } catch {
    throw new TerraformPlanError(`terraform validate -json printed no JSON:\n${tail(stderr || stdout)}`);
  }
  return { valid: json.valid, errorCount: json.error_count, warningCount: json.warning_count, diagnostics: (json.diagnostics ?? []).map(toDiagnostic) };
}

export interface TestRunOutcome {
  plan?: unknown;
  diagnostics: TerraformDiagnostic[];
}

/** Each run's plan and diagnostics from `terraform test -json -verbose` output; diagnostics of no run are under "". */
export function readTestRuns(stdout: string): Map<string, TestRunOutcome> {
  const runs = new Map<string, TestRunOutcome>();
  const of = (name: string) => {
    const entry = runs.get(name) ?? { diagnostics: [] };
    runs.set(name, entry);
    return entry;
  };
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const message = JSON.parse(line) as { type?: string; "@testrun"?: string; test_plan?: unknown; diagnostic?: RawDiagnostic };
    if (message.type === "test_plan") of(message["@testrun"] ?? "").plan = message.test_plan;
    if (message.type === "diagnostic" && message.diagnostic) of(message["@testrun"] ?? "").diagnostics.push(toDiagnostic(message.diagnostic));
  }
  return runs;
}
