/**
 * The report and the PR comments on the bundled example, as the workflow makes them: config/example.yaml synthesized
 * by the project's own app, `npm run report` (in process, with a saved plan per stack that creates every resource, as
 * a first recovery does), then the comment bodies built by the workflow's own logic (report/comment.ts). Checks that
 * each JSON report validates against the committed schema, that the Markdown is exactly what the JSON renders to, and
 * that every comment carries the step graph, the critical path and the plan section within GitHub's limit, with the
 * example's stacks and with twice as many.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { buildComments, COMMENT_BUDGET, GITHUB_COMMENT_LIMIT, stackMarker, type CommentContext } from "../../report/comment";
import { readReports } from "../../report/comment-cli";
import { EXIT, main } from "../../report/cli";
import { recoveryPlanSchema } from "../../report/model";
import { renderRecoveryPlan } from "../../report/render";
import { readSynthesizedStacks } from "../../report/stack-json";
import { standbyTargetOf } from "../../report/standby-report";
import { RECOVERY_PLAN_SCHEMA_PATH } from "../../report/write-schema";
import { buildRecoveryApp } from "../../stacks/app";
import { EXAMPLE_CONFIG_PATH, exampleConfig, mermaidProblems } from "./helpers";

const CONTEXT: CommentContext = {
  config: "config/example.yaml",
  sha: "0123456789abcdef0123456789abcdef01234567",
  repositoryUrl: "https://github.com/acme/medplum-dr",
  runUrl: "https://github.com/acme/medplum-dr/actions/runs/42",
  reportExit: "1",
  planStepOutcome: "success",
};

describe("the report and its PR comments on config/example.yaml", () => {
  let scratch: string;
  let outdir: string;
  let stacks: string[];
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), "report-comments-"));
    outdir = join(scratch, "cdktf.out");
    const plans = join(scratch, "plans");
    buildRecoveryApp(exampleConfig(), outdir).app.synth();
    const synthesized = readSynthesizedStacks(outdir);
    // Standby stacks get a standby plan instead (test/report/standby-report.test.ts).
    stacks = synthesized.map((stack) => stack.name).filter((name) => standbyTargetOf(name) === undefined);
    // A first recovery creates every resource: the plan section then lists what a real plan of the stack would count.
    mkdirSync(plans);
    for (const stack of synthesized) {
      const resource_changes = Object.entries(stack.json.resource ?? {}).flatMap(([type, byName]) =>
        Object.keys(byName).map((name) => ({ address: `${type}.${name}`, type, change: { actions: ["create"] } })),
      );
      writeFileSync(join(plans, `${stack.name}.tfplan.json`), JSON.stringify({ resource_changes }));
    }
    vi.stubEnv("RECOVERY_CONFIG", EXAMPLE_CONFIG_PATH);
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const code = await main(["--outdir", outdir, "--terraform-plan", "off", "--plan-json-dir", plans, "--gate"]);
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    // The example's own objectives are met with the tiers it chooses (recovery-aws's newest copy is bounded by
    // standby-aws's hourly schedule), so the gate passes.
    expect(code).toBe(EXIT.ok);
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("writes a .md and a .json for every stack", () => {
    expect(stacks.length).toBeGreaterThanOrEqual(4);
    expect(
      readReports(outdir)
        .map((report) => report.stack)
        .sort(),
    ).toEqual([...stacks].sort());
  });

  it("writes JSON reports that validate against the committed JSON Schema, and the schema is current", async () => {
    const { renderRecoveryPlanSchema } = await import("../../report/write-schema");
    const committed = readFileSync(RECOVERY_PLAN_SCHEMA_PATH, "utf8");
    expect(committed, "run npx tsx report/write-schema.ts and commit").toBe(renderRecoveryPlanSchema());
    const fromSchema = z.fromJSONSchema(JSON.parse(committed));
    for (const stack of stacks) {
      const json = JSON.parse(readFileSync(join(outdir, `recovery-plan-${stack}.json`), "utf8"));
      const result = fromSchema.safeParse(json);
      expect(result.success, `${stack}: ${JSON.stringify(result.error?.issues.slice(0, 3))}`).toBe(true);
      expect(json.stack).toBe(stack);
      expect(json.plan).toMatchObject({ status: "planned", destroy: 0, replace: [] });
      // The verdict is the objectives' checks: within the RTO and a known RPO within its objective.
      expect(json.gate.passed).toBe(json.rto.withinObjective === true && json.rpo.withinObjective === true);
    }
  });

  it("writes the Markdown the JSON renders to, byte for byte: the two cannot disagree", () => {
    for (const stack of stacks) {
      const json = recoveryPlanSchema.parse(JSON.parse(readFileSync(join(outdir, `recovery-plan-${stack}.json`), "utf8")));
      expect(renderRecoveryPlan(json)).toBe(readFileSync(join(outdir, `recovery-plan-${stack}.md`), "utf8"));
    }
  });

  it("draws a step-level graph of about a dozen nodes and a well-formed resource-level one for every stack", () => {
    for (const { stack, markdown } of readReports(outdir)) {
      expect(mermaidProblems(markdown), stack).toEqual([]);
      const json = JSON.parse(readFileSync(join(outdir, `recovery-plan-${stack}.json`), "utf8"));
      expect(json.stepGraph.nodes.length, stack).toBeLessThanOrEqual(12);
      expect(json.stepGraph.criticalPath[0], stack).not.toBe("dns");
      expect(json.stepGraph.criticalPath.at(-1), stack).toBe("dns");
    }
  });

  it("builds one comment per stack that carries the step graph, the critical path and the plan section within GitHub's limit", () => {
    const comments = buildComments(readReports(outdir), CONTEXT);
    const sizes = comments.map((comment) => `${comment.stack} ${comment.body.length}`);
    console.log(
      `comment sizes (limit ${GITHUB_COMMENT_LIMIT}): ${sizes.join(", ")}; all stacks together ${comments.reduce((sum, c) => sum + c.body.length, 0)}`,
    );
    expect(comments.map((comment) => comment.stack)).toEqual([...stacks].sort());
    for (const comment of comments) {
      expect(comment.body.startsWith(stackMarker(comment.stack))).toBe(true);
      expect(comment.body.length, comment.stack).toBeLessThanOrEqual(COMMENT_BUDGET);
      expect(comment.body).toContain("## Recovery at a glance");
      expect(comment.body).toMatch(/==>\|"1"\|/);
      expect(comment.body).toMatch(/\nCritical path: \*\*/);
      expect(comment.body).toMatch(/\| Terraform plan \| \d+ to add, 0 to change, 0 to destroy \|/);
      expect(comment.body).toContain("## Terraform plan\n\nPlan (terraform show -json");
      expect(comment.body).toContain("<summary>Resource-level dependency graph");
      expect(comment.body).toContain("gate **FAILED: objectives missed**");
      expect(comment.body).toContain("](https://github.com/acme/medplum-dr/blob/0123456789abcdef0123456789abcdef01234567/docs/estimates.md)");
      expect(comment.body).not.toContain("](../");
    }
  });

  it("still fits with twice as many stacks: each stack has its own comment and marker", () => {
    const reports = readReports(outdir);
    const doubled = [...reports, ...reports.map((report) => ({ stack: `${report.stack}-second`, markdown: report.markdown }))];
    const comments = buildComments(doubled, CONTEXT);
    expect(comments).toHaveLength(2 * reports.length);
    expect(new Set(comments.map((comment) => comment.marker)).size).toBe(comments.length);
    for (const comment of comments) expect(comment.body.length).toBeLessThanOrEqual(COMMENT_BUDGET);
  });
});
