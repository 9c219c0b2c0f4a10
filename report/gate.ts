/**
 * The CI gate: does each stack's modeled recovery meet the config's objectives?
 *
 * - RTO: the modeled critical path (typical estimates; `high` estimates with `pessimistic`) must not exceed
 *   objectives.rtoMinutes.
 * - RPO: the chosen restore mode's implied data loss must not exceed objectives.rpoMinutes.
 * - An UNKNOWN RPO (a snapshot or backup restore whose time the stack's restore_point and restore_source_taken_at
 *   outputs do not give, a logical dump with neither its time nor its interval, a mode the table does not know) FAILS
 *   the gate unless `allowUnknownRpo`: a gate that passes what it cannot check is a gate nobody can trust. The fix is to
 *   give `restore.snapshotTakenAt` (or `backupTakenAt`, or on Kubernetes `database.dump.takenAt` / `intervalMinutes`)
 *   in the config, which the stack then outputs, or to pass --allow-unknown-rpo consciously.
 * - Cost: with `objectives.monthlyStandbyBudgetUsd`, the chosen DR tier's modeled monthly standby cost (report/tiers.ts,
 *   docs/cost.md) must not exceed it. A target with no tier chosen, or whose tier the model prices no line of
 *   (Kubernetes dumps on a volume or a store that is not a cloud's), passes with a line saying the budget was not
 *   checked for it. Where the figure leaves costs out (Kubernetes: the cluster's own), the line names them: the figure
 *   is then a floor, and the budget is checked against it.
 */
import { formatMinutes } from "./rpo";
import type { StackReport } from "./stack-report";

export interface GateOptions {
  /** @default false */
  readonly allowUnknownRpo?: boolean;
  /** Judge the RTO with `high` estimates. @default false */
  readonly pessimistic?: boolean;
}

export interface GateVerdict {
  readonly stack: string;
  readonly passed: boolean;
  /** One line per objective, failed or passed, for the log and the report. */
  readonly lines: readonly string[];
}

export function gateStack(report: StackReport, options: GateOptions = {}): GateVerdict {
  const scenario = options.pessimistic ? "high" : "typical";
  const rto = report.rto.minutes[scenario];
  const lines: string[] = [];
  let passed = true;

  if (rto > report.objectives.rtoMinutes) {
    passed = false;
    lines.push(
      `FAIL RTO: modeled ${formatMinutes(rto)} (${scenario} estimates) exceeds objectives.rtoMinutes ${report.objectives.rtoMinutes}; critical path: ${report.rto.path.map((step) => step.id).join(" -> ")}`,
    );
  } else {
    lines.push(`ok   RTO: modeled ${formatMinutes(rto)} (${scenario} estimates) within objectives.rtoMinutes ${report.objectives.rtoMinutes}`);
  }

  const rpo = report.rpo.minutes;
  if (rpo === undefined) {
    if (options.allowUnknownRpo) {
      lines.push(`ok   RPO: unknown for restore mode "${report.rpo.mode}" (${report.rpo.basis}); accepted by --allow-unknown-rpo`);
    } else {
      passed = false;
      lines.push(
        `FAIL RPO: unknown for restore mode "${report.rpo.mode}" (${report.rpo.basis}), so objectives.rpoMinutes ${report.objectives.rpoMinutes} cannot be checked; ${report.rpo.howToBound}; or pass --allow-unknown-rpo`,
      );
    }
  } else if (rpo > report.objectives.rpoMinutes) {
    passed = false;
    lines.push(
      `FAIL RPO: restore mode "${report.rpo.mode}" loses up to ${formatMinutes(rpo)}, more than objectives.rpoMinutes ${report.objectives.rpoMinutes}; ${report.rpo.howToBound}`,
    );
  } else {
    lines.push(`ok   RPO: restore mode "${report.rpo.mode}" loses up to ${formatMinutes(rpo)}, within objectives.rpoMinutes ${report.objectives.rpoMinutes}`);
  }
  const budget = report.objectives.monthlyStandbyBudgetUsd;
  if (budget !== undefined) {
    const chosen = report.tiers?.rows.find((row) => row.chosen);
    if (chosen === undefined) {
      lines.push(`ok   cost: no DR tier chosen (${report.tiers?.chosenFrom ?? "unknown target"}); objectives.monthlyStandbyBudgetUsd ${budget} not checked`);
    } else if (chosen.cost === undefined) {
      lines.push(
        `ok   cost: tier ${chosen.tier} is not priced on ${report.cloud ?? "this target"} (its own infrastructure's costs); objectives.monthlyStandbyBudgetUsd ${budget} not checked`,
      );
    } else {
      const left = chosen.notModeled.filter((entry) => entry.part === "monthly").map((entry) => entry.what);
      const leftOut = left.length > 0 ? `; not in the figure: ${left.join(", ")}` : "";
      if (chosen.cost.monthlyUsd > budget) {
        passed = false;
        lines.push(
          `FAIL cost: tier ${chosen.tier} models ${formatUsd(chosen.cost.monthlyUsd)} a month of standby, more than objectives.monthlyStandbyBudgetUsd ${budget} (list prices, model: docs/cost.md)${leftOut}`,
        );
      } else {
        lines.push(
          `ok   cost: tier ${chosen.tier} models ${formatUsd(chosen.cost.monthlyUsd)} a month of standby, within objectives.monthlyStandbyBudgetUsd ${budget}${leftOut}`,
        );
      }
    }
  }
  return { stack: report.stack, passed, lines };
}

/** Whole dollars above 100, cents below: the model is no more precise than that. */
export function formatUsd(usd: number): string {
  return usd >= 100 ? `$${Math.round(usd).toLocaleString("en-US")}` : `$${usd.toFixed(2)}`;
}
