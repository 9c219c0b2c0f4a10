/**
 * The DR tier table in Markdown, for the recovery plan and the standby plan alike: tier | modeled RTO | RPO | monthly
 * standby cost | drill per hour, the chosen tier marked, every figure labelled as a model, and what a figure leaves out
 * named "not modeled" with its reason rather than counted as zero.
 */
import { formatUsd } from "./gate";
import type { RecoveryPlan } from "./model";
import { formatMinutes } from "./rpo";

type Tiers = NonNullable<RecoveryPlan["tiers"]>;

export function renderTierTable(tiers: Tiers, root = "../"): string[] {
  const link = `[${tiers.costDoc}](${root}${tiers.costDoc})`;
  const out: string[] = [];
  out.push(
    `Chosen: ${tiers.chosen === undefined ? "**none**" : `**${tiers.chosen}**`} (${tiers.chosenFrom}). All figures are **models**: RTO from creation-time estimates along this stack's graph, ` +
      `without what each tier's standby already built; ` +
      (tiers.prices === undefined
        ? "costs are not modeled on this target (its costs are its own infrastructure's). "
        : tiers.prices.of !== undefined
          ? `costs from the list price of ${tiers.prices.of} in ${tiers.prices.region} (${tiers.prices.read}), for dumps of ${tiers.inputs.databaseGiB} GiB (\`costInputs.databaseGiB\`); what is not priced says so below. `
          : `costs from list prices of ${tiers.prices.region} (${tiers.prices.read}), for ${tiers.inputs.databaseGiB} GiB of database, ${tiers.inputs.binariesGiB} GiB of binaries and ${tiers.inputs.dailyChangeGiB} GiB of change a day (\`costInputs\`). `) +
      `Prices and what each line covers: ${link}.`,
    "",
  );
  out.push("| tier | modeled RTO | RPO | monthly standby cost | drill cost per hour |", "|---|---|---|---|---|");
  for (const row of tiers.rows) {
    const name = row.chosen ? `**${row.tier}** (chosen)` : row.tier;
    const rto = `${formatMinutes(row.modeledRtoMinutes.typical)} (${formatMinutes(row.modeledRtoMinutes.low)}-${formatMinutes(row.modeledRtoMinutes.high)})`;
    const rpo = row.rpo.minutes === null ? "unknown" : `up to ${formatMinutes(row.rpo.minutes)}`;
    const budget = row.withinBudget === null ? "" : row.withinBudget ? " (within budget)" : " (**over budget**)";
    const partial = (part: "monthly" | "drill") => (row.notModeled.some((entry) => entry.part === part) ? " + not modeled (below)" : "");
    const monthly = row.cost === null ? "not modeled" : `${formatUsd(row.cost.monthlyUsd)}${partial("monthly")}${budget}`;
    const drill = row.cost === null || row.cost.drillUsdPerHour === null ? "not modeled" : `${formatUsd(row.cost.drillUsdPerHour)}${partial("drill")}`;
    out.push(`| ${name} | ${rto} | ${rpo} | ${monthly} | ${drill} |`);
  }
  out.push("");
  for (const row of tiers.rows) {
    for (const part of ["monthly", "drill"] as const) {
      const entries = row.notModeled.filter((entry) => entry.part === part);
      if (entries.length > 0)
        out.push(
          `Not modeled in ${row.tier}'s ${part === "monthly" ? "monthly standby cost" : "drill cost"}:`,
          "",
          ...entries.map((entry) => `- ${entry.what}: ${entry.reason}.`),
          "",
        );
    }
  }
  if (tiers.sizeNotes.length > 0) out.push(`Sizes: ${tiers.sizeNotes.join("; ")}.`, "");
  if (tiers.budgetUsd !== undefined)
    out.push(
      `Budget \`objectives.monthlyStandbyBudgetUsd\`: ${formatUsd(tiers.budgetUsd)} a month; \`--gate\` fails when the chosen tier models above it.`,
      "",
    );
  out.push("<details><summary>What each tier's RPO rests on, and the priced lines</summary>", "");
  for (const row of tiers.rows) {
    out.push(`- **${row.tier}**: RPO ${row.rpo.basis}.`);
    if (row.cost !== null) {
      out.push(`  Monthly: ${row.cost.monthly.map((line) => `${line.what} ${formatUsd(line.usd)}`).join("; ")}.`);
      if (row.cost.drill.length > 0) out.push(`  Drill, per hour: ${row.cost.drill.map((line) => `${line.what} ${formatUsd(line.usd)}`).join("; ")}.`);
    }
  }
  out.push("", "</details>", "");
  return out;
}
