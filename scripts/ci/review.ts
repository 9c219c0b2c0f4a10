/**
 * `npx tsx scripts/ci/review.ts`: the review job of .github/workflows/recovery-plan.yml. Each plan job of the matrix
 * leaves its stack's report (`cdktf.out/recovery-plan-<stack>.md`) and a status file (`ci-status/<stack>.json`:
 * `{ stack, planOutcome, reportExit }`); this gathers them into
 *
 * - the PR comments, one per stack, each with its own stack's verdict (report/comment.ts, the logic
 *   test/report/example-comments.test.ts checks), written to `--comments-out` for the comment job to post;
 * - the job summary (`$GITHUB_STEP_SUMMARY`), always written, so a fork's PR (whose token cannot comment) and a run
 *   without a PR still show every report;
 * - the gate: exit 0 only when every expected stack's report passed its gate AND its plan step did not fail. A stack
 *   whose plan job never wrote a status (cancelled, crashed) fails: what was not checked never passes.
 *
 * Options: --outdir cdktf.out, --status ci-status, --stacks '<JSON array>' (the stacks the matrix planned; default:
 * those with a status file), --comments-out <file>, --summary <file> (default $GITHUB_STEP_SUMMARY; none: no summary).
 * Exit codes: 0 every stack passed, 1 a stack failed or did not run, 2 bad usage.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildStackComment, gateHeadline, type StackComment } from "../../report/comment";
import { contextFromEnvironment } from "../../report/comment-cli";

export interface StackStatus {
  readonly stack: string;
  /** The plan job's own `terraform plan` (online mode): success, failure, or skipped when the report planned (offline). */
  readonly planOutcome: string;
  /** `npm run report -- --gate`'s exit code as text. */
  readonly reportExit: string;
}

export interface StackVerdict extends StackStatus {
  readonly passed: boolean;
  readonly headline: string;
  readonly hasReport: boolean;
}

/** GitHub keeps at most 1 MiB of summary per step; past that it drops the whole summary. */
export const SUMMARY_LIMIT_BYTES = 1_000_000;

/** A stack passes only when its report's gate passed and no plan step failed; a missing status is a failure. */
export function verdictOf(status: StackStatus | undefined, stack: string, hasReport: boolean): StackVerdict {
  if (status === undefined) return { stack, planOutcome: "", reportExit: "", hasReport, passed: false, headline: "did not run (the plan job left no status)" };
  const planOk = status.planOutcome === "success" || status.planOutcome === "skipped";
  const passed = status.reportExit === "0" && planOk;
  let headline = gateHeadline({ reportExit: status.reportExit, planStepOutcome: status.planOutcome });
  // gateHeadline knows a failed plan step; a cancelled or unknown one must not read "passed" either.
  if (!passed && headline === "passed") headline = `terraform plan step ${status.planOutcome || "did not report"}`;
  return { ...status, stack, hasReport, headline, passed };
}

function readStatuses(dir: string): Map<string, StackStatus> {
  const statuses = new Map<string, StackStatus>();
  if (!existsSync(dir)) return statuses;
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".json"))) {
    const status = JSON.parse(readFileSync(join(dir, file), "utf8")) as StackStatus;
    statuses.set(status.stack, status);
  }
  return statuses;
}

/** The summary's Markdown: a verdict table, then each stack's comment body while they fit GitHub's limit. */
export function summaryMarkdown(verdicts: readonly StackVerdict[], comments: readonly StackComment[], runUrl: string): string {
  const rows = verdicts.map((v) => `| \`${v.stack}\` | ${v.passed ? "passed" : `**${v.headline}**`} | ${v.planOutcome || "-"} | ${v.reportExit || "-"} |`);
  const failed = verdicts.filter((v) => !v.passed).length;
  let out =
    `## Recovery plan: ${failed === 0 ? `gate passed for ${verdicts.length} stack(s)` : `gate FAILED for ${failed} of ${verdicts.length} stack(s)`}\n\n` +
    `| stack | gate | plan step | report exit |\n| --- | --- | --- | --- |\n${rows.join("\n")}\n\n` +
    `The reports (Markdown and JSON) are in the run's \`recovery-plan\` artifact: ${runUrl}\n`;
  for (const comment of comments) {
    const section = `\n---\n\n${comment.body}\n`;
    if (Buffer.byteLength(out + section) > SUMMARY_LIMIT_BYTES - 200) {
      out += `\n---\n\n\`${comment.stack}\` and later stacks: too long for the job summary; read them in the artifact or the PR comments.\n`;
      break;
    }
    out += section;
  }
  return out;
}

/** The stack's comment, built alone so its header carries that stack's own verdict. */
function commentFor(outdir: string, verdict: StackVerdict, env: NodeJS.ProcessEnv): StackComment {
  const markdown = readFileSync(join(outdir, `recovery-plan-${verdict.stack}.md`), "utf8");
  const context = contextFromEnvironment({ ...env, REPORT_EXIT: verdict.reportExit, PLAN_OUTCOME: verdict.planOutcome });
  return buildStackComment({ stack: verdict.stack, markdown }, context);
}

export function review(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        outdir: { type: "string", default: "cdktf.out" },
        status: { type: "string", default: "ci-status" },
        stacks: { type: "string" },
        "comments-out": { type: "string" },
        summary: { type: "string" },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`review: ${(error as Error).message}`);
    return 2;
  }
  const statuses = readStatuses(values.status);
  let expected: string[];
  try {
    expected = values.stacks ? (JSON.parse(values.stacks) as string[]) : [...statuses.keys()].sort();
  } catch {
    console.error(`review: --stacks: ${JSON.stringify(values.stacks)} is not a JSON array of stack names`);
    return 2;
  }
  const verdicts = expected.map((stack) => verdictOf(statuses.get(stack), stack, existsSync(join(values.outdir, `recovery-plan-${stack}.md`))));
  const comments = verdicts.filter((v) => v.hasReport).map((v) => commentFor(values.outdir, v, env));
  if (values["comments-out"]) writeFileSync(values["comments-out"], `${JSON.stringify(comments, null, 2)}\n`);

  const summaryFile = values.summary ?? env.GITHUB_STEP_SUMMARY;
  if (summaryFile) appendFileSync(summaryFile, summaryMarkdown(verdicts, comments, contextFromEnvironment(env).runUrl));

  for (const verdict of verdicts) console.log(`${verdict.stack}: ${verdict.passed ? "passed" : verdict.headline}${verdict.hasReport ? "" : " (no report)"}`);
  if (verdicts.length === 0) {
    console.log("::error::no stack was planned: nothing was checked");
    return 1;
  }
  const failed = verdicts.filter((v) => !v.passed);
  if (failed.length > 0) {
    console.log(`::error::recovery gate FAILED for ${failed.map((v) => v.stack).join(", ")} (see each report, the job summary and the plan jobs' logs)`);
    return 1;
  }
  console.log(`recovery gate passed for ${verdicts.length} stack(s)`);
  return 0;
}

if (require.main === module) process.exitCode = review(process.argv.slice(2));
