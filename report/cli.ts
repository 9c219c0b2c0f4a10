/**
 * `npm run report [-- options]`: writes `cdktf.out/recovery-plan-<stack>.md` and `.json` for every synthesized stack
 * (run `npm run synth` first) and prints each stack's verdict. `--help` lists the options and exit codes; docs/ci.md
 * explains the report. Config: RECOVERY_CONFIG (default config/example.yaml), read through config/load.ts.
 */
import "../config/zod-jitless"; // before any schema is built
import { existsSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { configPathFromEnvironment, loadRecoveryConfig, RecoveryConfigError } from "../config/load";
import type { RecoveryConfig } from "../config/schema";
import { DependencyCycleError } from "./critical-path";
import { buildStandbyReport, renderStandbyReport, standbyTargetOf } from "./standby-report";
import { STACK_NAMES, STANDBY_STACK_NAMES, targetOfStackName } from "../modules/stack-names";
import { DRILLS_DIR, DrillRecordError, measuredCreationMinutes } from "../operations/drill-record";
import { formatUsd, gateStack, type GateVerdict } from "./gate";
import { toRecoveryPlan } from "./model";
import { renderRecoveryPlan } from "./render";
import { formatMinutes } from "./rpo";
import { assertRecoveryStack, buildStackReport, IncompleteStackError, type PlanOutcome, type StackReport } from "./stack-report";
import { lostRegionWarning } from "./static-stability";
import { readJsonFile, readSynthesizedStacks, SynthOutputError, type SynthesizedStack } from "./stack-json";
import {
  findProviderMirror,
  planStack,
  providersMissingFromMirror,
  summarizePlan,
  terraformVersion,
  TerraformPlanError,
  type ProviderMirror,
} from "./terraform-plan";

const PLAN_MODES = ["auto", "offline", "online", "off"] as const;
type PlanMode = (typeof PLAN_MODES)[number];

export const EXIT = { ok: 0, gateFailed: 1, badInput: 2, planFailed: 3 } as const;

export const USAGE = `Usage: npm run report -- [options]

Writes cdktf.out/recovery-plan-<stack>.md (for reviewers) and cdktf.out/recovery-plan-<stack>.json (the same facts,
schema report/schema/recovery-plan.schema.json) for every stack \`npm run synth\` wrote, and prints each stack's
modeled RTO, RPO, policy findings and Terraform plan counts. Progress of slow steps (terraform init/plan) goes to stderr.

Options:
  --stack <name>            only this stack (repeatable, or comma-separated)
  --gate                    exit 1 when a stack's modeled RTO or implied RPO misses the config's objectives
  --allow-unknown-rpo       let the gate pass an RPO the plan cannot know (a recovery point's age the stack does not give)
  --pessimistic             judge the RTO with high estimates instead of typical ones
  --terraform-plan <mode>   auto (default): offline plan where Terraform and a provider mirror serve the stack, else skip;
                            offline: always the offline harness (dummy credentials, local backend, data overridden);
                            online: plain terraform plan with the stack's backend and the caller's credentials;
                            off: no Terraform
  --offline                 same as --terraform-plan offline
  --plugin-dir <dir>        provider mirror root for terraform init -plugin-dir (default: TF_PLUGIN_DIR, else the first
                            documented place that holds one, printed on stderr: docs/ci.md)
  --plan-json-dir <dir>     use <dir>/<stack>.tfplan.json (terraform show -json of a saved plan) instead of running Terraform
  --outdir <dir>            synth output folder (default cdktf.out)
  --drills <dir>            drill records (default drills): a stack's newest record replaces the estimates of the
                            resources it measured, and the report shows both (docs/drills.md)
  -h, --help                print this help and exit 0

Environment:
  RECOVERY_CONFIG           the recovery config (default config/example.yaml)
  TF_PLUGIN_DIR             provider mirror for offline plans
  TERRAFORM_BINARY          terraform to run (default: terraform on PATH)

Exit codes:
  0  reports written (and, with --gate, every objective met)
  1  --gate: a stack's modeled recovery misses an objective (or its RPO is unknown without --allow-unknown-rpo)
  2  bad input: config, synth output, an option, an unknown stack, a dependency cycle, an unreadable saved plan or
     drill record
  3  a terraform plan the report ran failed (the reason is in the report)

See docs/ci.md.`;

interface CliOptions {
  readonly stacks: readonly string[];
  readonly gate: boolean;
  readonly allowUnknownRpo: boolean;
  readonly pessimistic: boolean;
  readonly planMode: PlanMode;
  readonly pluginDir?: string;
  readonly planJsonDir?: string;
  readonly outdir: string;
  readonly drillsDir: string;
}

class UsageError extends Error {}

function parseOptions(argv: readonly string[]): CliOptions | "help" {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      stack: { type: "string", multiple: true },
      gate: { type: "boolean", default: false },
      "allow-unknown-rpo": { type: "boolean", default: false },
      pessimistic: { type: "boolean", default: false },
      "terraform-plan": { type: "string" },
      offline: { type: "boolean", default: false },
      "plugin-dir": { type: "string" },
      "plan-json-dir": { type: "string" },
      outdir: { type: "string", default: "cdktf.out" },
      drills: { type: "string", default: DRILLS_DIR },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return "help";
  const requested = values["terraform-plan"] ?? (values.offline ? "offline" : "auto");
  if (!(PLAN_MODES as readonly string[]).includes(requested)) {
    throw new UsageError(`--terraform-plan: "${requested}" is not one of ${PLAN_MODES.join(", ")}`);
  }
  if (values.offline && values["terraform-plan"] !== undefined && values["terraform-plan"] !== "offline") {
    throw new UsageError(`--offline conflicts with --terraform-plan ${values["terraform-plan"]}; give one of them`);
  }
  return {
    stacks: (values.stack ?? [])
      .flatMap((value) => value.split(","))
      .map((value) => value.trim())
      .filter((value) => value !== ""),
    gate: values.gate ?? false,
    allowUnknownRpo: values["allow-unknown-rpo"] ?? false,
    pessimistic: values.pessimistic ?? false,
    planMode: requested as PlanMode,
    ...(values["plugin-dir"] ? { pluginDir: values["plugin-dir"] } : {}),
    ...(values["plan-json-dir"] ? { planJsonDir: values["plan-json-dir"] } : {}),
    outdir: values.outdir ?? "cdktf.out",
    drillsDir: values.drills ?? DRILLS_DIR,
  };
}

async function planOutcome(stack: SynthesizedStack, options: CliOptions): Promise<PlanOutcome> {
  if (options.planJsonDir !== undefined) {
    const file = join(options.planJsonDir, `${stack.name}.tfplan.json`);
    if (existsSync(file)) {
      return { status: "planned", how: `terraform show -json, ${file}`, summary: summarizePlan(readJsonFile(file)), overriddenData: [], validateWarnings: [] };
    }
    if (options.planMode === "off") return { status: "skipped", reason: `${file} not found` };
  }
  if (options.planMode === "off") return { status: "skipped", reason: "--terraform-plan off" };

  if (options.planMode === "auto") {
    const version = await terraformVersion();
    if (version === undefined) return { status: "skipped", reason: "terraform is not on PATH (set TERRAFORM_BINARY, or --terraform-plan off)" };
    const mirror = options.pluginDir !== undefined ? { dir: options.pluginDir, foundBy: "--plugin-dir" } : foundMirror();
    if (mirror === undefined) {
      return {
        status: "skipped",
        reason: "no provider mirror in the places Terraform documents, nor at /opt/tf-plugins (set TF_PLUGIN_DIR or --plugin-dir, or plan online)",
      };
    }
    const missing = providersMissingFromMirror(stack.directory, mirror.dir);
    if (missing.length > 0) return { status: "skipped", reason: `the provider mirror ${mirror.dir} (${mirror.foundBy}) lacks ${missing.join(", ")}` };
    return runPlan(stack, { offline: true, pluginDir: mirror.dir });
  }
  return runPlan(stack, { offline: options.planMode === "offline", ...(options.pluginDir ? { pluginDir: options.pluginDir } : {}) });
}

let mirrorLookup: { readonly mirror: ProviderMirror | undefined } | undefined;

/**
 * The provider mirror for auto mode (report/plan/provider-mirror.ts: only the documented places, so it is quick), looked
 * up once a run (main starts each run afresh), with a line on stderr saying which place named it: a plan using an unexpected mirror is then explained.
 */
function foundMirror(): ProviderMirror | undefined {
  if (mirrorLookup === undefined) {
    const mirror = findProviderMirror();
    mirrorLookup = { mirror };
    console.error(
      mirror === undefined
        ? "report: no provider mirror in the documented places (set TF_PLUGIN_DIR or --plugin-dir)"
        : `report: provider mirror ${mirror.dir}, found by ${mirror.foundBy}`,
    );
  }
  return mirrorLookup.mirror;
}

/**
 * Lines on stderr around what takes more than a second, so a CI log or a terminal shows where the time goes: stdout
 * stays the verdict a script can read.
 */
async function withProgress<T>(what: string, work: () => Promise<T>): Promise<T> {
  console.error(`report: ${what}...`);
  const started = performance.now();
  try {
    return await work();
  } finally {
    console.error(`report: ${what}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

async function runPlan(stack: SynthesizedStack, settings: { offline: boolean; pluginDir?: string }): Promise<PlanOutcome> {
  try {
    const result = await withProgress(
      `planning ${stack.name} (terraform init, validate and ${settings.offline ? "an offline plan" : "plan"}${settings.pluginDir ? `, providers from ${settings.pluginDir}` : ""})`,
      () => planStack(stack.directory, settings),
    );
    return {
      status: "planned",
      how: `${result.mode}, terraform ${result.terraformVersion}${result.pluginDir ? `, providers from ${result.pluginDir}` : ""}`,
      summary: result.summary,
      overriddenData: result.overriddenData,
      validateWarnings: result.validate.diagnostics.filter((d) => d.severity === "warning"),
    };
  } catch (error) {
    if (error instanceof TerraformPlanError) return { status: "failed", reason: error.message };
    throw error;
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  mirrorLookup = undefined;
  let options: CliOptions;
  let config: RecoveryConfig;
  let stacks: SynthesizedStack[];
  let standbyStacks: SynthesizedStack[] = [];
  try {
    const parsed = parseOptions(argv);
    if (parsed === "help") {
      console.log(USAGE);
      return EXIT.ok;
    }
    options = parsed;
    config = loadRecoveryConfig(configPathFromEnvironment());
    stacks = readSynthesizedStacks(options.outdir, options.stacks);
    // Standby stacks prepare a recovery rather than perform one: they get a standby plan of their own, below.
    standbyStacks = stacks.filter((stack) => standbyTargetOf(stack.name) !== undefined);
    stacks = stacks.filter((stack) => standbyTargetOf(stack.name) === undefined);
    // Every stack is checked before any report is written: bad input writes nothing.
    for (const stack of stacks) {
      try {
        assertRecoveryStack(stack);
      } catch (error) {
        if (error instanceof IncompleteStackError) throw new SynthOutputError(`${stack.file}: ${error.message}`);
        throw error;
      }
    }
  } catch (error) {
    if (
      error instanceof RecoveryConfigError ||
      error instanceof SynthOutputError ||
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")
    ) {
      console.error(`report: ${(error as Error).message}`);
      return EXIT.badInput;
    }
    throw error;
  }
  if (stacks.length === 0 && standbyStacks.length === 0) {
    console.error(`report: ${options.outdir}/manifest.json names no stack; check the config's targets and run \`npm run synth\``);
    return EXIT.badInput;
  }

  const verdicts: GateVerdict[] = [];
  const failedPlans: string[] = [];
  const recoveryReports = new Map<string, StackReport>();
  for (const stack of stacks) {
    let report;
    try {
      const drill = measuredCreationMinutes(stack.name, options.drillsDir);
      const target = targetOfStackName(stack.name);
      const standby = standbyStacks.find((candidate) => target !== undefined && candidate.name === STANDBY_STACK_NAMES[target]);
      report = buildStackReport({
        stack,
        config,
        plan: await planOutcome(stack, options),
        ...(drill !== undefined ? { drill } : {}),
        ...(standby !== undefined ? { standby } : {}),
      });
    } catch (error) {
      if (error instanceof DrillRecordError) {
        console.error(`report: ${error.message}`);
        return EXIT.badInput;
      }
      if (error instanceof DependencyCycleError) {
        console.error(`report: ${stack.name}: ${error.message}`);
        return EXIT.badInput;
      }
      // A saved plan (--plan-json-dir) that is not JSON.
      if (error instanceof SynthOutputError) {
        console.error(`report: ${error.message}`);
        return EXIT.badInput;
      }
      throw error;
    }
    recoveryReports.set(stack.name, report);
    const verdict = gateStack(report, { allowUnknownRpo: options.allowUnknownRpo, pessimistic: options.pessimistic });
    verdicts.push(verdict);
    if (report.plan.status === "failed") failedPlans.push(stack.name);

    const file = join(options.outdir, `recovery-plan-${stack.name}.md`);
    // The Markdown is drawn from the same model the JSON holds, so the two cannot disagree.
    const model = toRecoveryPlan(report, verdict);
    writeFileSync(join(options.outdir, `recovery-plan-${stack.name}.json`), `${JSON.stringify(model, null, 2)}\n`);
    writeFileSync(file, renderRecoveryPlan(model));
    const rpo = report.rpo.minutes === undefined ? "unknown" : formatMinutes(report.rpo.minutes);
    console.log(
      `${stack.name}: modeled RTO ${formatMinutes(report.rto.minutes.typical)} (objective ${report.objectives.rtoMinutes} min), ` +
        `RPO ${rpo} (objective ${report.objectives.rpoMinutes} min), ${policyCounts(report)}, ` +
        `terraform plan ${report.plan.status === "planned" ? `${report.plan.summary.add}/${report.plan.summary.change}/${report.plan.summary.destroy} add/change/destroy${report.plan.summary.replace.length ? `, REPLACES ${report.plan.summary.replace.join(", ")}` : ""}` : report.plan.status === "skipped" ? `skipped (${report.plan.reason})` : "FAILED"} -> ${file}`,
    );
    console.log(`  critical path: ${report.rto.path.map((step) => `${step.id} (${formatMinutes(step.minutes)})`).join(" -> ")}`);
    const lostRegion = report.staticStability === undefined ? undefined : lostRegionWarning(report.staticStability);
    if (lostRegion !== undefined) console.log(`  static stability: WARNING ${lostRegion} (see the plan)`);
    const chosen = report.tiers?.rows.find((row) => row.chosen);
    if (chosen !== undefined) {
      console.log(
        `  tier ${chosen.tier}: modeled RTO ${formatMinutes(chosen.rtoMinutes.typical)}, standby ${chosen.cost === undefined ? "cost not modeled" : `${formatUsd(chosen.cost.monthlyUsd)}${chosen.notModeled.some((entry) => entry.part === "monthly") ? " + not modeled (see the plan)" : ""} a month (list prices, model)`}`,
      );
    }
  }

  for (const stack of standbyStacks) {
    const target = standbyTargetOf(stack.name) as keyof typeof STACK_NAMES;
    const standby = buildStandbyReport(stack, config, recoveryReports.get(STACK_NAMES[target]));
    const file = join(options.outdir, `standby-plan-${stack.name}.md`);
    writeFileSync(file, renderStandbyReport(standby));
    console.log(
      `${stack.name}: tier ${standby.tier}, database RPO ${standby.rpoMinutes === undefined ? "unknown" : `up to ${formatMinutes(standby.rpoMinutes)}`} (objective ${standby.objectives.rpoMinutes} min), ` +
        `${standby.steps.reduce((sum, step) => sum + step.resources.length, 0)} resources -> ${file}`,
    );
  }

  if (failedPlans.length > 0) {
    console.error(`report: terraform plan failed for ${failedPlans.join(", ")}; the reason is in the report file(s)`);
  }
  if (options.gate) {
    const failed = verdicts.filter((verdict) => !verdict.passed);
    for (const verdict of verdicts) console.log(`gate ${verdict.stack}:\n${verdict.lines.map((line) => `  ${line}`).join("\n")}`);
    if (failed.length > 0) {
      console.error(
        `recovery gate FAILED for ${failed.map((verdict) => verdict.stack).join(", ")}: the modeled recovery misses objectives in ${configPathFromEnvironment()}:`,
      );
      for (const verdict of failed) for (const line of verdict.lines.filter((l) => l.startsWith("FAIL"))) console.error(`  ${verdict.stack}: ${line}`);
      return EXIT.gateFailed;
    }
    console.log("recovery gate passed");
  }
  return failedPlans.length > 0 ? EXIT.planFailed : EXIT.ok;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`report: ${(error as Error).stack ?? String(error)}`);
      process.exitCode = EXIT.badInput;
    },
  );
}

/** The policy pack's open errors and warnings on a stack, for the one-line summary. */
function policyCounts(report: StackReport): string {
  const open = report.policy.findings.filter((finding) => finding.suppressedBecause === undefined);
  const errors = open.filter((finding) => finding.severity === "error").length;
  return `policy ${errors} error(s), ${open.length - errors} warning(s)`;
}
