/**
 * Proves with real Terraform that a second run naming a newer restore source leaves the recovered database alone.
 *
 * `terraform test` with a mocked aws provider applies the synthesized stack (run "restore"), then plans it again with
 * the database's restore input changed (run "rerun", same state). To change one input without a second configuration,
 * the test copy of the stack reads that input from a variable. The mock provider computes no ForceNew replacements
 * (those come from the real provider's plan), so the proof is that the rerun plans no change at all to the database,
 * where without `ignore_changes` it plans one; teardown additionally shows `prevent_destroy` at work.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface RerunResult {
  /** Actions planned by the rerun, per resource address, without no-ops. */
  readonly rerunChanges: ReadonlyArray<{ address: string; actions: string[] }>;
  readonly runStatuses: Readonly<Record<string, string>>;
  /** Summaries of error diagnostics (e.g. teardown refused by prevent_destroy). */
  readonly errors: readonly string[];
}

const ACCOUNT = "111122223333";
const KEY_ARN = `arn:aws:kms:us-west-2:${ACCOUNT}:key/00000000-0000-4000-8000-000000000000`;
const MASTER_SECRET = (kind: string) =>
  `[{ secret_arn = "arn:aws:secretsmanager:us-west-2:${ACCOUNT}:secret:rds!${kind}-mock", kms_key_id = "${KEY_ARN}", secret_status = "active" }]`;

/** ARN-shaped values for computed attributes the provider validates when other resources use them. */
const MOCK_DEFAULTS: Readonly<Record<string, string>> = {
  aws_sns_topic: `arn = "arn:aws:sns:us-west-2:${ACCOUNT}:mock"`,
  aws_lb: `arn = "arn:aws:elasticloadbalancing:us-west-2:${ACCOUNT}:loadbalancer/app/mock/0123456789abcdef"`,
  aws_lb_target_group: `arn = "arn:aws:elasticloadbalancing:us-west-2:${ACCOUNT}:targetgroup/mock/0123456789abcdef"`,
  aws_cloudwatch_log_group: `arn = "arn:aws:logs:us-west-2:${ACCOUNT}:log-group:mock"`,
  aws_kms_key: `arn = "${KEY_ARN}"`,
  aws_iam_role: `arn = "arn:aws:iam::${ACCOUNT}:role/mock"`,
  aws_ecs_cluster: `arn = "arn:aws:ecs:us-west-2:${ACCOUNT}:cluster/mock"`,
  aws_ecs_task_definition: `arn = "arn:aws:ecs:us-west-2:${ACCOUNT}:task-definition/mock:1"`,
  aws_s3_bucket: `arn = "arn:aws:s3:::mock"`,
  aws_rds_cluster: `master_user_secret = ${MASTER_SECRET("cluster")}`,
  aws_db_instance: `master_user_secret = ${MASTER_SECRET("db")}`,
};

export interface RerunCase {
  /** Folder with the synthesized cdk.tf.json. */
  readonly stackDir: string;
  /** The database resource type. */
  readonly database: "aws_rds_cluster" | "aws_db_instance";
  /** The restore input to change, e.g. ["snapshot_identifier"] or ["restore_to_point_in_time", "source_db_instance_automated_backups_arn"]. */
  readonly inputPath: readonly string[];
  /** What the rerun names instead. */
  readonly newerValue: string;
  /** Control experiment: drop the database's ignore_changes to show the rerun would then change it. */
  readonly withoutIgnoreChanges?: boolean;
  /**
   * The input comes from a data source read at plan time (restore.source standby): instead of a variable, each run
   * overrides that data source, the restore with `values`, the rerun with `newerValues`; `inputPath` and `newerValue`
   * are then unused.
   */
  readonly fromData?: {
    readonly address: string;
    readonly values: Readonly<Record<string, string>>;
    readonly newerValues: Readonly<Record<string, string>>;
  };
}

/**
 * Every case in one `terraform init` and one `terraform test`: each case is a test file of its own (its own state, its
 * own teardown) whose runs use the case's copy of the stack as their module. One Terraform process loads the aws
 * provider's schema once (~3 s of CPU) for all cases. Results are in the order of `cases`.
 */
export async function rerunsWithNewerRestoreSource(
  cases: readonly RerunCase[],
  options: { pluginDir: string; fakeRedisToken: string },
): Promise<RerunResult[]> {
  const workDir = mkdtempSync(join(tmpdir(), "medplum-dr-rerun-"));
  try {
    mkdirSync(join(workDir, "tests"));
    // The root module only hosts the test files; init finds the aws provider through their runs' modules.
    writeFileSync(join(workDir, "main.tf.json"), "{}\n");
    for (const [index, rerun] of cases.entries()) writeCase(workDir, `case_${index}`, rerun, options.fakeRedisToken);

    const env = { ...process.env, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" };
    const init = await terraform(["init", "-input=false", "-no-color", `-plugin-dir=${options.pluginDir}`], workDir, env);
    if (init.code !== 0) throw new Error(`terraform init failed: ${init.stderr}`);
    const test = await terraform(["test", "-json", "-verbose", "-no-color"], workDir, env);

    const results = cases.map(() => ({
      rerunChanges: [] as Array<{ address: string; actions: string[] }>,
      runStatuses: {} as Record<string, string>,
      errors: [] as string[],
    }));
    const unattributed: string[] = [];
    for (const line of test.stdout.split("\n")) {
      if (!line.startsWith("{")) continue;
      const message = JSON.parse(line);
      const match = /^tests\/case_(\d+)\.tftest\.hcl$/.exec(message["@testfile"] ?? "");
      const result = match ? results[Number(match[1])] : undefined;
      if (message.type === "diagnostic" && message.diagnostic.severity === "error" && !result) unattributed.push(message.diagnostic.summary);
      if (!result) continue;
      if (message.type === "test_plan" && message["@testrun"] === "rerun") {
        for (const change of message.test_plan.resource_changes ?? []) {
          if (change.change.actions.join() !== "no-op") result.rerunChanges.push({ address: change.address, actions: change.change.actions });
        }
      }
      if (message.type === "test_run" && message.test_run?.progress === "complete") result.runStatuses[message["@testrun"]] = message.test_run.status;
      if (message.type === "diagnostic" && message.diagnostic.severity === "error") result.errors.push(message.diagnostic.summary);
    }
    if (unattributed.length > 0) throw new Error(`terraform test failed outside any case: ${unattributed.join("; ")}`);
    return results;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** The case's copy of the stack in `<workDir>/<name>/` and its test file `tests/<name>.tftest.hcl`. */
function writeCase(workDir: string, name: string, rerun: RerunCase, fakeRedisToken: string): void {
  const stack = JSON.parse(readFileSync(join(rerun.stackDir, "cdk.tf.json"), "utf8"));
  const databases = Object.values(stack.resource[rerun.database] as Record<string, Record<string, unknown>>);
  if (databases.length !== 1) throw new Error(`expected one ${rerun.database}, found ${databases.length}`);
  let holder: Record<string, unknown> = databases[0]!;
  for (const key of rerun.inputPath.slice(0, -1)) holder = holder[key] as Record<string, unknown>;
  const last = rerun.inputPath[rerun.inputPath.length - 1]!;
  if (rerun.fromData === undefined) {
    stack.variable = { ...(stack.variable ?? {}), restore_input: { type: "string", default: holder[last] } };
    holder[last] = "${var.restore_input}";
  }
  if (rerun.withoutIgnoreChanges) delete (databases[0]!.lifecycle as Record<string, unknown>).ignore_changes;
  // A run's module keeps its state in memory; a backend block there would only draw a warning.
  delete stack.terraform.backend;
  mkdirSync(join(workDir, name));
  writeFileSync(join(workDir, name, "cdk.tf.json"), JSON.stringify(stack));

  const secretSource = Object.keys(stack.data.aws_secretsmanager_secret_version)[0];
  const mocks = Object.entries(MOCK_DEFAULTS)
    .map(([type, defaults]) => `  mock_resource "${type}" {\n    defaults = { ${defaults} }\n  }`)
    .join("\n");
  writeFileSync(
    join(workDir, "tests", `${name}.tftest.hcl`),
    `mock_provider "aws" {
  override_data {
    target = data.aws_secretsmanager_secret_version.${secretSource}
    values = { secret_string = ${JSON.stringify(fakeRedisToken)} }
  }
${mocks}
}

run "restore" {
  command = apply
  module {
    source = "./${name}"
  }
${rerun.fromData === undefined ? "" : dataOverride(rerun.fromData.address, rerun.fromData.values)}}

run "rerun" {
  command = plan
  module {
    source = "./${name}"
  }
${
  rerun.fromData === undefined
    ? `  variables {
    restore_input = ${JSON.stringify(rerun.newerValue)}
  }
`
    : dataOverride(rerun.fromData.address, rerun.fromData.newerValues)
}}
`,
  );
}

/** A run-level override_data block: what the data source returns in that run only. */
function dataOverride(address: string, values: Readonly<Record<string, string>>): string {
  const body = Object.entries(values)
    .map(([key, value]) => `${key} = ${JSON.stringify(value)}`)
    .join(", ");
  return `  override_data {
    target = ${address}
    values = { ${body} }
  }
`;
}

/** Runs Terraform without blocking the test worker's event loop (vitest's RPC times out on a long spawnSync). */
export function terraform(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.TERRAFORM_BINARY ?? "terraform", args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8") }));
  });
}
