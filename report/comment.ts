/**
 * The pull-request comments the workflow posts: one per stack, each found again on the next run by a marker naming
 * its stack and updated in place, so the report's length never depends on how many stacks a repository keeps. GitHub
 * rejects a comment over 65,536 characters; a stack whose report is longer (a very large stack) loses its collapsed
 * resource-level graph first, then is cut at the limit with a pointer to the artifact. Pure: the workflow step
 * (report/comment-cli.ts) reads the files and the run's context, github-script only posts what this returns.
 */
import { RESOURCE_GRAPH_SUMMARY } from "./render";

/** GitHub's limit on an issue or pull-request comment body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** What the comments aim for: the limit less room for GitHub's own accounting of multi-byte characters. */
export const COMMENT_BUDGET = 60_000;

/** The marker of the single comment earlier versions posted for all stacks; the workflow retires it. */
export const LEGACY_MARKER = "<!-- medplum-dr:recovery-plan -->";

export function stackMarker(stack: string): string {
  return `<!-- medplum-dr:recovery-plan:${stack} -->`;
}

/** `npm run report` exit codes (report/cli.ts EXIT) in words, for the comment header. */
const REPORT_OUTCOMES: Readonly<Record<string, string>> = {
  "0": "passed",
  "1": "FAILED: objectives missed",
  "2": "could not run (bad input)",
  "3": "terraform plan failed",
};

export interface CommentContext {
  /** The recovery config the reports were made from. */
  readonly config: string;
  /** The commit the reports describe. */
  readonly sha: string;
  /** `https://github.com/<owner>/<repo>`: links to docs in the reports are rewritten to it at `sha`. */
  readonly repositoryUrl: string;
  /** The workflow run, for the log and the artifact. */
  readonly runUrl: string;
  /** `npm run report --gate`'s exit code as text; empty or absent when the step did not run. */
  readonly reportExit?: string;
  /** The outcome of the workflow's own terraform plan step (`success`, `failure`, `skipped`); absent when there is none. */
  readonly planStepOutcome?: string;
}

export interface StackComment {
  readonly stack: string;
  readonly marker: string;
  readonly body: string;
}

export interface StackMarkdown {
  readonly stack: string;
  readonly markdown: string;
}

/** The gate's verdict for the header: the report's exit code, made worse by a failed plan step it did not see. */
export function gateHeadline(context: Pick<CommentContext, "reportExit" | "planStepOutcome">): string {
  const report = REPORT_OUTCOMES[context.reportExit ?? ""] ?? "did not run";
  if (context.planStepOutcome === "failure") return `${report === "passed" ? "" : `${report}; `}terraform plan step FAILED`;
  return report;
}

export function buildComments(reports: readonly StackMarkdown[], context: CommentContext): StackComment[] {
  return [...reports].sort((a, b) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0)).map((report) => buildStackComment(report, context));
}

export function buildStackComment(report: StackMarkdown, context: CommentContext): StackComment {
  const marker = stackMarker(report.stack);
  const header =
    `${marker}\n**Recovery plan** \`${report.stack}\` for \`${context.config}\` at ${context.sha.slice(0, 7)}: gate **${gateHeadline(context)}** ` +
    `([run](${context.runUrl}); the full report and its JSON are in the run's \`recovery-plan\` artifact)\n\n`;
  const markdown = linkDocs(report.markdown, context);
  return { stack: report.stack, marker, body: fit(header, markdown, context.runUrl) };
}

/** Links the report writes relative to `cdktf.out/` point at the repository at the reviewed commit instead. */
function linkDocs(markdown: string, context: CommentContext): string {
  return markdown.replace(/\]\(\.\.\/(docs\/[^)\s]+)\)/g, (_match, path: string) => `](${context.repositoryUrl}/blob/${context.sha}/${path})`);
}

function fit(header: string, markdown: string, runUrl: string): string {
  if (header.length + markdown.length <= COMMENT_BUDGET) return header + markdown;
  const withoutGraph = dropResourceGraph(markdown, runUrl);
  if (header.length + withoutGraph.length <= COMMENT_BUDGET) return header + withoutGraph;
  const note = `\n\n_Cut at GitHub's comment limit: the rest is in the \`recovery-plan\` artifact of the [run](${runUrl})._\n`;
  let cut = withoutGraph.slice(0, COMMENT_BUDGET - header.length - note.length - 200);
  cut = cut.slice(0, cut.lastIndexOf("\n"));
  return header + closeOpenBlocks(cut) + note;
}

function dropResourceGraph(markdown: string, runUrl: string): string {
  const start = markdown.indexOf(`<details><summary>${RESOURCE_GRAPH_SUMMARY}`);
  if (start === -1) return markdown;
  const end = markdown.indexOf("</details>", start);
  if (end === -1) return markdown;
  return `${markdown.slice(0, start)}_The resource-level graph is too large for a comment: see the report in the \`recovery-plan\` artifact of the [run](${runUrl})._${markdown.slice(end + "</details>".length)}`;
}

/** After a cut: close a code fence and any `<details>` left open, so the rest of the page renders. */
function closeOpenBlocks(text: string): string {
  let result = text;
  if ((result.match(/^```/gm) ?? []).length % 2 === 1) result += "\n```";
  const open = (result.match(/<details>/g) ?? []).length - (result.match(/<\/details>/g) ?? []).length;
  for (let index = 0; index < open; index++) result += "\n\n</details>";
  return result;
}
