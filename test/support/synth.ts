/** The app synthesized for a config as main.ts builds it, one stack's JSON read back: the stack tests' common step. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RecoveryConfig } from "../../config/schema";
import { buildRecoveryApp } from "../../stacks/app";
import { synthesizedOnce } from "./config";

/**
 * `stack`'s `cdk.tf.json` text and the names of every stack of the app. A config synthesized before in the worker
 * gives the first synth's result again (synthesizedOnce); `fresh` synthesizes anew.
 */
export function synthesizedAppStack(config: RecoveryConfig, stack: string, fresh = false): { readonly stacks: string[]; readonly text: string } {
  const synthesize = () => {
    const outdir = mkdtempSync(join(tmpdir(), `medplum-dr-${stack}-`));
    try {
      const { app, stacks } = buildRecoveryApp(config, outdir);
      app.synth();
      return JSON.stringify({ stacks: stacks.map((candidate) => candidate.node.id), text: readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8") });
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  };
  return JSON.parse(synthesizedOnce(config, stack, synthesize, fresh)) as { stacks: string[]; text: string };
}
