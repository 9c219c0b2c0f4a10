/**
 * Finds the Mermaid blocks of Markdown files: every fenced code block whose info string is `mermaid` (CommonMark fences:
 * up to three spaces of indent, three or more backticks or tildes, closed by a fence of the same character at least as
 * long; https://spec.commonmark.org/0.31.2/#fenced-code-blocks). Used by scripts/render-mermaid.mjs; kept apart so the
 * tests can check it without a browser.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/**
 * @param {string} text Markdown
 * @returns {{ line: number, definition: string }[]} each block with the 1-based line of its opening fence
 */
export function mermaidBlocks(text) {
  const lines = text.split(/\r?\n/);
  /** @type {{ line: number, definition: string }[]} */
  const blocks = [];
  for (let index = 0; index < lines.length; index++) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[index]);
    if (!open) continue;
    const fence = open[1];
    const body = [];
    let end = index + 1;
    const close = new RegExp(`^ {0,3}${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`);
    while (end < lines.length && !close.test(lines[end])) body.push(lines[end++]);
    if (open[2].toLowerCase() === "mermaid") blocks.push({ line: index + 1, definition: body.join("\n") });
    index = end;
  }
  return blocks;
}

/**
 * The Markdown files to check, relative to `root`: the generated reports of `outdir` (recovery-plan-*.md,
 * standby-plan-*.md) and every Markdown file of the repository's docs (docs/ and the top-level *.md).
 * @param {string} root
 * @param {string} outdir
 */
export function defaultFiles(root, outdir) {
  const generated = existsSync(outdir)
    ? readdirSync(outdir)
        .filter((name) => /^(recovery|standby)-plan-.*\.md$/.test(name))
        .sort()
        .map((name) => join(outdir, name))
    : [];
  const docs = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".md")) docs.push(path);
    }
  };
  if (existsSync(join(root, "docs")) && statSync(join(root, "docs")).isDirectory()) walk(join(root, "docs"));
  const topLevel = readdirSync(root)
    .filter((name) => name.endsWith(".md"))
    .map((name) => join(root, name));
  return { generated, docs: [...topLevel.sort(), ...docs.sort()].map((file) => relative(root, file) || file) };
}

/** @param {string} file */
export function blocksOfFile(file) {
  return mermaidBlocks(readFileSync(file, "utf8")).map((block) => ({ file, ...block }));
}
