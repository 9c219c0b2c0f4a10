/**
 * Spawning Terraform: the environment it runs in, a bounded child process per command, its version.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { TerraformPlanError } from "./types";

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** One Terraform command in a prepared folder (see terraformRunner). */
export type Run = (args: string[]) => Promise<CommandResult>;

export const DEFAULT_TIMEOUT_MS = 600_000;

/** The Terraform binary the options name, else TERRAFORM_BINARY, else `terraform` from PATH. */
export function terraformBinary(explicit?: string): string {
  return explicit ?? process.env.TERRAFORM_BINARY ?? "terraform";
}

/**
 * The caller's environment, plus automation switches. A TF_CLI_CONFIG_FILE naming a missing file only makes every
 * command print a warning, so it is dropped; an existing one (credentials, mirrors) is kept.
 */
export function terraformEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1" };
  if (env.TF_CLI_CONFIG_FILE && !existsSync(env.TF_CLI_CONFIG_FILE)) delete env.TF_CLI_CONFIG_FILE;
  return env;
}

/** Runs `terraform <args>` in `cwd`, each command bounded by `timeoutMs`. */
export function terraformRunner(terraform: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Run {
  return (args) => runCommand(terraform, args, cwd, env, timeoutMs);
}

/** The Terraform version on PATH (or TERRAFORM_BINARY), or undefined when it cannot run. */
export async function terraformVersion(terraform = terraformBinary()): Promise<string | undefined> {
  return readTerraformVersion(terraform, terraformEnvironment()).catch(() => undefined);
}

export async function readTerraformVersion(terraform: string, env: NodeJS.ProcessEnv): Promise<string> {
  const result = await runCommand(terraform, ["version", "-json"], process.cwd(), env, 60_000).catch((error: Error) => {
    throw new TerraformPlanError(`cannot run ${JSON.stringify(terraform)} (${error.message}); install Terraform >= 1.7 or set TERRAFORM_BINARY`);
  });
  if (result.code !== 0) throw new TerraformPlanError(`${terraform} version failed (exit ${result.code}): ${tail(result.stderr)}`);
  return (JSON.parse(result.stdout) as { terraform_version: string }).terraform_version;
}

export function runCommand(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<CommandResult> {
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

/** The last lines of a command's output, for an error message. */
export function tail(text: string, lines = 30): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}
