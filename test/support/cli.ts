/**
 * The project's commands as a user runs them (`npm run synth` is `node bin/run.js synth`), in a child process.
 * Asynchronous: a command takes seconds, and a test worker whose event loop is blocked that long loses its link to
 * vitest ("Timeout calling onTaskUpdate").
 */
import { spawn } from "node:child_process";
import { join } from "node:path";

export const ROOT = join(__dirname, "../..");

export interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCommand(
  command: "synth" | "report" | "verify" | "redeploy-bots" | "drill",
  args: readonly string[] = [],
  options: { readonly cwd?: string; readonly env?: Record<string, string | undefined> } = {},
): Promise<CommandResult> {
  // The cdktf CLI's variable would redirect the output; a test that wants it sets it.
  return runProcess(process.execPath, [join(ROOT, "bin/run.js"), command, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { CDKTF_OUTDIR: undefined, ...options.env },
  });
}

/** Any program, asynchronously, for the same reason (Terraform, shellcheck, psql). */
export function runProcess(
  program: string,
  args: readonly string[],
  options: { readonly cwd?: string; readonly env?: Record<string, string | undefined> } = {},
): Promise<CommandResult> {
  return new Promise((done, fail) => {
    const child = spawn(program, args, { cwd: options.cwd ?? ROOT, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", fail);
    child.on("close", (status) => done({ status, stdout, stderr }));
  });
}
