/**
 * Entry point for `npm run synth` and `cdktf synth|diff|deploy`: validates recovery configs and writes one Terraform
 * stack per target of each (synth/synthesize.ts). See `npm run synth -- --help`.
 *
 * Nothing is written unless the config validated, the policy pack and the apply-time rules found no unsuppressed error
 * in the files the synth wrote, and the output folder may be replaced (it holds no Terraform state and is a cdktf
 * output): a failed run never leaves a half-written plan for CI to apply.
 */
import "./config/zod-jitless"; // before any schema is built
import { basename, extname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadDrillConfig } from "./config/drill";
import { loadFailbackConfig } from "./config/failback";
import { configPathFromEnvironment, loadRecoveryConfig, RecoveryConfigError } from "./config/load";
import type { RecoveryConfig } from "./config/schema";
import { defaultLocalStatePath } from "./providers/backend";
import { TARGETS } from "./modules/registry";
import { display } from "./synth/output-folder";
import { synthesize } from "./synth/synthesize";

const HELP = `usage: npm run synth [-- [--outdir <dir>] [--drill [--expires-on <date>] | --failback] [<config.yaml> ...]]

Validates each recovery config and writes its recovery stacks as Terraform JSON, checked by the HIPAA-aligned policy
pack and the apply-time rules before anything is written.

  no config      RECOVERY_CONFIG, else config/example.yaml, into cdktf.out/ (or the cdktf CLI's CDKTF_OUTDIR)
  one config     into cdktf.out/ (or --outdir)
  several        each into cdktf.out.<file name>/ (config/customers/acme.yaml -> cdktf.out.acme/), in one process

  --outdir <dir>        the output folder, for one config
  --drill               a drill of each config instead (its drill section; docs/drills.md), into cdktf.out.drill/
                        (several: cdktf.out.<file name>.drill/); deploy it with npm run drill
  --expires-on <date>   the drill's last day, YYYY-MM-DD, instead of drill.expiresOn
  --failback            the move back to the primary region instead (its failback section; docs/failback.md), into
                        cdktf.out.failback/ (several: cdktf.out.<file name>.failback/)
  --help                this text

Exit codes: 0 written; 1 refused (a config problem, a policy or apply-time error, an output folder that holds
Terraform state or is not a cdktf output), nothing written for that config; 2 bad usage.`;

interface Job {
  readonly configPath: string;
  readonly outdir: string;
  /** The folder is the cdktf CLI's (CDKTF_OUTDIR): it runs Terraform there, so the files are moved into it. */
  readonly fromCli: boolean;
  /** A drill of the config (config/drill.ts), expiring on this day if given. */
  readonly drill?: { readonly expiresOn?: string };
  /** The failback of the config (config/failback.ts). */
  readonly failback?: true;
}

function parseJobs(argv: readonly string[]): Job[] | string {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        outdir: { type: "string" },
        drill: { type: "boolean", default: false },
        "expires-on": { type: "string" },
        failback: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return `synth: ${(error as Error).message}; see npm run synth -- --help`;
  }
  if (parsed.values.help) return HELP;
  // No switch for the cdktf CLI: it would write the drill into the recovery's own cdktf.out/, whose .terraform/ is
  // initialised against the recovery's state, and a backend migration there would hand the drill the recovery's state.
  const drillMode = parsed.values.drill;
  if (parsed.values["expires-on"] !== undefined && !drillMode) return "synth: --expires-on dates a drill; give it with --drill";
  const drill = drillMode ? { ...(parsed.values["expires-on"] !== undefined ? { expiresOn: parsed.values["expires-on"] } : {}) } : undefined;
  if (drillMode && parsed.values.failback) return "synth: --drill and --failback: give one of them";
  const failback = parsed.values.failback ? ({ failback: true } as const) : {};
  const suffix = drillMode ? ".drill" : parsed.values.failback ? ".failback" : "";
  const configs = parsed.positionals;
  const cliOutdir = process.env.CDKTF_OUTDIR?.trim() || undefined;
  if ((drillMode || parsed.values.failback) && parsed.values.outdir === undefined && cliOutdir !== undefined) {
    return "synth: --drill and --failback write their own folder (cdktf.out.drill/, cdktf.out.failback/), never the cdktf CLI's; run them with npm run";
  }
  if (configs.length > 1) {
    if (parsed.values.outdir !== undefined || cliOutdir !== undefined)
      return "synth: --outdir and CDKTF_OUTDIR name one output folder; give one config with them, or several without";
    const jobs = configs.map((configPath) => ({
      configPath,
      outdir: resolve(`cdktf.out.${basename(configPath, extname(configPath))}${suffix}`),
      fromCli: false,
      ...(drill ? { drill } : {}),
      ...failback,
    }));
    const names = new Map<string, string>();
    for (const job of jobs) {
      const other = names.get(job.outdir);
      if (other !== undefined) return `synth: ${other} and ${job.configPath} would both write ${display(job.outdir)}; give the configs distinct file names`;
      names.set(job.outdir, job.configPath);
    }
    return jobs;
  }
  const fromCli = parsed.values.outdir === undefined && cliOutdir !== undefined;
  return [
    {
      configPath: configs[0] ?? configPathFromEnvironment(),
      outdir: resolve(parsed.values.outdir ?? cliOutdir ?? `cdktf.out${suffix}`),
      fromCli,
      ...(drill ? { drill } : {}),
      ...failback,
    },
  ];
}

/** Local state files two configs would share: the second one's apply would read and change the first one's state. */
function sharedLocalState(configs: ReadonlyArray<{ job: Job; config: RecoveryConfig }>): string | undefined {
  const owners = new Map<string, string>();
  for (const { job, config } of configs) {
    for (const [target, settings] of Object.entries(config.targets)) {
      const backend = (settings as { backend?: { type: string; path?: string } } | undefined)?.backend;
      if (backend?.type !== "local") continue;
      const path = resolve(backend.path ?? defaultLocalStatePath(TARGETS[target as keyof typeof TARGETS].stackName));
      const owner = owners.get(path);
      if (owner !== undefined && owner !== job.configPath) {
        return `${job.configPath}: targets.${target}.backend keeps state in ${display(path)}, as ${owner} does; give each config its own backend.path (or a remote backend)`;
      }
      owners.set(path, job.configPath);
    }
  }
  return undefined;
}

function main(argv: readonly string[]): number {
  let jobs: Job[] | string;
  try {
    jobs = parseJobs(argv);
  } catch (error) {
    if (error instanceof RecoveryConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  if (typeof jobs === "string") {
    const help = jobs === HELP;
    (help ? console.log : console.error)(jobs);
    return help ? 0 : 2;
  }

  const loaded: Array<{ job: Job; config: RecoveryConfig; forbiddenHosts?: readonly string[] }> = [];
  let exitCode = 0;
  for (const job of jobs) {
    try {
      if (job.failback) loaded.push({ job, config: loadFailbackConfig(job.configPath) });
      else if (job.drill === undefined) loaded.push({ job, config: loadRecoveryConfig(job.configPath) });
      else {
        const variant = loadDrillConfig(job.configPath, job.drill);
        loaded.push({ job, config: variant.config, forbiddenHosts: variant.productionHosts });
      }
    } catch (error) {
      if (!(error instanceof RecoveryConfigError)) throw error;
      console.error(error.message);
      exitCode = 1;
    }
  }
  const shared = sharedLocalState(loaded);
  if (shared !== undefined) {
    console.error(shared);
    return 1;
  }

  for (const { job, config, forbiddenHosts } of loaded) {
    const outcome = synthesize({ config, outdir: job.outdir, fromCli: job.fromCli, ...(forbiddenHosts ? { forbiddenHosts } : {}) });
    // The policy summary is the result of a clean run, so it goes to stdout; refusals and their reasons to stderr.
    if (outcome.policy !== undefined) (outcome.status === "written" ? console.log : console.error)(outcome.policy);
    if (outcome.status === "written") {
      console.log(`wrote ${display(outcome.outdir)} (${outcome.stacks.join(", ")})${jobs.length > 1 ? ` from ${job.configPath}` : ""}`);
    } else {
      console.error(jobs.length > 1 ? `${job.configPath}: ${outcome.reason}` : outcome.reason);
      exitCode = 1;
    }
  }
  return exitCode;
}

process.exitCode = main(process.argv.slice(2));
