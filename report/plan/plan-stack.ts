/**
 * Plans synthesized stacks: picks the mode, prepares a scratch copy (stack-folder.ts, offline-harness.ts), runs
 * Terraform (run-terraform.ts) and reads its output (parse-plan.ts). The scratch folder is removed unless kept.
 *
 * - **online**: `terraform init` + `terraform validate -json` + `terraform plan -lock=false -out` + `terraform show -json`
 *   with the stack's own backend and the caller's credentials; `pluginDir` (or TF_PLUGIN_DIR) still applies, for
 *   air-gapped runners with credentials.
 * - **offline**: `terraform init -plugin-dir=<mirror>` + `terraform test -json -verbose` through the offline harness.
 *   Each Terraform process loads the aws provider's schema (~3 s of CPU); planStacksOffline plans several stacks in one.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { OFFLINE_OVERRIDE_FILE, SINGLE_STACK_RUN, writeMultiStackHarness, writeOfflineHarness } from "./offline-harness";
import { parseValidate, readTestRuns, summarizePlan } from "./parse-plan";
import { checkMirrorHoldsProviders, findProviderMirror } from "./provider-mirror";
import { DEFAULT_TIMEOUT_MS, readTerraformVersion, tail, terraformBinary, terraformEnvironment, terraformRunner, type Run } from "./run-terraform";
import { copyStack, readStackConfiguration } from "./stack-folder";
import { TerraformPlanError, type PlanMode, type PlanStackOptions, type PlanStackResult, type TerraformDiagnostic, type ValidateResult } from "./types";

const NO_MIRROR =
  "offline plan: no provider mirror found in TF_PLUGIN_DIR, the CLI configuration's filesystem_mirror, /opt/tf-plugins or Terraform's implied local mirror directories; " +
  "set TF_PLUGIN_DIR to the folder holding registry.terraform.io/ (see docs/ci.md), or plan online with credentials";

/** The mode the options ask for; `offline` (boolean) is the older spelling of `mode`. */
export function planModeOf(options: Pick<PlanStackOptions, "mode" | "offline">): PlanMode {
  const fromFlag: PlanMode | undefined = options.offline === undefined ? undefined : options.offline ? "offline" : "online";
  if (options.mode !== undefined && fromFlag !== undefined && options.mode !== fromFlag) {
    throw new TerraformPlanError(`planStack: mode "${options.mode}" conflicts with offline: ${String(options.offline)}; give one of them`);
  }
  return options.mode ?? fromFlag ?? "offline";
}

export async function planStackOffline(stackDir: string, options: Omit<PlanStackOptions, "offline" | "mode"> = {}): Promise<PlanStackResult> {
  return planStack(stackDir, { ...options, mode: "offline" });
}

/** What each mode does in the scratch copy once it is prepared: validate, plan, and hand back the plan JSON. */
interface ModeSteps {
  readonly prepare: (workDir: string) => readonly string[];
  readonly validateAndPlan: (run: Run) => Promise<{ validate: ValidateResult; planJson: unknown }>;
}

export async function planStack(stackDir: string, options: PlanStackOptions = {}): Promise<PlanStackResult> {
  const mode = planModeOf(options);
  const source = resolve(stackDir);
  const configuration = readStackConfiguration(source);
  const terraform = terraformBinary(options.terraformBinary);
  const timeoutMs = options.commandTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pluginDir = options.pluginDir ?? (mode === "offline" ? findProviderMirror()?.dir : process.env.TF_PLUGIN_DIR);
  if (mode === "offline" && pluginDir === undefined) throw new TerraformPlanError(NO_MIRROR);
  if (pluginDir !== undefined) checkMirrorHoldsProviders(pluginDir, configuration);

  const steps: Record<PlanMode, ModeSteps> = {
    offline: {
      prepare: (workDir) => writeOfflineHarness(workDir, configuration, options.dataOverrides ?? {}),
      // `terraform test` validates the run's configuration before planning it, as `terraform validate` would: a separate
      // validate would load the provider's schema a second time for nothing.
      validateAndPlan: async (run) => {
        const planned = await planThroughTest(run, source);
        return { planJson: planned.plan, validate: { valid: true, errorCount: 0, warningCount: planned.warnings.length, diagnostics: planned.warnings } };
      },
    },
    online: {
      prepare: () => [],
      validateAndPlan: async (run) => {
        const validateRun = await run(["validate", "-json", "-no-color"]);
        const validate = parseValidate(validateRun.stdout, validateRun.stderr);
        if (!validate.valid) {
          throw new TerraformPlanError(
            `terraform validate found ${validate.errorCount} error(s) in ${source}`,
            validate.diagnostics.filter((d) => d.severity === "error"),
          );
        }
        return { validate, planJson: await planDirectly(run, source) };
      },
    },
  };

  const env = terraformEnvironment();
  const terraformVersion = await readTerraformVersion(terraform, env);
  const workDir = mkdtempSync(join(tmpdir(), `tf-plan-${basename(source)}-`));
  try {
    copyStack(source, workDir, { dropLockFile: mode === "offline", skip: [OFFLINE_OVERRIDE_FILE] });
    const overriddenData = steps[mode].prepare(workDir);
    const run = terraformRunner(terraform, workDir, env, timeoutMs);
    await init(run, pluginDir, `in a copy of ${source}`);
    const { validate, planJson } = await steps[mode].validateAndPlan(run);
    return {
      mode,
      terraformVersion,
      ...(pluginDir ? { pluginDir } : {}),
      validate,
      summary: summarizePlan(planJson),
      overriddenData,
      ...(options.keepWorkDir ? { workDir } : {}),
    };
  } catch (error) {
    if (options.keepWorkDir && error instanceof TerraformPlanError) error.message += `\n(scratch folder kept: ${workDir})`;
    throw error;
  } finally {
    if (!options.keepWorkDir) rmSync(workDir, { recursive: true, force: true });
  }
}

export interface OfflineStack {
  /** A folder holding the synthesized `*.tf.json`. */
  readonly directory: string;
  /** As PlanStackOptions.dataOverrides, for this stack. */
  readonly dataOverrides?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/**
 * Several stacks planned offline by one `terraform init` and one `terraform test`, one run block per stack: each Terraform
 * process loads the aws provider's schema (14 MB of JSON, ~3 s of CPU with hashicorp/aws 5.100.0), so N stacks cost one
 * load instead of the N that N planStackOffline calls make. Measured with six recovery-aws stacks, Terraform 1.11.4:
 * 17 s of CPU in one process, 38 s in six.
 *
 * A stack with an error fails here with Terraform's diagnostics (`terraform test` validates each run's configuration
 * before planning it, with the call `terraform validate` makes), and `validate` reports that run's diagnostics
 * (validation's and the plan's). With keepWorkDir, every result names the shared scratch folder and `testRun` its run
 * block, e.g. to print the plans as text with `terraform test -verbose`.
 */
export async function planStacksOffline(
  stacks: readonly OfflineStack[],
  options: Omit<PlanStackOptions, "offline" | "mode" | "dataOverrides"> = {},
): Promise<PlanStackResult[]> {
  if (stacks.length === 0) return [];
  const sources = stacks.map((stack) => resolve(stack.directory));
  const configurations = sources.map(readStackConfiguration);
  const terraform = terraformBinary(options.terraformBinary);
  const timeoutMs = options.commandTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pluginDir = options.pluginDir ?? findProviderMirror()?.dir;
  if (pluginDir === undefined) throw new TerraformPlanError(NO_MIRROR);
  for (const configuration of configurations) checkMirrorHoldsProviders(pluginDir, configuration);

  const env = terraformEnvironment();
  const terraformVersion = await readTerraformVersion(terraform, env);
  const workDir = mkdtempSync(join(tmpdir(), "tf-plan-stacks-"));
  try {
    const harness = stacks.map((stack, index) => {
      const runName = `stack_${index}`;
      const folder = join(workDir, runName);
      copyStack(sources[index]!, folder, { dropLockFile: true, skip: [OFFLINE_OVERRIDE_FILE] });
      return { runName, folder, configuration: configurations[index]!, dataOverrides: stack.dataOverrides ?? {} };
    });
    const overriddenData = writeMultiStackHarness(workDir, harness);
    const run = terraformRunner(terraform, workDir, env, timeoutMs);
    await init(run, pluginDir, `for ${sources.join(", ")}`);

    const result = await run(["test", "-json", "-verbose", "-no-color"]);
    const byRun = readTestRuns(result.stdout);
    return sources.map((source, index) => {
      const { runName } = harness[index]!;
      const outcome = byRun.get(runName);
      const diagnostics = outcome?.diagnostics ?? [];
      const errors = diagnostics.filter((d) => d.severity === "error");
      if (outcome?.plan === undefined || errors.length > 0) {
        const unattributed = byRun.get("")?.diagnostics ?? [];
        throw new TerraformPlanError(
          `offline terraform plan (terraform test) failed for ${source} (exit ${result.code})${errors.length + unattributed.length === 0 ? `:\n${tail(result.stderr)}` : ""}`,
          [...errors, ...unattributed.filter((d) => d.severity === "error")],
        );
      }
      return {
        mode: "offline" as const,
        terraformVersion,
        pluginDir,
        validate: { valid: true, errorCount: 0, warningCount: diagnostics.length - errors.length, diagnostics },
        summary: summarizePlan(outcome.plan),
        overriddenData: overriddenData[index]!,
        ...(options.keepWorkDir ? { workDir, testRun: runName } : {}),
      };
    });
  } catch (error) {
    if (options.keepWorkDir && error instanceof TerraformPlanError) error.message += `\n(scratch folder kept: ${workDir})`;
    throw error;
  } finally {
    if (!options.keepWorkDir) rmSync(workDir, { recursive: true, force: true });
  }
}

async function init(run: Run, pluginDir: string | undefined, where: string): Promise<void> {
  const args = ["init", "-input=false", "-no-color", ...(pluginDir ? [`-plugin-dir=${pluginDir}`] : [])];
  const result = await run(args);
  if (result.code !== 0)
    throw new TerraformPlanError(`terraform ${args.join(" ")} failed (exit ${result.code}) ${where}:\n${tail(result.stderr || result.stdout)}`);
}

/** The plan and the warnings of the offline harness's one run; Terraform's errors (validation's or the plan's) throw. */
async function planThroughTest(run: Run, source: string): Promise<{ plan: unknown; warnings: TerraformDiagnostic[] }> {
  const result = await run(["test", "-json", "-verbose", "-no-color"]);
  const runs = readTestRuns(result.stdout);
  const plan = runs.get(SINGLE_STACK_RUN)?.plan;
  const diagnostics = [...runs.values()].flatMap((entry) => entry.diagnostics);
  if (result.code !== 0 || plan === undefined) {
    throw new TerraformPlanError(
      `offline terraform plan (terraform test) failed for ${source} (exit ${result.code})${diagnostics.length === 0 ? `:\n${tail(result.stderr)}` : ""}`,
      diagnostics.filter((d) => d.severity === "error"),
    );
  }
  return { plan, warnings: diagnostics.filter((d) => d.severity === "warning") };
}

async function planDirectly(run: Run, source: string): Promise<unknown> {
  const plan = await run(["plan", "-input=false", "-no-color", "-lock=false", "-out=tfplan"]);
  if (plan.code !== 0) throw new TerraformPlanError(`terraform plan failed for ${source} (exit ${plan.code}):\n${tail(plan.stderr || plan.stdout)}`);
  const show = await run(["show", "-json", "tfplan"]);
  if (show.code !== 0) throw new TerraformPlanError(`terraform show -json failed for ${source} (exit ${show.code}):\n${tail(show.stderr)}`);
  return JSON.parse(show.stdout);
}
