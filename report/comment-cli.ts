/**
 * `npx tsx report/comment-cli.ts --outdir cdktf.out --out comments.json`: the PR comments for the reports in
 * `--outdir` (report/comment.ts), as a JSON array of { stack, marker, body } for the workflow's github-script step to
 * post or update. The run's context comes from the environment the workflow sets:
 *
 *   RECOVERY_CONFIG  the config reviewed          HEAD_SHA (else GITHUB_SHA)  the commit reviewed
 *   REPORT_EXIT      npm run report's exit code   PLAN_OUTCOME                the terraform plan step's outcome
 *   GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID                        set by GitHub Actions
 *
 * Exit codes: 0 written; 2 bad input (an option, or an --outdir without reports).
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildComments, type CommentContext } from "./comment";

const USAGE = `Usage: npx tsx report/comment-cli.ts [--outdir cdktf.out] --out <file>

Writes the pull-request comments for cdktf.out/recovery-plan-<stack>.md, one per stack, as JSON [{ stack, marker, body }].
Context from the environment: RECOVERY_CONFIG, HEAD_SHA (else GITHUB_SHA), REPORT_EXIT, PLAN_OUTCOME, GITHUB_SERVER_URL,
GITHUB_REPOSITORY, GITHUB_RUN_ID.

Exit codes: 0 written; 2 bad input.`;

export function contextFromEnvironment(env: NodeJS.ProcessEnv): CommentContext {
  const server = env.GITHUB_SERVER_URL ?? "https://github.com";
  const repository = env.GITHUB_REPOSITORY ?? "owner/repo";
  return {
    config: env.RECOVERY_CONFIG || "config/example.yaml",
    sha: env.HEAD_SHA || env.GITHUB_SHA || "unknown",
    repositoryUrl: `${server}/${repository}`,
    runUrl: `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID ?? "0"}`,
    ...(env.REPORT_EXIT !== undefined ? { reportExit: env.REPORT_EXIT } : {}),
    ...(env.PLAN_OUTCOME ? { planStepOutcome: env.PLAN_OUTCOME } : {}),
  };
}

/** The reports `npm run report` wrote to `outdir`, by stack. */
export function readReports(outdir: string): Array<{ stack: string; markdown: string }> {
  return readdirSync(outdir)
    .map((file) => /^recovery-plan-(.+)\.md$/.exec(file))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ stack: match[1] as string, markdown: readFileSync(join(outdir, match[0]), "utf8") }));
}

export function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  let values: { outdir?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { outdir: { type: "string", default: "cdktf.out" }, out: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
    }));
  } catch (error) {
    console.error(`comment: ${(error as Error).message}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.out === undefined) {
    console.error("comment: --out <file> is required (where to write the comments as JSON)");
    return 2;
  }
  let reports;
  try {
    reports = readReports(values.outdir ?? "cdktf.out");
  } catch (error) {
    console.error(`comment: ${(error as Error).message}`);
    return 2;
  }
  const comments = buildComments(reports, contextFromEnvironment(env));
  writeFileSync(values.out, `${JSON.stringify(comments, null, 2)}\n`);
  for (const comment of comments) console.log(`${comment.stack}: ${comment.body.length} characters`);
  if (comments.length === 0) console.log(`no recovery-plan-*.md in ${values.outdir}: nothing to post`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
