/**
 * The review job's verdict (scripts/ci/review.ts): the check a reviewer trusts must never say "passed" for a stack
 * whose plan failed or never ran, and fork PRs (no comment) must still see every report in the job summary.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { review, summaryMarkdown, verdictOf, SUMMARY_LIMIT_BYTES, type StackStatus } from "../../scripts/ci/review";

const REPORT = "# Recovery plan: recovery-aws\n\n```mermaid\nflowchart LR\n  a --> b\n```\n";

describe("a stack's verdict", () => {
  it.each([
    { planOutcome: "success", reportExit: "0", passed: true, headline: "passed" },
    { planOutcome: "skipped", reportExit: "0", passed: true, headline: "passed" },
    { planOutcome: "failure", reportExit: "0", passed: false, headline: "terraform plan step FAILED" },
    { planOutcome: "cancelled", reportExit: "0", passed: false, headline: "terraform plan step cancelled" },
    { planOutcome: "success", reportExit: "1", passed: false, headline: "FAILED: objectives missed" },
    { planOutcome: "failure", reportExit: "1", passed: false, headline: "FAILED: objectives missed; terraform plan step FAILED" },
    { planOutcome: "skipped", reportExit: "3", passed: false, headline: "terraform plan failed" },
  ])("plan step $planOutcome, report exit $reportExit: $headline", ({ planOutcome, reportExit, passed, headline }) => {
    expect(verdictOf({ stack: "recovery-aws", planOutcome, reportExit }, "recovery-aws", true)).toMatchObject({ passed, headline });
  });

  it("fails a stack whose plan job left no status", () => {
    expect(verdictOf(undefined, "recovery-gcp", false)).toMatchObject({ passed: false, headline: expect.stringMatching(/did not run/) });
  });
});

describe("the review of the matrix's reports", () => {
  let dir: string;
  const statusesOf = (statuses: StackStatus[]) => {
    mkdirSync(join(dir, "status"), { recursive: true });
    for (const status of statuses) writeFileSync(join(dir, "status", `${status.stack}.json`), JSON.stringify(status));
  };
  const run = (stacks: string[]) => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const code = review(
      [
        "--outdir",
        dir,
        "--status",
        join(dir, "status"),
        "--stacks",
        JSON.stringify(stacks),
        "--comments-out",
        join(dir, "comments.json"),
        "--summary",
        join(dir, "summary.md"),
      ],
      { GITHUB_REPOSITORY: "acme/dr", GITHUB_RUN_ID: "42", HEAD_SHA: "0123456789abcdef", RECOVERY_CONFIG: "config/acme.yaml" },
    );
    const lines = log.mock.calls.map((call) => String(call[0]));
    log.mockRestore();
    return { code, lines, summary: readFileSync(join(dir, "summary.md"), "utf8"), comments: JSON.parse(readFileSync(join(dir, "comments.json"), "utf8")) };
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "review-test-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("passes only when every expected stack passed, and says so in the summary and the comments", () => {
    writeFileSync(join(dir, "recovery-plan-recovery-aws.md"), REPORT);
    statusesOf([{ stack: "recovery-aws", planOutcome: "success", reportExit: "0" }]);
    const result = run(["recovery-aws"]);
    expect(result.code).toBe(0);
    expect(result.lines.at(-1)).toBe("recovery gate passed for 1 stack(s)");
    expect(result.summary).toMatch(/^## Recovery plan: gate passed for 1 stack\(s\)/);
    // The summary carries the report itself (its diagram too), for a fork's PR that gets no comment.
    expect(result.summary).toContain("flowchart LR");
    expect(result.comments).toHaveLength(1);
    expect(result.comments[0].body).toContain("gate **passed**");
  });

  it("fails, in every place a reviewer looks, when one stack's plan failed although its report's gate passed", () => {
    for (const stack of ["recovery-aws", "recovery-gcp"]) writeFileSync(join(dir, `recovery-plan-${stack}.md`), REPORT.replace("recovery-aws", stack));
    statusesOf([
      { stack: "recovery-aws", planOutcome: "success", reportExit: "0" },
      { stack: "recovery-gcp", planOutcome: "failure", reportExit: "0" },
    ]);
    const result = run(["recovery-aws", "recovery-gcp"]);
    expect(result.code).toBe(1);
    expect(result.lines.join("\n")).not.toMatch(/gate passed/);
    expect(result.lines.at(-1)).toMatch(/recovery gate FAILED for recovery-gcp/);
    expect(result.summary).toMatch(/^## Recovery plan: gate FAILED for 1 of 2 stack\(s\)/);
    expect(result.summary).toContain("| `recovery-gcp` | **terraform plan step FAILED** | failure | 0 |");
    // Each comment carries its own stack's verdict, not the run's.
    const byStack = Object.fromEntries(result.comments.map((c: { stack: string; body: string }) => [c.stack, c.body]));
    expect(byStack["recovery-aws"]).toContain("gate **passed**");
    expect(byStack["recovery-gcp"]).toContain("gate **terraform plan step FAILED**");
  });

  it("fails a stack of the matrix that left neither report nor status, and a run that planned nothing", () => {
    writeFileSync(join(dir, "recovery-plan-recovery-aws.md"), REPORT);
    statusesOf([{ stack: "recovery-aws", planOutcome: "success", reportExit: "0" }]);
    const missing = run(["recovery-aws", "recovery-k8s"]);
    expect(missing.code).toBe(1);
    expect(missing.lines).toContain("recovery-k8s: did not run (the plan job left no status) (no report)");
    expect(run([]).code).toBe(1);
  });
});

describe("the job summary", () => {
  it("stays under GitHub's 1 MiB per step, naming the stacks it had to leave out", () => {
    const big = { marker: "", body: "x".repeat(400_000) };
    const comments = ["a", "b", "c"].map((stack) => ({ ...big, stack }));
    const verdicts = comments.map((c) => verdictOf({ stack: c.stack, planOutcome: "success", reportExit: "0" }, c.stack, true));
    const summary = summaryMarkdown(verdicts, comments, "https://github.com/acme/dr/actions/runs/1");
    expect(Buffer.byteLength(summary)).toBeLessThan(SUMMARY_LIMIT_BYTES);
    expect(summary).toContain("`c` and later stacks: too long for the job summary");
  });
});
