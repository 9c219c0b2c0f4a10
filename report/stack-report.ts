/**
 * Everything the report says about one synthesized stack, computed from its Terraform JSON and the recovery config:
 * the graph, the modeled RTO, the implied RPO, the policy pack's findings and (when run) the Terraform plan. Pure apart from `now`,
 * so tests build reports from hand-written JSON.
 */
import type { RecoveryConfig } from "../config/schema";
import { targetOfStackName } from "../modules/stack-names";
import { buildDependencyGraph, type DependencyGraph } from "./graph";
import type { RestoreMode } from "../modules/contracts";
import { impliedRpo, type ImpliedRpo, type RestoreFacts, type TargetCloud } from "./rpo";
import { modelRto, type DrillMeasurements, type ModeledRto } from "./rto";
import { literalOutput, type SynthesizedStack, type TerraformJson } from "./stack-json";
import { staticStability, type StaticStability } from "./static-stability";
import { buildTierTable, type TierTable } from "./tiers";
import type { PlanSummary, TerraformDiagnostic } from "./terraform-plan";
import { zonePlan } from "../modules/azure/zones";
import { evaluateStackJson, RECOVERY_PACK, type PolicyReport } from "../policy";

export type PlanOutcome =
  | {
      readonly status: "planned";
      /** How the plan was made: `offline harness`, `online`, or `terraform show -json <file>`. */
      readonly how: string;
      readonly summary: PlanSummary;
      readonly overriddenData: readonly string[];
      readonly validateWarnings: readonly TerraformDiagnostic[];
    }
  | { readonly status: "skipped"; readonly reason: string }
  | { readonly status: "failed"; readonly reason: string };

export interface RestoreDescription {
  readonly mode: string;
  readonly source: string;
  readonly point: string;
  /** The stack's restore_source_taken_at output: an RFC 3339 time, `unknown`, or not a plan-time literal. */
  readonly sourceTakenAt: string;
}

/** What the report shows for an output Terraform computes (a data source's answer, a resource's attribute). */
const NOT_LITERAL = "(not a plan-time literal)";

export interface StackReport {
  readonly stack: string;
  readonly cloud?: TargetCloud;
  readonly objectives: { readonly rtoMinutes: number; readonly rpoMinutes: number; readonly monthlyStandbyBudgetUsd?: number };
  readonly restore: RestoreDescription;
  readonly graph: DependencyGraph;
  readonly rto: ModeledRto;
  readonly rpo: ImpliedRpo;
  /** Each DR tier's modeled RTO, RPO and cost for this target, the chosen one marked; absent when the cloud is unknown. */
  readonly tiers?: TierTable;
  /** Which single-region control planes the recovery calls, and whether one is the lost region's; absent when the cloud is unknown. */
  readonly staticStability?: StaticStability;
  /** Things the reviewer should know that are not hazards, e.g. the config and the stack disagreeing. */
  readonly notes: readonly string[];
  readonly plan: PlanOutcome;
  /**
   * The synth's policy pack (HIPAA-aligned and apply-time rules) run again on the written JSON with the config's
   * policy.suppressions, so the review shows the findings the synth accepted. Suppressions made in code
   * (suppressPolicy) live in the construct tree, not in the JSON: a finding one of them accepts shows here as open.
   */
  readonly policy: PolicyReport;
}

export interface BuildReportInput {
  readonly stack: Pick<SynthesizedStack, "name" | "json">;
  readonly config: RecoveryConfig;
  readonly plan?: PlanOutcome;
  /** When the report runs; snapshot ages are measured against it. @default - the current time */
  readonly now?: Date;
  /** The newest drill's measured creation times for this stack, used instead of estimates where present. @default - none */
  readonly drill?: DrillMeasurements;
  /** The target's synthesized standby stack, whose outputs give the chosen tier and its schedule. @default - the config's standby section */
  readonly standby?: Pick<SynthesizedStack, "name" | "json">;
}

/** A stack the report cannot time: it restores no database, so a short modeled RTO would be a false pass. */
export class IncompleteStackError extends Error {
  override readonly name = "IncompleteStackError";
}

/**
 * Throws IncompleteStackError unless the stack has at least one resource in the `database` step: a stack emptied to
 * `{}`, or one whose restore was cut out, would otherwise model as a recovery of a few minutes and pass the gate.
 */
export function assertRecoveryStack(stack: Pick<SynthesizedStack, "name" | "json">, graph = buildDependencyGraph(stack.json, stack.name)): void {
  const resources = graph.nodes.filter((node) => node.kind === "resource");
  if (resources.length === 0) {
    throw new IncompleteStackError(
      "holds no resource at all, so there is no recovery to time; it is emptied or not a recovery stack: run `npm run synth` again",
    );
  }
  if (!resources.some((node) => node.step === "database")) {
    throw new IncompleteStackError(
      `has ${resources.length} resource(s) but none in the database step (construct path ${stack.name}/database/...): nothing restores PostgreSQL, ` +
        "so there is no recovery to time; run `npm run synth` again",
    );
  }
}

/** The seed's sequential estimate: three steps of about 15 minutes, "45 minutes to 1 hour" in total. */
export const SEED_SEQUENTIAL_MINUTES = { low: 45, high: 60 } as const;

export function buildStackReport({ stack, config, plan, now = new Date(), drill, standby }: BuildReportInput): StackReport {
  const graph = buildDependencyGraph(stack.json, stack.name);
  assertRecoveryStack(stack, graph);
  const cloud = cloudOf(stack.name, stack.json);
  const chosen = restoreChoice(config, cloud);
  const notes: string[] = [];

  const outputMode = literalOutput(stack.json, "restore_mode");
  if (outputMode !== undefined && chosen !== undefined && outputMode !== chosen.mode) {
    notes.push(`the stack's restore_mode output is "${outputMode}" but the config chooses "${chosen.mode}": synthesize again before reviewing`);
  }
  // Where the Azure stack fell back to no availability zones because the recovery region has none.
  const azure = config.targets.azure;
  if (cloud === "azure" && azure !== undefined) {
    for (const fallback of zonePlan(azure).fallbacks) notes.push(`${fallback}; the recovery survives no zone outage there (facts/azure-regions.ts)`);
  }
  const mode = outputMode ?? chosen?.mode ?? "unknown";
  const point = literalOutput(stack.json, "restore_point");
  const hasTakenAt = stack.json.output?.restore_source_taken_at !== undefined;
  const takenAt = literalOutput(stack.json, "restore_source_taken_at");
  if (!hasTakenAt) {
    notes.push(
      "the stack has no restore_source_taken_at output, so it was synthesized by an older version: synthesize again so the report knows when the restored source was taken",
    );
  }
  const restore: RestoreDescription = {
    mode,
    source: literalOutput(stack.json, "restore_source") ?? NOT_LITERAL,
    point: point ?? NOT_LITERAL,
    sourceTakenAt: hasTakenAt ? (takenAt ?? NOT_LITERAL) : "unknown",
  };
  const facts: RestoreFacts = {
    mode,
    ...(point !== undefined ? { point } : {}),
    ...(takenAt !== undefined && takenAt !== "unknown" ? { sourceTakenAt: takenAt } : {}),
    ...(hasTakenAt && takenAt === undefined ? { sourceTakenAtAtPlan: true } : {}),
    ...(chosen?.dumpIntervalMinutes !== undefined ? { dumpIntervalMinutes: chosen.dumpIntervalMinutes } : {}),
    ...(chosen?.standbyCopyIntervalMinutes !== undefined ? { standbyCopyIntervalMinutes: chosen.standbyCopyIntervalMinutes } : {}),
  };

  const rto = modelRto(graph, drill);
  const rpo = impliedRpo(facts, cloud, now);
  const { monthlyStandbyBudgetUsd } = config.objectives;
  return {
    stack: stack.name,
    ...(cloud ? { cloud } : {}),
    objectives: {
      rtoMinutes: config.objectives.rtoMinutes,
      rpoMinutes: config.objectives.rpoMinutes,
      ...(monthlyStandbyBudgetUsd !== undefined ? { monthlyStandbyBudgetUsd } : {}),
    },
    restore,
    graph,
    rto,
    rpo,
    ...(cloud !== undefined
      ? { tiers: buildTierTable({ cloud, config, graph, dnsTails: rto.dnsTails, recoveryRpo: rpo, ...(standby !== undefined ? { standby } : {}) }) }
      : {}),
    ...(cloud !== undefined ? { staticStability: staticStability(cloud, config, graph) } : {}),
    notes,
    plan: plan ?? { status: "skipped", reason: "not requested" },
    policy: evaluateStackJson(stack.json, stack.name, { suppressions: config.policy.suppressions }, RECOVERY_PACK),
  };
}

/** The target a stack was synthesized for: by the registry's stack names, else by the providers it configures. */
export function cloudOf(stackName: string, json: TerraformJson): TargetCloud | undefined {
  const registered = targetOfStackName(stackName);
  if (registered !== undefined) return registered;
  const providers = Object.keys(json.provider ?? {});
  const byProvider: ReadonlyArray<[string, TargetCloud]> = [
    ["aws", "aws"],
    ["google", "gcp"],
    ["azurerm", "azure"],
    ["kubernetes", "kubernetes"],
  ];
  return byProvider.find(([provider]) => providers.includes(provider))?.[1];
}

/**
 * What the config chose for a target's restore, in the stack's vocabulary, and what only the config knows: a dump's
 * interval. When the source was taken is the stack's restore_source_taken_at output, not read here.
 */
export interface RestoreChoice {
  readonly mode: RestoreMode;
  readonly dumpIntervalMinutes?: number;
  /**
   * The restore takes the newest recovery point standby copies into the recovery location (AWS `restore.source:
   * standby`), and standby copies one every this many minutes: the bound on its age while standby runs.
   */
  readonly standbyCopyIntervalMinutes?: number;
}

/** The restore the config chooses for the target the stack recovers, read from its typed section. */
export function restoreChoice(config: RecoveryConfig, cloud: TargetCloud | undefined): RestoreChoice | undefined {
  switch (cloud) {
    case "aws": {
      const aws = config.targets.aws;
      const restore = aws?.database.restore;
      if (restore === undefined) return undefined;
      const copyHours = restore.mode === "snapshot" && restore.source === "standby" ? aws?.standby?.database.backupEveryHours : undefined;
      return { mode: restore.mode, ...(copyHours !== undefined ? { standbyCopyIntervalMinutes: copyHours * 60 } : {}) };
    }
    case "gcp": {
      const restore = config.targets.gcp?.database.restore;
      return restore === undefined ? undefined : { mode: restore.mode };
    }
    case "azure": {
      const restore = config.targets.azure?.database.restore;
      return restore === undefined ? undefined : { mode: restore.mode };
    }
    case "kubernetes": {
      const database = config.targets.kubernetes?.database;
      if (database === undefined) return undefined;
      if (database.mode === "existing") return { mode: "existing" };
      return { mode: "logical-dump", ...(database.dump.intervalMinutes !== undefined ? { dumpIntervalMinutes: database.dump.intervalMinutes } : {}) };
    }
    default:
      return undefined;
  }
}
