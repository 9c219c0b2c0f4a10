/**
 * The policy pack over a stack as the synth runs it: the stack written by cdktf's own synthesizer into a scratch
 * folder and read back, `//` metadata (construct paths) included, then evaluated. main.ts checks the files it wrote;
 * tests check the same files, not an in-memory rendering of them.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TerraformStack } from "cdktf";
import { Manifest } from "cdktf/lib/manifest";
import { codeSuppressions, evaluateStackJson, HIPAA_PACK, type EvaluateOptions, type PackEntry, type PolicyReport, type TerraformJson } from "../../policy";

/** `stack` as cdktf writes it to `cdk.tf.json` (app.synth() minus the app-wide validation), parsed. */
export function writtenStackJson(stack: TerraformStack): TerraformJson {
  const outdir = mkdtempSync(join(tmpdir(), "medplum-dr-stack-"));
  try {
    const manifest = new Manifest("stubbed", outdir, false);
    // As App.synth(): every stack of the app is prepared first, since preparing one may add outputs to another.
    for (const candidate of stack.node.root.node.findAll()) if (TerraformStack.isStack(candidate)) candidate.prepareStack();
    stack.synthesizer.synthesize({ outdir, manifest, skipValidation: true });
    return JSON.parse(readFileSync(join(outdir, manifest.forStack(stack).synthesizedStackPath), "utf8")) as TerraformJson;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The policy report of `stack`, with config suppressions and `suppressPolicy` ones, as the synth would print it. */
export function evaluateStack(stack: TerraformStack, options: EvaluateOptions, pack: readonly PackEntry[] = HIPAA_PACK): PolicyReport {
  return evaluateStackJson(writtenStackJson(stack), stack.node.id, { suppressions: [...options.suppressions, ...codeSuppressions(stack)] }, pack);
}
