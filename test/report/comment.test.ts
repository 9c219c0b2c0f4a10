import { buildStackComment, COMMENT_BUDGET, gateHeadline, LEGACY_MARKER, stackMarker, type CommentContext } from "../../report/comment";
import { renderStackReport, RESOURCE_GRAPH_SUMMARY } from "../../report/render";
import { buildStackReport } from "../../report/stack-report";
import { exampleConfig, FIXTURE_STACK, fixtureStackJson } from "./helpers";

const CONTEXT: CommentContext = {
  config: "config/acme.yaml",
  sha: "abcdef1234567890",
  repositoryUrl: "https://github.com/acme/dr",
  runUrl: "https://github.com/acme/dr/actions/runs/7",
  reportExit: "0",
};
const NOW = new Date("2026-11-23T12:00:00Z");
const fixtureMarkdown = () =>
  renderStackReport(buildStackReport({ stack: { name: FIXTURE_STACK, json: fixtureStackJson() }, config: exampleConfig(), now: NOW }));

describe("gateHeadline", () => {
  it.each([
    { reportExit: "0", planStepOutcome: "success", headline: "passed" },
    { reportExit: "1", planStepOutcome: undefined, headline: "FAILED: objectives missed" },
    { reportExit: "0", planStepOutcome: "failure", headline: "terraform plan step FAILED" },
    { reportExit: "1", planStepOutcome: "failure", headline: "FAILED: objectives missed; terraform plan step FAILED" },
    { reportExit: "", planStepOutcome: "skipped", headline: "did not run" },
  ])("report exit '$reportExit', plan step $planStepOutcome: $headline", ({ reportExit, planStepOutcome, headline }) => {
    expect(gateHeadline({ reportExit, ...(planStepOutcome ? { planStepOutcome } : {}) })).toBe(headline);
  });
});

describe("buildStackComment", () => {
  it("starts with the stack's own marker, which neither the legacy marker nor another stack's matches", () => {
    const comment = buildStackComment({ stack: "recovery-aws", markdown: fixtureMarkdown() }, CONTEXT);
    expect(
      comment.body.startsWith(`${stackMarker("recovery-aws")}\n**Recovery plan** \`recovery-aws\` for \`config/acme.yaml\` at abcdef1: gate **passed**`),
    ).toBe(true);
    expect(comment.body.includes(LEGACY_MARKER)).toBe(false);
    expect(comment.body.includes(stackMarker("recovery-aws-2"))).toBe(false);
  });

  it("keeps a report that fits whole, with its docs links pointing at the repository at the commit", () => {
    const markdown = fixtureMarkdown();
    const body = buildStackComment({ stack: "recovery-aws", markdown }, CONTEXT).body;
    expect(body).toContain(`<summary>${RESOURCE_GRAPH_SUMMARY}`);
    expect(body).toContain("(https://github.com/acme/dr/blob/abcdef1234567890/docs/estimates.md)");
    expect(body).toContain("(https://github.com/acme/dr/blob/abcdef1234567890/docs/cost.md)");
    // Whole: the header line and the links made absolute are all it adds.
    const links = markdown.split("](../").length - 1;
    expect(body.length).toBeLessThan(markdown.length + 300 + links * "https://github.com/acme/dr/blob/abcdef1234567890/".length);
  });

  it("drops the collapsed resource-level graph first when a report is too long, keeping the step graph and the plan", () => {
    const markdown = fixtureMarkdown();
    const graphStart = markdown.indexOf(`<details><summary>${RESOURCE_GRAPH_SUMMARY}`);
    // A stack with thousands of resources: its resource graph alone is over the budget.
    const huge = `${markdown.slice(0, graphStart + 100)}${"  n1 --> n2\n".repeat(8000)}${markdown.slice(graphStart + 100)}`;
    const body = buildStackComment({ stack: "recovery-aws", markdown: huge }, CONTEXT).body;
    expect(body.length).toBeLessThanOrEqual(COMMENT_BUDGET);
    expect(body).not.toContain(RESOURCE_GRAPH_SUMMARY);
    expect(body).toContain("The resource-level graph is too large for a comment");
    expect(body).toContain("## Recovery at a glance");
    expect(body).toContain("## Terraform plan");
    expect(body).toContain("Creation-time estimates used");
  });

  it("cuts a report still too long at the budget, closing the blocks it leaves open", () => {
    const markdown = fixtureMarkdown();
    const steps = markdown.indexOf("## Recovery steps");
    const rows = "| `x` | `aws_security_group` | 0.5 min |\n".repeat(3000);
    const huge = `${markdown.slice(0, steps)}## Recovery steps\n\n<details><summary>many</summary>\n\n\`\`\`text\n${rows}${markdown.slice(steps)}`;
    const body = buildStackComment({ stack: "recovery-aws", markdown: huge }, CONTEXT).body;
    expect(body.length).toBeLessThanOrEqual(COMMENT_BUDGET);
    expect(body).toContain("## Terraform plan");
    expect(body).toMatch(/_Cut at GitHub's comment limit: the rest is in the `recovery-plan` artifact/);
    expect((body.match(/^```/gm) ?? []).length % 2).toBe(0);
    expect((body.match(/<details>/g) ?? []).length).toBe((body.match(/<\/details>/g) ?? []).length);
  });
});

describe("report/comment-cli.ts", () => {
  it("takes the run's context from the variables GitHub Actions and the workflow set", async () => {
    const { contextFromEnvironment } = await import("../../report/comment-cli");
    expect(
      contextFromEnvironment({
        GITHUB_SERVER_URL: "https://ghe.example.com",
        GITHUB_REPOSITORY: "acme/dr",
        GITHUB_RUN_ID: "9",
        GITHUB_SHA: "merge",
        HEAD_SHA: "head123",
        RECOVERY_CONFIG: "config/acme.yaml",
        REPORT_EXIT: "3",
        PLAN_OUTCOME: "failure",
      }),
    ).toEqual({
      config: "config/acme.yaml",
      sha: "head123",
      repositoryUrl: "https://ghe.example.com/acme/dr",
      runUrl: "https://ghe.example.com/acme/dr/actions/runs/9",
      reportExit: "3",
      planStepOutcome: "failure",
    });
  });

  it("writes the comments as JSON for the github-script step, one per report file", async () => {
    const { mkdtempSync, readFileSync, rmSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const { main } = await import("../../report/comment-cli");
    const dir = mkdtempSync(join(tmpdir(), "comment-cli-"));
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      writeFileSync(join(dir, "recovery-plan-recovery-aws.md"), fixtureMarkdown());
      writeFileSync(join(dir, "recovery-plan-recovery-aws.json"), "{}");
      expect(main(["--outdir", dir, "--out", join(dir, "comments.json")], { GITHUB_REPOSITORY: "acme/dr", REPORT_EXIT: "0" })).toBe(0);
      const comments = JSON.parse(readFileSync(join(dir, "comments.json"), "utf8"));
      expect(comments.map((c: { stack: string; marker: string }) => [c.stack, c.marker])).toEqual([["recovery-aws", stackMarker("recovery-aws")]]);
      expect(main(["--outdir", dir], {})).toBe(2);
    } finally {
      vi.restoreAllMocks();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
