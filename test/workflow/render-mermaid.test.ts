/**
 * scripts/render-mermaid.mjs as CI runs it: a diagram Mermaid cannot draw fails the run with its file and line, and a
 * machine without a browser skips loudly, except under CI, where it fails. The rendering case needs Chromium (Debian's
 * `chromium`); without one it is skipped with a message, as the script itself does.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error -- a plain ES module script without type declarations
import { findBrowser } from "../../scripts/render-mermaid.mjs";

const SCRIPT = join(__dirname, "../../scripts/render-mermaid.mjs");
const MARKDOWN = ["# Plan", "", "```mermaid", "flowchart LR", "  a --> b", "```", "", "```mermaid", "flowchart LR", "  a -->> [b", "```", ""].join("\n");

function render(file: string, env: NodeJS.ProcessEnv) {
  const { CI: _ci, ...rest } = process.env;
  return spawnSync(process.execPath, [SCRIPT, file], { encoding: "utf8", env: { ...rest, ...env }, timeout: 110_000 });
}

describe("npm run render:mermaid", () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "render-mermaid-"));
    file = join(dir, "plan.md");
    writeFileSync(file, MARKDOWN);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("skips with a message where no browser is found, and fails instead under CI", () => {
    const local = render(file, { PUPPETEER_EXECUTABLE_PATH: "/nonexistent/chromium" });
    expect(local.status).toBe(0);
    expect(local.stderr).toMatch(/SKIPPING: no Chromium or Chrome found/);
    const ci = render(file, { PUPPETEER_EXECUTABLE_PATH: "/nonexistent/chromium", CI: "true" });
    expect(ci.status).toBe(1);
    expect(ci.stderr).toMatch(/CI is set, so this fails instead of skipping/);
  });

  const browser: string | undefined = findBrowser({ executablePath: "/usr/bin/chromium" });
  if (browser === undefined) console.warn("\n!!! SKIPPING the Mermaid rendering test: no Chromium or Chrome on this machine (apt-get install chromium) !!!\n");

  it.skipIf(browser === undefined)("renders the good block and names the file and line of the one Mermaid cannot parse", () => {
    const run = render(file, {});
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("1 of 2 Mermaid block(s) in 1 file(s) rendered");
    // The fence of the bad block is line 8; Mermaid's "line 2" of the diagram is line 10 of the file.
    expect(run.stderr).toContain(`${file}:8: Parse error on line 2: (line 10 of the file)`);
  });
});
