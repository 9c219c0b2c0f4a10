/**
 * scripts/render-mermaid.mjs renders what scripts/mermaid-blocks.mjs finds: a block it misses is a diagram nobody
 * renders, and a wrong line number sends the reader to the wrong place. The rendering itself needs a browser and is
 * run by `npm run render:mermaid` (the workflow runs it under CI, where a missing browser fails).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error -- a plain ES module script without type declarations
import { defaultFiles, mermaidBlocks } from "../../scripts/mermaid-blocks.mjs";

type Block = { line: number; definition: string };

describe("the Mermaid blocks of a Markdown file", () => {
  it("finds each mermaid fence with the line of its opening fence, and no other code block", () => {
    const text = [
      "# Report",
      "",
      "```mermaid",
      "flowchart TD",
      "  a --> b",
      "```",
      "",
      "```sh",
      "npm test",
      "```",
      "",
      "<details>",
      "",
      "```mermaid",
      "graph LR",
      "```",
      "</details>",
    ].join("\n");
    expect(mermaidBlocks(text) as Block[]).toEqual([
      { line: 3, definition: "flowchart TD\n  a --> b" },
      { line: 14, definition: "graph LR" },
    ]);
  });

  it("reads tilde fences, longer fences holding a shorter one, and indented fences as CommonMark does", () => {
    const text = [
      "````markdown",
      "```mermaid",
      "not a block: inside another fence",
      "```",
      "````",
      "~~~ Mermaid",
      "sequenceDiagram",
      "~~~",
      "   ```mermaid",
      "   pie",
      "   ```",
    ].join("\n");
    expect((mermaidBlocks(text) as Block[]).map((block) => block.line)).toEqual([6, 9]);
  });

  it("takes an unclosed block to the end of the file, as a Markdown renderer does", () => {
    expect(mermaidBlocks("```mermaid\nflowchart LR\n  a --> b\n") as Block[]).toEqual([{ line: 1, definition: "flowchart LR\n  a --> b\n" }]);
  });
});

describe("the files the script checks by default", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "render-mermaid-files-"));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("takes the recovery and standby plans of the synth folder, the docs and the top-level Markdown", () => {
    const outdir = join(root, "cdktf.out");
    mkdirSync(join(root, "docs", "targets"), { recursive: true });
    mkdirSync(outdir);
    for (const file of [
      "README.md",
      "docs/ci.md",
      "docs/targets/aws.md",
      "cdktf.out/recovery-plan-recovery-aws.md",
      "cdktf.out/standby-plan-standby-aws.md",
      "cdktf.out/notes.md",
    ]) {
      writeFileSync(join(root, file), "text\n");
    }
    expect(defaultFiles(root, outdir)).toEqual({
      generated: [join(outdir, "recovery-plan-recovery-aws.md"), join(outdir, "standby-plan-standby-aws.md")],
      docs: ["README.md", "docs/ci.md", "docs/targets/aws.md"],
    });
  });
});
