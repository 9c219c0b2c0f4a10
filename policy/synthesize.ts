/**
 * The in-memory equivalent of `cdktf.out/stacks/<stack>/cdk.tf.json`, obtained before anything is written to disk.
 *
 * What cdktf 0.21 does when `app.synth()` writes a stack (node_modules/cdktf/lib/app.js and synthesize/synthesizer.js):
 *   1. `stack.prepareStack()` for every stack of the app: adds the default local backend when none is set and resolves cross-stack
 *      references (which may add outputs and remote-state data sources);
 *   2. `invokeAspects(stack)`;
 *   3. `stack.runAllValidations()` (unless skipValidation), annotations collected;
 *   4. `stack.toTerraform()`, written with json-stable-stringify.
 * `Testing.synth(stack)` does 2 and 4 but strips every `//` metadata key and returns a string, so it loses the construct
 * paths this pack reports and matches suppressions on. We therefore do 1, 2 and 4 ourselves (1 for every stack of the app, as app.synth() does) and keep the metadata.
 * The round trip through JSON drops `undefined` members exactly as the writer does, so the object equals the file
 * (test/policy/synthesize.test.ts checks that against a real `app.synth()`).
 *
 * Aspects run here and again in `app.synth()`: cdktf keeps no record of aspects already invoked between calls, so an
 * aspect used in this project must be idempotent (tagging aspects are).
 */
import { TerraformStack } from "cdktf";
import { invokeAspects } from "cdktf/lib/synthesize/synthesizer";
import type { TerraformJson } from "./types";

export function synthesizeStackJson(stack: TerraformStack): TerraformJson {
  // Like app.synth(): prepare every stack of the app first, since preparing one may add outputs to another. Idempotent.
  for (const candidate of stack.node.root.node.findAll()) if (TerraformStack.isStack(candidate)) candidate.prepareStack();
  invokeAspects(stack);
  return JSON.parse(JSON.stringify(stack.toTerraform())) as TerraformJson;
}
