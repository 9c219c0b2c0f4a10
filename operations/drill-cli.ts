/**
 * `npm run drill -- --stack <name> [--at <time>] [--expires-on <date>] [--plan | --destroy] [--skip-verify]`: deploys
 * a drill of the recovery (config/drill.ts: its own names, state, hosts; production untouched), shows Terraform's
 * progress as it goes, verifies the drill's Medplum, and writes the drill record. See docs/drills.md.
 */
import "../config/zod-jitless"; // before any schema is built
import { resolve } from "node:path";
import { spawn } from "node:child_process";
import { loadDrillConfig } from "../config/drill";
import { configPathFromEnvironment, RecoveryConfigError } from "../config/load";
import { parseRfc3339 } from "../config/schema/common";
import { display } from "../synth/output-folder";
import { synthesize } from "../synth/synthesize";
import { checkedUrl, disasterTime, EXIT, parseOptions, UsageError } from "./cli-support";
import { CredentialsUnavailableError, EnvironmentCredentialSource } from "./credentials";
import { buildDrillRecord, DRILLS_DIR, writeDrillRecord } from "./drill-record";
import { targetOfStack } from "./stacks";
import { applyWithProgress } from "./terraform-events";
import { renderVerifyText, runVerify } from "./verify/run";

export const HELP = `Usage: npm run drill -- --stack <name> [--at <time>] [--expires-on <date>] [--url <url>] [--plan | --destroy] [--skip-verify]

Rehearses a recovery without touching production: synthesizes a drill of the recovery config (its drill section:
environment <environment>-<suffix>, its own Terraform state, deletion protection off, drill tags, the drill's own
hosts, DNS zone, certificate and alerts) into cdktf.out.drill/, then in cdktf.out.drill/stacks/<name>:
  terraform init, terraform apply -json (a progress line per step and resource, with the elapsed time),
  npm run verify against the drill's baseUrl, and a drill record in drills/<name>/<start time>.json.

Options:
  --stack <name>        the recovery stack to rehearse, e.g. recovery-aws
  --at <time>           the restore point the drill recovers to (RFC 3339), for the measured RPO; default: the start
  --expires-on <date>   the drill's last day (YYYY-MM-DD), written into its tags; default: drill.expiresOn, else
                        three days after the start
  --url <url>           verify this base URL instead of the drill's baseUrl (the load balancer, before the drill's
                        DNS record resolves); https, or http to a loopback address
  --plan                synthesize and terraform plan only: what the drill would create (nothing is applied)
  --destroy             tear the drill down (terraform destroy of the drill's own state; a recovery's state is never
                        this one)
  --skip-verify         apply and record without verifying (the record then has no measured RTO or RPO)
  --help                this text

Config: RECOVERY_CONFIG (default config/example.yaml). Terraform: TERRAFORM_BINARY, else terraform on PATH.
Credentials for verify: as npm run verify (verify.credentials).
Exit codes: 0 done (and verify passed); 1 Terraform or verify failed, or the synth was refused; 2 bad input.
`;

export const DRILL_OUTDIR = "cdktf.out.drill";

function today(now: Date, plusDays: number): string {
  return new Date(now.getTime() + plusDays * 86_400_000).toISOString().slice(0, 10);
}

/** Terraform with its output passed through, asynchronously (a drill's init downloads providers for minutes). */
function terraform(binary: string, args: readonly string[], cwd: string, err: (line: string) => void): Promise<number | null> {
  return new Promise((done, fail) => {
    const child = spawn(binary, [...args], { cwd, env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    const forward = (chunk: Buffer) =>
      chunk
        .toString()
        .split("\n")
        .filter((line) => line.trim() !== "")
        .forEach(err);
    child.stdout.on("data", forward);
    child.stderr.on("data", forward);
    child.on("error", fail);
    child.on("close", done);
  });
}

export interface DrillIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly now: () => Date;
  /** Where drill records go. @default drills */
  readonly recordsDir?: string;
  /** Where the drill is synthesized. @default cdktf.out.drill */
  readonly outdir?: string;
}

const defaultIo: DrillIo = { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`), now: () => new Date() };

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, io: DrillIo = defaultIo): Promise<number> {
  let values;
  try {
    values = parseOptions(argv, {
      stack: { type: "string" },
      at: { type: "string" },
      "expires-on": { type: "string" },
      plan: { type: "boolean", default: false },
      destroy: { type: "boolean", default: false },
      "skip-verify": { type: "boolean", default: false },
      url: { type: "string" },
      help: { type: "boolean", default: false },
    });
  } catch (error) {
    io.err(`drill: ${(error as Error).message}; see npm run drill -- --help`);
    return EXIT.badInput;
  }
  if (values.help) {
    io.out(HELP.trimEnd());
    return EXIT.ok;
  }
  const startedAt = io.now();
  let prepared;
  try {
    if (values.stack === undefined || values.stack === "") throw new UsageError("--stack: is missing; give the stack to rehearse, e.g. --stack recovery-aws");
    if (values.plan && values.destroy) throw new UsageError("--plan and --destroy: give one of them (--plan shows what a drill creates, --destroy removes it)");
    const expiresOn = values["expires-on"];
    if (expiresOn !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(expiresOn) || "problem" in parseRfc3339(`${expiresOn}T00:00:00Z`))) {
      throw new UsageError(`--expires-on: "${expiresOn}" is not a date such as 2026-12-05 (YYYY-MM-DD)`);
    }
    const at = values.at === undefined ? startedAt : disasterTime(values.at);
    const configPath = configPathFromEnvironment(env);
    const variant = loadDrillConfig(configPath, { ...(expiresOn !== undefined ? { expiresOn } : {}), defaultExpiresOn: today(startedAt, 3) });
    const stack = targetOfStack(values.stack, variant.config);
    if ("problem" in stack) throw new UsageError(stack.problem);
    const baseUrl = values.url === undefined ? variant.config.medplum.baseUrl : checkedUrl(values.url);
    prepared = { variant, at, stack: values.stack, baseUrl };
  } catch (error) {
    if (error instanceof UsageError || error instanceof RecoveryConfigError) {
      io.err(`drill: ${error.message}`);
      return EXIT.badInput;
    }
    throw error;
  }
  const { variant, at, stack, baseUrl } = prepared;
  const { config } = variant;

  const outdir = resolve(io.outdir ?? DRILL_OUTDIR);
  const outcome = synthesize({ config, outdir, fromCli: false, forbiddenHosts: variant.productionHosts });
  if (outcome.policy !== undefined) io.err(outcome.policy);
  if (outcome.status !== "written") {
    io.err(`drill: ${outcome.reason}`);
    return EXIT.failed;
  }
  const stackDir = resolve(outdir, "stacks", stack);
  io.err(`drill: ${stack} as ${config.environment} (expires ${config.drill?.expiresOn}), in ${display(stackDir)}`);

  const binary = env.TERRAFORM_BINARY ?? "terraform";
  if ((await terraform(binary, ["init", "-input=false", "-no-color"], stackDir, io.err)) !== 0) {
    io.err("drill: terraform init failed (above)");
    return EXIT.failed;
  }
  if (values.plan || values.destroy) {
    const args = values.plan ? ["plan", "-input=false", "-no-color"] : ["destroy", "-input=false", "-auto-approve", "-no-color"];
    const code = await terraform(binary, args, stackDir, io.err);
    io.err(`drill: terraform ${args[0]} ${code === 0 ? "done" : "failed (above)"}`);
    return code === 0 ? EXIT.ok : EXIT.failed;
  }

  const applied = await applyWithProgress({ cwd: stackDir, terraform: binary, progress: { write: io.err } });
  let verify = null;
  if (applied.exitCode === 0 && !values["skip-verify"]) {
    try {
      verify = await runVerify({
        stack,
        baseUrl,
        image: config.medplum.image,
        disasterTime: at,
        rpoObjectiveMinutes: config.objectives.rpoMinutes,
        verify: config.verify,
        credentials: new EnvironmentCredentialSource(config.verify.credentials, env),
        now: io.now,
      });
      io.out(renderVerifyText(verify).trimEnd());
    } catch (error) {
      if (!(error instanceof CredentialsUnavailableError)) throw error;
      io.err(`drill: verify skipped: ${error.message}`);
    }
  }
  const record = buildDrillRecord({ stack, startedAt, finishedAt: io.now(), timing: applied.timing, verify, objectives: config.objectives });
  const file = writeDrillRecord(record, io.recordsDir ?? DRILLS_DIR);
  io.out(`drill record: ${display(resolve(file))}; tear the drill down with npm run drill -- --stack ${stack} --destroy`);
  if (applied.exitCode !== 0) {
    io.err(`drill: terraform apply failed (exit ${applied.exitCode}); the record keeps what was created, and --destroy removes it`);
    return EXIT.failed;
  }
  return verify === null || verify.passed ? EXIT.ok : EXIT.failed;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`drill: ${(error as Error).stack ?? String(error)}`);
      process.exitCode = EXIT.badInput;
    },
  );
}
