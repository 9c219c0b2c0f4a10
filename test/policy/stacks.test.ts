/**
 * The pack against the real recovery stacks: every example config under config/, every target it names whose bundle
 * has landed. A stack with an unsuppressed error fails here, naming the rule and resource; that is for the module's
 * owner to fix (or to suppress in config with a reason), never for the rule to be weakened.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { loadRecoveryConfig } from "../../config/load";
import type { RecoveryConfig, TargetName } from "../../config/schema";
import { TARGET_ORDER, TARGETS } from "../../modules/registry";
import { formatPolicyReport, hasBlockingFindings } from "../../policy";
import { evaluateStack } from "../support/policy";
import { RecoveryStack } from "../../stacks/recovery-stack";

const CONFIG_DIR = join(__dirname, "../../config");
const configs = readdirSync(CONFIG_DIR)
  .filter((file) => file.endsWith(".yaml"))
  .sort()
  .map((file) => [file, loadRecoveryConfig(join(CONFIG_DIR, file))] as const);

/** The bundle, or why it cannot be built yet (a placeholder for a target still being built on its branch). */
function bundleOf(target: TargetName, config: RecoveryConfig) {
  try {
    return { bundle: TARGETS[target].createBundle(config) };
  } catch (error) {
    if (/has not landed yet/.test((error as Error).message)) return { pending: (error as Error).message };
    throw error;
  }
}

const cases = configs.flatMap(([file, config]) =>
  TARGET_ORDER.filter((target) => config.targets[target] !== undefined).map((target) => ({ file, config, target, ...bundleOf(target, config) })),
);

describe.each(cases.map((entry) => [`${entry.file} ${entry.target}`, entry] as const))("policy on %s", (_name, entry) => {
  if (entry.bundle === undefined) {
    it.todo(`evaluate once the bundle lands (${entry.pending})`);
    return;
  }
  const bundle = entry.bundle;

  it("has no unsuppressed policy error", () => {
    // The App creates its output folder even though nothing is synthesized to it.
    const outdir = mkdtempSync(join(tmpdir(), "policy-stacks-"));
    const stack = new RecoveryStack(new App({ outdir }), TARGETS[entry.target].stackName, { config: entry.config, bundle });
    const report = evaluateStack(stack, { suppressions: entry.config.policy.suppressions });
    rmSync(outdir, { recursive: true, force: true });
    // Printed so warnings on real stacks are visible in the test log.
    console.log(formatPolicyReport([report]));
    const errors = report.findings.filter((finding) => finding.severity === "error" && finding.suppressedBecause === undefined);
    expect(report.suppressionErrors).toEqual([]);
    expect(errors.map((finding) => `${finding.ruleId} at ${finding.path}: ${finding.message}`)).toEqual([]);
    expect(hasBlockingFindings([report])).toBe(false);
  });
});
