/**
 * Entry point for `npm run synth` and `cdktf synth|diff|deploy`: reads the recovery config named by RECOVERY_CONFIG
 * (default config/example.yaml) and writes one Terraform stack per target into cdktf.out/.
 *
 * Nothing is written unless the config validated, the policy pack found no unsuppressed error, and every stack
 * synthesized: the app is synthesized into a scratch folder beside the output and moved into place only when complete,
 * so a failed run never leaves a half-written plan for CI to apply.
 */
import { existsSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { dirname, basename, join, resolve } from "node:path";
import { configPathFromEnvironment, loadRecoveryConfig, RecoveryConfigError } from "./config/load";
import { evaluateStack, formatPolicyReport, hasBlockingFindings, RECOVERY_PACK } from "./policy";
import { buildRecoveryApp } from "./stacks/app";

function main(): number {
  let config;
  try {
    const configPath = configPathFromEnvironment();
    config = loadRecoveryConfig(configPath);
  } catch (error) {
    if (error instanceof RecoveryConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }

  // The cdktf CLI hands us a fresh folder of its own; run directly, we write cdktf.out/ atomically ourselves.
  const cliOutdir = process.env.CDKTF_OUTDIR?.trim() || undefined;
  const outdir = resolve(cliOutdir ?? "cdktf.out");
  if (!cliOutdir && existsSync(outdir) && !existsSync(join(outdir, "manifest.json"))) {
    // Only ever replace a folder an earlier synth wrote: anything else at that path is not ours to delete.
    console.error(`refusing to replace ${outdir}: it exists and is not a cdktf output folder (no manifest.json); move it away`);
    return 1;
  }
  const scratch = cliOutdir ? outdir : mkdtempSync(join(dirname(outdir), `.${basename(outdir)}-`));
  try {
    const { app, stacks } = buildRecoveryApp(config, scratch);
    // The policy pack and the apply-time rules check exactly what would be written, before anything is.
    const reports = stacks.map((stack) => evaluateStack(stack, { suppressions: config.policy.suppressions }, RECOVERY_PACK));
    console.error(formatPolicyReport(reports));
    if (hasBlockingFindings(reports)) {
      if (!cliOutdir) rmSync(scratch, { recursive: true, force: true });
      console.error("synthesis refused: fix the policy errors above, or suppress them in the config's policy.suppressions with a reason");
      return 1;
    }
    app.synth();
  } catch (error) {
    if (!cliOutdir) rmSync(scratch, { recursive: true, force: true });
    console.error(`synthesis failed: ${(error as Error).message}`);
    return 1;
  }
  if (!cliOutdir) {
    // Swap by renames: cdktf.out/ holds the complete old output or the complete new one, never a mix of the two.
    const previous = existsSync(outdir) ? `${scratch}-previous` : undefined;
    if (previous) renameSync(outdir, previous);
    renameSync(scratch, outdir);
    if (previous) rmSync(previous, { recursive: true, force: true });
    console.log(`wrote ${outdir}`);
  }
  return 0;
}

process.exitCode = main();
