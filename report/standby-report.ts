/**
 * The plan report of a standby stack (stacks/standby-stack.ts, docs/standby.md): what it prepares in the recovery
 * location, step by step; the DR tier; the RPO that tier buys, from the stack's own outputs; and what the tier does to
 * the recovery's RTO. Written beside the recovery plans as `standby-plan-<stack>.md`.
 */
import type { RecoveryConfig, TargetName } from "../config/schema";
import { STANDBY_STACK_NAMES } from "../modules/stack-names";
import { formatMinutes } from "./rpo";
import { literalOutput, type SynthesizedStack } from "./stack-json";
import { standbyFacts, standbyRpo, type TierRpo } from "./tiers";
import { tiersOf, type RecoveryPlan } from "./model";
import type { StackReport } from "./stack-report";
import { renderTierTable } from "./tiers-render";

/** The standby steps in the order StandbyStack composes them, with what each means for a recovery. */
const STEPS: ReadonlyArray<readonly [string, string]> = [
  ["recoveryPoints", "Database recovery points copied into the recovery location"],
  ["binaries", "Binaries replicated into the recovery location"],
  ["secrets", "Secrets available in the recovery location"],
  ["certificate", "The api certificate issued in the recovery location"],
  ["standing", "Standing infrastructure the recovery adopts"],
  ["watches", "Watches that page when any of it breaks, or when the primary goes down"],
];

/** What the recovery still builds on the day, per tier; backup-restore prepares nothing on its critical path. */
const TIER_EFFECT: Readonly<Record<string, string>> = {
  "backup-restore": "prepares recovery points and replicas only, nothing the recovery's critical path waits for: the recovery's modeled RTO is unchanged",
  "pilot-light":
    "also keeps the network, cluster, load balancer, roles, logs and certificate standing: the recovery creates only the database, cache, servers and DNS",
  "warm-standby": "also keeps a live database replica and the cache: the recovery promotes the replica and scales the servers",
};

/** What the figure in the RPO cell is, after "up to <minutes>". */
const RPO_SUFFIX: Readonly<Record<TierRpo["kind"], string>> = {
  "replication-lag": " (the live replica's replication lag)",
  continuous: " (point-in-time backups in the recovery location)",
  schedule: " plus the copy's time",
  recovery: " (the recovery's own restore)",
};

export interface StandbyReport {
  readonly stack: string;
  readonly target: TargetName;
  readonly tier: string;
  readonly steps: ReadonlyArray<{ readonly step: string; readonly title: string; readonly resources: readonly string[] }>;
  readonly outputs: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  /** The database RPO this standby buys (report/tiers.ts, standbyRpo): its replica's lag, its point-in-time backups' or its schedule. */
  readonly rpo: TierRpo;
  /** rpo.minutes: the most data a recovery from what this standby keeps loses. */
  readonly rpoMinutes?: number;
  readonly objectives: { readonly rtoMinutes: number; readonly rpoMinutes: number };
  readonly recovery?: { readonly stack: string; readonly rtoMinutes: number };
  /** The target's tiers side by side (modeled RTO, RPO, cost), from the recovery's report. */
  readonly tiers?: NonNullable<RecoveryPlan["tiers"]>;
}

/** The target a stack name prepares, if it is a standby stack. */
export function standbyTargetOf(stackName: string): TargetName | undefined {
  return (Object.entries(STANDBY_STACK_NAMES) as Array<[TargetName, string]>).find(([, name]) => name === stackName)?.[0];
}

export function buildStandbyReport(stack: Pick<SynthesizedStack, "name" | "json">, config: RecoveryConfig, recovery?: StackReport): StandbyReport {
  const target = standbyTargetOf(stack.name);
  if (target === undefined) throw new Error(`${stack.name} is not a standby stack`);
  const byStep = new Map<string, string[]>(STEPS.map(([step]) => [step, []]));
  for (const [type, byName] of Object.entries(stack.json.resource ?? {})) {
    for (const [name, body] of Object.entries(byName as Record<string, { "//"?: { metadata?: { path?: string } } }>)) {
      const step = body["//"]?.metadata?.path?.split("/")[1];
      if (step !== undefined && byStep.has(step)) byStep.get(step)!.push(`${type}.${name}`);
    }
  }
  const outputs = Object.keys(stack.json.output ?? {})
    .sort()
    .map((name) => ({ name, value: literalOutput(stack.json, name) ?? "(known after apply)" }));
  const rpo = standbyRpo(target, standbyFacts(target, config, stack.json, stack.name));
  return {
    stack: stack.name,
    target,
    tier: literalOutput(stack.json, "standby_tier") ?? "unknown",
    steps: STEPS.map(([step, title]) => ({ step, title, resources: (byStep.get(step) ?? []).sort() })),
    outputs,
    rpo,
    ...(rpo.minutes !== undefined ? { rpoMinutes: rpo.minutes } : {}),
    objectives: { rtoMinutes: config.objectives.rtoMinutes, rpoMinutes: config.objectives.rpoMinutes },
    ...(recovery !== undefined ? { recovery: { stack: recovery.stack, rtoMinutes: recovery.rto.minutes.typical } } : {}),
    ...(recovery?.tiers !== undefined ? { tiers: tiersOf(recovery) } : {}),
  };
}

export function renderStandbyReport(report: StandbyReport): string {
  const out: string[] = [`# Standby plan: ${report.stack}`, ""];
  out.push(`Tier **${report.tier}** for \`targets.${report.target}\`: ${TIER_EFFECT[report.tier] ?? "see docs/standby.md"}.`, "");
  out.push("| | this tier | objective |", "| --- | --- | --- |");
  const rpo = report.rpo.minutes;
  out.push(
    `| Database RPO | ${rpo === undefined ? "unknown" : `up to ${formatMinutes(rpo)}${RPO_SUFFIX[report.rpo.kind]}`} | ${report.objectives.rpoMinutes} min${rpo === undefined ? "" : rpo <= report.objectives.rpoMinutes ? " (within)" : " (**exceeds**)"} |`,
  );
  if (report.recovery !== undefined) {
    out.push(
      `| Recovery RTO in this tier | ${formatMinutes(report.recovery.rtoMinutes)} (\`recovery-plan-${report.recovery.stack}.md\`) | ${report.objectives.rtoMinutes} min |`,
    );
  }
  out.push("", `Database RPO basis: ${report.rpo.basis}.`);
  if (report.tiers !== undefined) out.push("", "## DR tiers for this target", "", ...renderTierTable(report.tiers));
  else out.push("");
  out.push("## What it prepares", "");
  for (const step of report.steps) {
    out.push(`### ${step.title}`, "");
    if (step.resources.length === 0) out.push("Nothing in this tier.", "");
    else out.push(...step.resources.map((address) => `- \`${address}\``), "");
  }
  out.push("## Outputs", "", "| output | value |", "| --- | --- |");
  for (const output of report.outputs) out.push(`| \`${output.name}\` | ${output.value.replace(/\|/g, "\\|")} |`);
  out.push("", "What each resource changes on the primary's side, and what a destroy does there: docs/standby.md.", "");
  return out.join("\n");
}
