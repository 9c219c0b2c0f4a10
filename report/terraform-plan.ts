/**
 * Validates and plans one synthesized stack (a folder holding `cdk.tf.json`) and returns
 * what a reviewer needs: validation diagnostics and the plan's add / change / destroy counts with every replacement named.
 *
 * Two modes, chosen by `offline`:
 *
 * - **online** (a real CI run with cloud credentials): a plain `terraform init` + `terraform plan -out` +
 *   `terraform show -json` in a scratch copy of the stack, with the stack's own backend and providers.
 *   `pluginDir` (or TF_PLUGIN_DIR) still applies, for air-gapped runners with credentials.
 * - **offline** (no credentials, no network; developers' machines and air-gapped CI): the scratch copy gets a
 *   `zz_offline_override.tf.json` that gives every `aws` provider block dummy credentials plus the four `skip_*`
 *   switches and swaps the backend for `local`; `terraform init -plugin-dir=<mirror>` installs providers from the mirror.
 *   Data sources cannot be read without AWS, so the plan runs through `terraform test` with a generated
 *   `tests/offline.tftest.hcl` holding one `override_data` block per data source that would call AWS, and
 *   `run "plan" { command = plan }`; `terraform test -json -verbose` prints the plan as JSON, which is summarized here
 *   exactly like `terraform show -json` output. Measured with Terraform 1.11.4 and hashicorp/aws 5.100.0: a plain
 *   `terraform plan` with fake credentials fails on the first data source (`dial tcp: lookup secretsmanager...`), while
 *   the test route plans the whole configuration. No separate `terraform validate` runs offline: `terraform test`
 *   validates the run's configuration first, with the call `terraform validate` makes (Terraform 1.11
 *   internal/backend/local/test.go, TestFileRunner.run -> Context.Validate), so errors fail the plan with Terraform's
 *   diagnostics, and `validate` holds the run's warnings. Each Terraform process loads the aws provider's schema
 *   (~3 s of CPU); planStacksOffline plans several stacks in one process.
 *
 * Overridden data sources get values Terraform makes up (random strings), unless `dataOverrides` or the defaults below
 * supply some; supply values wherever a resource validates what it receives (e.g. an ElastiCache auth token must be
 * 16-128 characters). Nothing read or invented here is written anywhere but the scratch folder, which is removed.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";

export interface PlanStackOptions {
  /**
   * Plan without credentials or network: dummy aws credentials, local backend, data sources overridden.
   * @default true
   */
  readonly offline?: boolean;
  /**
   * Provider mirror root (the folder holding `registry.terraform.io/`), passed as `terraform init -plugin-dir`.
   * @default - offline: TF_PLUGIN_DIR, else detected by findPluginDir(); online: TF_PLUGIN_DIR, else the registry
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
  readonly mode: "offline" | "online";
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

export const OFFLINE_OVERRIDE_FILE = "zz_offline_override.tf.json";
export const OFFLINE_TEST_FILE = join("tests", "offline.tftest.hcl");

/**
 * Data sources the aws provider computes without calling AWS: overriding them would replace a correct value (a policy
 * document, the partition) with random text that the resources using them then reject.
 */
export const OFFLINE_LOCAL_DATA_SOURCES: ReadonlySet<string> = new Set([
  "aws_iam_policy_document",
  "aws_partition",
  "aws_region",
  "aws_arn",
  "aws_default_tags",
]);

/**
 * Values for overridden data sources whose attributes reach validated resource arguments. Placeholders only: they are
 * visibly fake and never leave the scratch folder.
 */
export const OFFLINE_DATA_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  // An ElastiCache auth_token must be 16-128 printable characters without @, " or /.
  aws_secretsmanager_secret_version: { secret_string: "offline-plan-placeholder-token-0000" },
  aws_caller_identity: { account_id: "111122223333", arn: "arn:aws:iam::111122223333:user/offline-plan", user_id: "OFFLINEPLAN" },
  aws_kms_key: { arn: "arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-000000000000" },
};

/** Fake credentials and the switches that stop the aws provider from checking them; see REFERENCE.md section 5. */
const OFFLINE_AWS_PROVIDER_SETTINGS = {
  access_key: "offline-plan-dummy",
  secret_key: "offline-plan-dummy",
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
} as const;

const DEFAULT_TIMEOUT_MS = 600_000;

export async function planStackOffline(stackDir: string, options: Omit<PlanStackOptions, "offline"> = {}): Promise<PlanStackResult> {
  return planStack(stackDir, { ...options, offline: true });
}

export async function planStack(stackDir: string, options: PlanStackOptions = {}): Promise<PlanStackResult> {
  const offline = options.offline ?? true;
  const source = resolve(stackDir);
  const configuration = readStackConfiguration(source);
  const terraform = options.terraformBinary ?? process.env.TERRAFORM_BINARY ?? "terraform";
  const timeoutMs = options.commandTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pluginDir = options.pluginDir ?? process.env.TF_PLUGIN_DIR ?? (offline ? await findPluginDir() : undefined);
  if (offline && pluginDir === undefined) {
    throw new TerraformPlanError(
      "offline plan: no provider mirror found; set TF_PLUGIN_DIR to the folder holding registry.terraform.io/ (see docs/ci.md), or plan online with credentials",
    );
  }
  if (pluginDir !== undefined) checkMirrorHoldsProviders(pluginDir, configuration);

  const env = terraformEnvironment();
  const terraformVersion = await readTerraformVersion(terraform, env);
  const workDir = mkdtempSync(join(tmpdir(), `tf-plan-${basename(source)}-`));
  try {
    copyStack(source, workDir, offline);
    const overriddenData = offline ? writeOfflineHarness(workDir, configuration, options.dataOverrides ?? {}) : [];
    const run = (args: string[]) => runTerraform(terraform, args, workDir, env, timeoutMs);

    const initArgs = ["init", "-input=false", "-no-color", ...(pluginDir ? [`-plugin-dir=${pluginDir}`] : [])];
    const init = await run(initArgs);
    if (init.code !== 0) throw new TerraformPlanError(`terraform ${initArgs.join(" ")} failed (exit ${init.code}) in a copy of ${source}:\n${tail(init.stderr || init.stdout)}`);

    let validate: ValidateResult;
    let planJson: unknown;
    if (offline) {
      // `terraform test` validates the run's configuration before planning it, as `terraform validate` would (see
      // planStacksOffline): a separate validate would load the provider's schema a second time for nothing.
      const planned = await planThroughTest(run, source);
      planJson = planned.plan;
      validate = { valid: true, errorCount: 0, warningCount: planned.warnings.length, diagnostics: planned.warnings };
    } else {
      const validateRun = await run(["validate", "-json", "-no-color"]);
      validate = parseValidate(validateRun.stdout, validateRun.stderr);
      if (!validate.valid) {
        throw new TerraformPlanError(`terraform validate found ${validate.errorCount} error(s) in ${source}`, validate.diagnostics.filter((d) => d.severity === "error"));
      }
      planJson = await planDirectly(run, source);
    }
    return {
      mode: offline ? "offline" : "online",
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
 * Each stack is copied into its own subfolder of the scratch folder without its backend (a run block's module keeps its
 * state in memory) and planned by `run "stack_<index>" { module { source = "./stack_<index>" } }`. No separate
 * `terraform validate` runs: `terraform test` validates each run's configuration before planning it, with the same call
 * (`Context.Validate`) that `terraform validate` makes (Terraform 1.11 internal/backend/local/test.go,
 * TestFileRunner.run), so a stack with an error fails here with Terraform's diagnostics, and `validate` reports that
 * run's diagnostics (validation's and the plan's). With keepWorkDir, every result names the shared scratch folder and
 * `testRun` its run block, e.g. to print the plans as text with `terraform test -verbose`.
 */
export async function planStacksOffline(stacks: readonly OfflineStack[], options: Omit<PlanStackOptions, "offline" | "dataOverrides"> = {}): Promise<PlanStackResult[]> {
  if (stacks.length === 0) return [];
  const sources = stacks.map((stack) => resolve(stack.directory));
  const configurations = sources.map(readStackConfiguration);
  const terraform = options.terraformBinary ?? process.env.TERRAFORM_BINARY ?? "terraform";
  const timeoutMs = options.commandTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pluginDir = options.pluginDir ?? process.env.TF_PLUGIN_DIR ?? (await findPluginDir());
  if (pluginDir === undefined) {
    throw new TerraformPlanError(
      "offline plan: no provider mirror found; set TF_PLUGIN_DIR to the folder holding registry.terraform.io/ (see docs/ci.md), or plan online with credentials",
    );
  }
  for (const configuration of configurations) checkMirrorHoldsProviders(pluginDir, configuration);

  const env = terraformEnvironment();
  const terraformVersion = await readTerraformVersion(terraform, env);
  const workDir = mkdtempSync(join(tmpdir(), "tf-plan-stacks-"));
  try {
    const runs: string[] = [];
    const overriddenData = stacks.map((stack, index) => {
      const name = `stack_${index}`;
      const folder = join(workDir, name);
      copyStack(sources[index]!, folder, true);
      dropBackend(folder);
      writeFileSync(join(folder, OFFLINE_OVERRIDE_FILE), `${JSON.stringify(offlineOverride(configurations[index]!, false), null, 2)}\n`);
      const { blocks, overridden } = overrideDataBlocks(configurations[index]!, stack.dataOverrides ?? {}, "  ");
      runs.push(`run "${name}" {\n  command = plan\n  module {\n    source = "./${name}"\n  }\n${blocks.join("")}}\n`);
      return overridden;
    });
    // The root module only hosts the runs; init finds the providers through the run blocks' modules.
    writeFileSync(join(workDir, "main.tf.json"), "{}\n");
    mkdirSync(join(workDir, dirname(OFFLINE_TEST_FILE)), { recursive: true });
    writeFileSync(join(workDir, OFFLINE_TEST_FILE), `${TEST_FILE_HEADER}\n${runs.join("\n")}`);
    const run = (args: string[]) => runTerraform(terraform, args, workDir, env, timeoutMs);

    const initArgs = ["init", "-input=false", "-no-color", `-plugin-dir=${pluginDir}`];
    const init = await run(initArgs);
    if (init.code !== 0) throw new TerraformPlanError(`terraform ${initArgs.join(" ")} failed (exit ${init.code}) for ${sources.join(", ")}:\n${tail(init.stderr || init.stdout)}`);

    const result = await run(["test", "-json", "-verbose", "-no-color"]);
    const byRun = readTestRuns(result.stdout);
    return sources.map((source, index) => {
      const name = `stack_${index}`;
      const outcome = byRun.get(name);
      const diagnostics = outcome?.diagnostics ?? [];
      const errors = diagnostics.filter((d) => d.severity === "error");
      if (outcome?.plan === undefined || errors.length > 0) {
        const unattributed = byRun.get("")?.diagnostics ?? [];
        throw new TerraformPlanError(
          `offline terraform plan (terraform test) failed for ${source} (exit ${result.code})${errors.length + unattributed.length === 0 ? `:\n${tail(result.stderr)}` : ""}`,
          [...errors, ...unattributed.filter((d) => d.severity === "error")],
        );
      }
      const warningCount = diagnostics.length - errors.length;
      return {
        mode: "offline" as const,
        terraformVersion,
        pluginDir,
        validate: { valid: true, errorCount: 0, warningCount, diagnostics },
        summary: summarizePlan(outcome.plan),
        overriddenData: overriddenData[index]!,
        ...(options.keepWorkDir ? { workDir, testRun: name } : {}),
      };
    });
  } catch (error) {
    if (options.keepWorkDir && error instanceof TerraformPlanError) error.message += `\n(scratch folder kept: ${workDir})`;
    throw error;
  } finally {
    if (!options.keepWorkDir) rmSync(workDir, { recursive: true, force: true });
  }
}

/** Each run's plan and diagnostics from `terraform test -json -verbose` output; diagnostics of no run are under "". */
function readTestRuns(stdout: string): Map<string, { plan?: unknown; diagnostics: TerraformDiagnostic[] }> {
  const runs = new Map<string, { plan?: unknown; diagnostics: TerraformDiagnostic[] }>();
  const of = (name: string) => {
    let entry = runs.get(name);
    if (!entry) runs.set(name, (entry = { diagnostics: [] }));
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

/** A run block's module is not a root module: a backend there only draws Terraform's "Backend configuration ignored" warning. */
function dropBackend(folder: string): void {
  for (const file of readdirSync(folder).filter((name) => name.endsWith(".tf.json"))) {
    const json = JSON.parse(readFileSync(join(folder, file), "utf8")) as { terraform?: { backend?: unknown; cloud?: unknown } };
    if (json.terraform?.backend === undefined && json.terraform?.cloud === undefined) continue;
    delete json.terraform.backend;
    delete json.terraform.cloud;
    writeFileSync(join(folder, file), JSON.stringify(json));
  }
}

/**
 * The provider mirror root: TF_PLUGIN_DIR, else /opt/tf-plugins, else the folder above `registry.terraform.io` of the
 * first `terraform-provider-aws_*` binary found on the root file system (REFERENCE.md section 5).
 */
export async function findPluginDir(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (env.TF_PLUGIN_DIR) return env.TF_PLUGIN_DIR;
  if (existsSync(join("/opt/tf-plugins", "registry.terraform.io"))) return "/opt/tf-plugins";
  // Searching the file system takes seconds to minutes: once per process is enough.
  searchedPluginDir ??= searchPluginDir(env);
  return searchedPluginDir;
}

let searchedPluginDir: Promise<string | undefined> | undefined;

async function searchPluginDir(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const found = await runCommand("find", ["/", "-xdev", "-name", "terraform-provider-aws_*", "-type", "f"], process.cwd(), env, 120_000).catch(() => undefined);
  for (const line of found?.stdout.split("\n") ?? []) {
    const index = line.indexOf("/registry.terraform.io/");
    if (index > 0) return line.slice(0, index);
  }
  return undefined;
}

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

interface StackConfiguration {
  readonly requiredProviders: ReadonlyArray<{ readonly localName: string; readonly source: string }>;
  readonly awsProviderAliases: ReadonlyArray<string | undefined>;
  readonly hasBackend: boolean;
  readonly dataSources: ReadonlyArray<{ readonly type: string; readonly name: string }>;
}

function readStackConfiguration(stackDir: string): StackConfiguration {
  const files = existsSync(stackDir) ? readdirSync(stackDir).filter((file) => file.endsWith(".tf.json")) : [];
  if (files.length === 0) throw new TerraformPlanError(`${stackDir}: no *.tf.json file; run \`npm run synth\` first`);
  const requiredProviders: { localName: string; source: string }[] = [];
  const awsProviderAliases: (string | undefined)[] = [];
  const dataSources: { type: string; name: string }[] = [];
  let hasBackend = false;
  for (const file of files) {
    const json = JSON.parse(readFileSync(join(stackDir, file), "utf8")) as {
      terraform?: { required_providers?: Record<string, { source?: string } | string>; backend?: Record<string, unknown>; cloud?: unknown };
      provider?: Record<string, unknown>;
      data?: Record<string, Record<string, unknown>>;
    };
    for (const [localName, requirement] of Object.entries(json.terraform?.required_providers ?? {})) {
      const source = typeof requirement === "string" ? `hashicorp/${localName}` : (requirement.source ?? `hashicorp/${localName}`);
      requiredProviders.push({ localName, source });
    }
    if (json.terraform?.backend && Object.keys(json.terraform.backend).length > 0) hasBackend = true;
    if (json.terraform?.cloud) hasBackend = true;
    const aws = json.provider?.aws;
    for (const block of aws === undefined ? [] : Array.isArray(aws) ? aws : [aws]) {
      awsProviderAliases.push((block as { alias?: string }).alias);
    }
    for (const [type, byName] of Object.entries(json.data ?? {})) {
      for (const name of Object.keys(byName)) dataSources.push({ type, name });
    }
  }
  return { requiredProviders, awsProviderAliases, hasBackend, dataSources };
}

/**
 * The providers a stack needs that the mirror does not hold (as `registry.terraform.io/<namespace>/<type>`); empty when
 * the mirror can serve the stack. Lets callers skip a plan that cannot work offline instead of failing it.
 */
export function providersMissingFromMirror(stackDir: string, pluginDir: string): string[] {
  const held = listMirror(pluginDir);
  return readStackConfiguration(resolve(stackDir))
    .requiredProviders.map((provider) => normalizeSource(provider.source))
    .filter((source) => !held.includes(source));
}

/** Fails before init, with a message naming what is missing, when the mirror cannot serve every provider. */
function checkMirrorHoldsProviders(pluginDir: string, configuration: StackConfiguration): void {
  const held = listMirror(pluginDir);
  const missing = configuration.requiredProviders.filter((provider) => !held.includes(normalizeSource(provider.source)));
  if (missing.length > 0) {
    throw new TerraformPlanError(
      `provider mirror ${pluginDir} lacks ${missing.map((p) => normalizeSource(p.source)).join(", ")} (it holds ${held.join(", ") || "nothing"}); ` +
        "add those providers to the mirror (terraform providers mirror) or plan online",
    );
  }
}

function normalizeSource(source: string): string {
  // cdktf writes prebuilt providers as a bare type ("aws"), which Terraform reads as hashicorp/<type>.
  const parts = source.toLowerCase().split("/");
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${parts[0]}`;
  return parts.length === 3 ? parts.join("/") : `registry.terraform.io/${parts.join("/")}`;
}

function listMirror(pluginDir: string): string[] {
  const held: string[] = [];
  const safeDirs = (dir: string) => (existsSync(dir) && statSync(dir).isDirectory() ? readdirSync(dir) : []);
  for (const host of safeDirs(pluginDir)) {
    for (const namespace of safeDirs(join(pluginDir, host))) {
      for (const type of safeDirs(join(pluginDir, host, namespace))) held.push(`${host}/${namespace}/${type}`.toLowerCase());
    }
  }
  return held;
}

/** Copies the configuration only: no earlier .terraform folder, state or (offline) lock file that could disagree with the mirror. */
function copyStack(source: string, workDir: string, offline: boolean): void {
  cpSync(source, workDir, {
    recursive: true,
    filter: (path) => {
      const name = basename(path);
      if (name === ".terraform" || name.endsWith(".tfstate") || name.endsWith(".tfstate.backup") || name === OFFLINE_OVERRIDE_FILE) return false;
      if (offline && name === ".terraform.lock.hcl") return false;
      return true;
    },
  });
}

/** Writes the override file and the test file; returns the data source addresses that will be made up. */
function writeOfflineHarness(
  workDir: string,
  configuration: StackConfiguration,
  dataOverrides: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
): string[] {
  writeFileSync(join(workDir, OFFLINE_OVERRIDE_FILE), `${JSON.stringify(offlineOverride(configuration, configuration.hasBackend), null, 2)}\n`);
  const { blocks, overridden } = overrideDataBlocks(configuration, dataOverrides, "");
  mkdirSync(join(workDir, dirname(OFFLINE_TEST_FILE)), { recursive: true });
  writeFileSync(
    join(workDir, OFFLINE_TEST_FILE),
    `${TEST_FILE_HEADER}\n${blocks.join("\n")}\nrun "plan" {\n  command = plan\n}\n`,
  );
  return overridden;
}

const TEST_FILE_HEADER = "# Generated by report/terraform-plan.ts: plans without AWS by making up every data source AWS would be asked for.";

/** Dummy credentials for every aws provider block, and (when asked) a local backend in place of the stack's own. */
function offlineOverride(configuration: StackConfiguration, localBackend: boolean): Record<string, unknown> {
  const override: Record<string, unknown> = {};
  if (localBackend) override.terraform = { backend: { local: { path: "terraform.tfstate" } } };
  if (configuration.awsProviderAliases.length > 0) {
    override.provider = {
      aws: configuration.awsProviderAliases.map((alias) => ({ ...(alias ? { alias } : {}), ...OFFLINE_AWS_PROVIDER_SETTINGS })),
    };
  }
  return override;
}

/** One `override_data` block per data source that would call AWS, indented by `indent`; refuses overrides for any other. */
function overrideDataBlocks(
  configuration: StackConfiguration,
  dataOverrides: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
  indent: string,
): { blocks: string[]; overridden: string[] } {
  const overridden = configuration.dataSources.filter((data) => !OFFLINE_LOCAL_DATA_SOURCES.has(data.type));
  const blocks = overridden.map((data) => {
    const address = `data.${data.type}.${data.name}`;
    const values = { ...(OFFLINE_DATA_DEFAULTS[data.type] ?? {}), ...(dataOverrides[address] ?? {}) };
    const valuesLine = Object.keys(values).length > 0 ? `\n${indent}  values = ${hclValue(values, `${indent}  `)}` : "";
    return `${indent}override_data {\n${indent}  target = ${address}${valuesLine}\n${indent}}\n`;
  });
  const unknown = Object.keys(dataOverrides).filter((address) => !overridden.some((data) => `data.${data.type}.${data.name}` === address));
  if (unknown.length > 0) {
    throw new TerraformPlanError(`dataOverrides names ${unknown.join(", ")}, which the stack does not read (it reads ${overridden.map((d) => `data.${d.type}.${d.name}`).join(", ") || "no data source that needs overriding"})`);
  }
  return { blocks, overridden: overridden.map((data) => `data.${data.type}.${data.name}`) };
}

/** HCL literal for a JSON-like value; template sequences are escaped so strings stay literal. */
export function hclValue(value: unknown, indent = ""): string {
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value).replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map((item) => hclValue(item, indent)).join(", ")}]`;
  if (typeof value === "object") {
    const inner = `${indent}  `;
    const entries = Object.entries(value as Record<string, unknown>).map(([key, item]) => `${inner}${JSON.stringify(key)} = ${hclValue(item, inner)}`);
    return `{\n${entries.join("\n")}\n${indent}}`;
  }
  throw new TerraformPlanError(`cannot express ${typeof value} as an HCL value`);
}

type Run = (args: string[]) => Promise<CommandResult>;

/** The plan and the warnings of the offline harness's one run; Terraform's errors (validation's or the plan's) throw. */
async function planThroughTest(run: Run, source: string): Promise<{ plan: unknown; warnings: TerraformDiagnostic[] }> {
  const result = await run(["test", "-json", "-verbose", "-no-color"]);
  const runs = readTestRuns(result.stdout);
  const plan = runs.get("plan")?.plan;
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

function parseValidate(stdout: string, stderr: string): ValidateResult {
  let json: { valid: boolean; error_count: number; warning_count: number; diagnostics?: RawDiagnostic[] };
  try {
    json = JSON.parse(stdout) as typeof json;
  } catch {
    throw new TerraformPlanError(`terraform validate -json printed no JSON:\n${tail(stderr || stdout)}`);
  }
  return { valid: json.valid, errorCount: json.error_count, warningCount: json.warning_count, diagnostics: (json.diagnostics ?? []).map(toDiagnostic) };
}

function formatDiagnostic(diagnostic: TerraformDiagnostic): string {
  const where = diagnostic.address ? ` (${diagnostic.address})` : "";
  return `  - ${diagnostic.severity}: ${diagnostic.summary}${where}${diagnostic.detail ? `: ${diagnostic.detail.split("\n")[0]}` : ""}`;
}

/** The Terraform version on PATH (or TERRAFORM_BINARY), or undefined when it cannot run. */
export async function terraformVersion(terraform = process.env.TERRAFORM_BINARY ?? "terraform"): Promise<string | undefined> {
  return readTerraformVersion(terraform, terraformEnvironment()).catch(() => undefined);
}

async function readTerraformVersion(terraform: string, env: NodeJS.ProcessEnv): Promise<string> {
  const result = await runCommand(terraform, ["version", "-json"], process.cwd(), env, 60_000).catch((error: Error) => {
    throw new TerraformPlanError(`cannot run ${JSON.stringify(terraform)} (${error.message}); install Terraform >= 1.7 or set TERRAFORM_BINARY`);
  });
  if (result.code !== 0) throw new TerraformPlanError(`${terraform} version failed (exit ${result.code}): ${tail(result.stderr)}`);
  return (JSON.parse(result.stdout) as { terraform_version: string }).terraform_version;
}

/**
 * The caller's environment, plus automation switches. A TF_CLI_CONFIG_FILE naming a missing file only makes every
 * command print a warning, so it is dropped; an existing one (credentials, mirrors) is kept.
 */
function terraformEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1" };
  if (env.TF_CLI_CONFIG_FILE && !existsSync(env.TF_CLI_CONFIG_FILE)) delete env.TF_CLI_CONFIG_FILE;
  return env;
}

interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runTerraform(terraform: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<CommandResult> {
  return runCommand(terraform, args, cwd, env, timeoutMs);
}

function runCommand(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<CommandResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const timer = setTimeout(() => {
      child.kill("SIGTERM");
      reject(new TerraformPlanError(`${command} ${args.join(" ")} did not finish within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? 1, stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8") });
    });
  });
}

function tail(text: string, lines = 30): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}
