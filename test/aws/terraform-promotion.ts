/**
 * Plans `recovery-aws` in the warm-standby tier (restore mode replica-promotion) with real Terraform and the real aws
 * provider, offline: the stack is the root module of a `terraform test` run (import blocks are refused in any other
 * module, so the multi-stack harness cannot hold it), its data sources are overridden as in report/plan's offline
 * harness, and every imported resource is overridden too (`override_resource` with what standby-aws's replica looks
 * like), so Terraform takes those values instead of asking AWS for the resource.
 *
 * What this can prove: the configuration validates with its import blocks, the plan imports exactly the replica's
 * resources by their identifiers, and nothing else of the database is created or destroyed. What it cannot: the
 * provider's own diff of the imported replica (an overridden resource is not planned by the provider, so neither
 * ForceNew replacements nor the detach show up as they would against AWS); the unit tests and test/standby/force-new
 * check those against the provider schema.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hclValue } from "../../report/terraform-plan";
import { OFFLINE_TEST_FILE } from "../../report/plan/offline-harness";
import { writeOfflineHarness } from "../../report/plan/offline-harness";
import { readTestRuns } from "../../report/plan/parse-plan";
import { readStackConfiguration } from "../../report/plan/stack-folder";
import { terraform } from "./terraform-rerun";

export interface PromotionPlan {
  /** Exit code of `terraform test`. */
  readonly code: number;
  /** The run's plan (`terraform show -json` form), when it planned. */
  readonly plan?: {
    resource_changes?: Array<{ address: string; type: string; change: { actions: string[]; importing?: { id: string } } }>;
  };
  readonly errors: readonly string[];
}

/**
 * `dataOverrides`: per data source address, what it returns; `imported`: per imported resource address, the values
 * Terraform takes for it instead of reading AWS.
 */
export async function planPromotionOffline(
  stackDir: string,
  options: {
    pluginDir: string;
    dataOverrides: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
    imported: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  },
): Promise<PromotionPlan> {
  const workDir = mkdtempSync(join(tmpdir(), "medplum-dr-promotion-"));
  try {
    cpSync(join(stackDir, "cdk.tf.json"), join(workDir, "cdk.tf.json"));
    writeOfflineHarness(workDir, readStackConfiguration(workDir), options.dataOverrides);
    const testFile = join(workDir, OFFLINE_TEST_FILE);
    const overrides = Object.entries(options.imported)
      .map(([address, values]) => `override_resource {\n  target = ${address}\n  values = ${hclValue(values, "  ")}\n}\n`)
      .join("\n");
    // File-level overrides apply to every run of the file, like the harness's override_data blocks.
    writeFileSync(testFile, `${overrides}\n${readFileSync(testFile, "utf8")}`);

    const env = { ...process.env, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" };
    const init = await terraform(["init", "-input=false", "-no-color", `-plugin-dir=${options.pluginDir}`], workDir, env);
    if (init.code !== 0) throw new Error(`terraform init failed: ${init.stderr}`);
    const test = await terraform(["test", "-json", "-verbose", "-no-color"], workDir, env);
    const runs = readTestRuns(test.stdout);
    const outcome = runs.get("plan");
    return {
      code: test.code,
      ...(outcome?.plan !== undefined ? { plan: outcome.plan as PromotionPlan["plan"] } : {}),
      errors: [...runs.values()].flatMap((run) => run.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.summary}: ${d.detail ?? ""}`)),
    };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
