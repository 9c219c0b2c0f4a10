/**
 * The options and results of a plan (report/terraform-plan.ts is the public entry) and the one error every part throws.
 */

/**
 * How a stack is planned.
 * - `offline`: no credentials, no network: dummy aws credentials, local backend, data sources overridden, providers from a
 *   mirror (offline-harness.ts).
 * - `online`: the stack's own backend and providers with the caller's credentials (a real CI run).
 */
export type PlanMode = "offline" | "online";

export const PLAN_MODES: readonly PlanMode[] = ["offline", "online"];

export interface PlanStackOptions {
  /**
   * How to plan. `offline: false` is the older spelling of `mode: "online"`; giving both with different answers is an error.
   * @default "offline"
   */
  readonly mode?: PlanMode;
  /**
   * Plan without credentials or network (same as `mode: "offline"`); kept for callers written before `mode`.
   * @default true
   */
  readonly offline?: boolean;
  /**
   * Provider mirror root (the folder holding `registry.terraform.io/`), passed as `terraform init -plugin-dir`.
   * @default - offline: TF_PLUGIN_DIR, else the first documented place that holds a mirror (provider-mirror.ts); online: TF_PLUGIN_DIR, else the registry
   */
  readonly pluginDir?: string;
  /** @default "terraform" (from PATH), or TERRAFORM_BINARY */
  readonly terraformBinary?: string;
  /**
   * Offline only: attribute values for overridden data sources, keyed by address (`data.<type>.<name>`). Merged over
   * OFFLINE_DATA_DEFAULTS for the type.
   * @default - Terraform invents a value for every attribute
   */
  readonly dataOverrides?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /**
   * Keep the scratch folder (its path is in the result) to reproduce a failure by hand.
   * @default false
   */
  readonly keepWorkDir?: boolean;
  /** Upper bound for each Terraform command. @default 600000 (10 min: a first init unpacks a ~700 MB provider) */
  readonly commandTimeoutMs?: number;
}

export interface TerraformDiagnostic {
  readonly severity: "error" | "warning";
  readonly summary: string;
  readonly detail?: string;
  /** The resource address the diagnostic is about, when Terraform names one. */
  readonly address?: string;
}

export interface ValidateResult {
  readonly valid: boolean;
  readonly errorCount: number;
  readonly warningCount: number;
  readonly diagnostics: readonly TerraformDiagnostic[];
}

export type PlanAction = "create" | "update" | "delete" | "replace" | "read" | "no-op" | "forget";

export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly action: PlanAction;
}

export interface PlanSummary {
  /** Counted as Terraform's "Plan: N to add, M to change, K to destroy" line counts them: a replacement adds and destroys. */
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  /** Addresses Terraform would destroy and re-create. */
  readonly replace: readonly string[];
  readonly changes: readonly PlannedChange[];
}

export interface PlanStackResult {
  readonly mode: PlanMode;
  readonly terraformVersion: string;
  readonly pluginDir?: string;
  /** Online: `terraform validate`. Offline: the diagnostics of the `terraform test` run that validated and planned the stack. */
  readonly validate: ValidateResult;
  readonly summary: PlanSummary;
  /** Offline only: the data sources whose values were made up rather than read. */
  readonly overriddenData: readonly string[];
  /** Set when keepWorkDir is true. */
  readonly workDir?: string;
  /** planStacksOffline with keepWorkDir: the run block of the scratch folder's test file that planned this stack. */
  readonly testRun?: string;
}

/** A Terraform command failed, or the stack cannot be planned in the chosen mode. The message says which and why. */
export class TerraformPlanError extends Error {
  constructor(
    message: string,
    readonly diagnostics: readonly TerraformDiagnostic[] = [],
  ) {
    super(diagnostics.length === 0 ? message : `${message}\n${diagnostics.map(formatDiagnostic).join("\n")}`);
    this.name = "TerraformPlanError";
  }
}

function formatDiagnostic(diagnostic: TerraformDiagnostic): string {
  const where = diagnostic.address ? ` (${diagnostic.address})` : "";
  return `  - ${diagnostic.severity}: ${diagnostic.summary}${where}${diagnostic.detail ? `: ${diagnostic.detail.split("\n")[0]}` : ""}`;
}
