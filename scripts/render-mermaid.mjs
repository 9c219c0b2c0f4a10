#!/usr/bin/env node
/**
 * Renders every Mermaid block of the generated reports and the docs with the real Mermaid CLI
 * (@mermaid-js/mermaid-cli's renderMermaid, the code `mmdc` runs, driving a headless Chromium), so a diagram GitHub
 * cannot draw fails here instead of shipping as a red "Unable to render rich display" box in a PR comment.
 *
 *   npm run render:mermaid                      # cdktf.out/{recovery,standby}-plan-*.md, docs/**.md, ./*.md
 *   npm run render:mermaid -- --outdir out      # another synth output folder
 *   npm run render:mermaid -- a.md b.md         # just these files
 *   npm run render:mermaid -- --comments c.json # also the PR comment bodies the workflow posts ([{ stack, body }])
 *
 * A block that does not render fails the run with its file and line. The browser: PUPPETEER_EXECUTABLE_PATH, else the
 * executablePath of scripts/puppeteer-config.json (Debian's /usr/bin/chromium), else chromium, chromium-browser,
 * google-chrome or google-chrome-stable from PATH (GitHub's Ubuntu runners ship Google Chrome). `--no-sandbox` is in
 * the config because CI containers run as root, where Chromium refuses its sandbox. Where no browser is found the run
 * is skipped with a message, unless CI is set: then it fails, so a CI run never passes without rendering anything.
 * Run `npm run synth && npm run report -- --terraform-plan off` first; under CI a missing report also fails.
 *
 * Exit codes: 0 every block rendered (or skipped outside CI), 1 a block failed or CI lacks a browser or reports,
 * 2 bad usage.
 */
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { blocksOfFile, defaultFiles, mermaidBlocks } from "./mermaid-blocks.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CONFIG_FILE = join(ROOT, "scripts", "puppeteer-config.json");
const BROWSERS_ON_PATH = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
const inCi = Boolean(process.env.CI) && process.env.CI !== "false";

function usage() {
  const lines = readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n");
  return lines
    .slice(2, lines.indexOf(" */"))
    .map((line) => line.replace(/^ \*( |$)/, ""))
    .join("\n");
}

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The comment bodies' blocks, each named `<comments file>#<stack>:<line in the body>`. */
function blocksOfComments(file) {
  if (!existsSync(file)) stop(`--comments: no such file ${file}`, 2);
  const comments = JSON.parse(readFileSync(file, "utf8"));
  if (!Array.isArray(comments)) stop(`--comments: ${file} holds ${typeof comments}, expected an array of { stack, body }`, 2);
  return comments.flatMap((comment) => mermaidBlocks(String(comment.body ?? "")).map((block) => ({ file: `${file}#${comment.stack}`, ...block })));
}

/** Mermaid's message (a parse error names a line of the diagram: the file's line is added), at most five lines. */
function describeError(error, fenceLine) {
  // Stack frames point into the CLI's bundle, not at the diagram: dropped.
  const lines = String(error?.message ?? error)
    .split("\n")
    .filter((line) => line.trim() !== "" && !/^\s*at\s|mermaid-cli-intercept\.invalid/.test(line))
    .slice(0, 5);
  const diagramLine = /on line (\d+)/.exec(lines[0] ?? "")?.[1];
  if (diagramLine !== undefined) lines[0] += ` (line ${fenceLine + Number(diagramLine)} of the file)`;
  return lines.join("\n    ") || "render failed";
}

/** @param {{ executablePath?: string }} config */
export function findBrowser(config, env = process.env) {
  if (env.PUPPETEER_EXECUTABLE_PATH) return isExecutable(env.PUPPETEER_EXECUTABLE_PATH) ? env.PUPPETEER_EXECUTABLE_PATH : undefined;
  if (config.executablePath && isExecutable(config.executablePath)) return config.executablePath;
  for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
    for (const name of BROWSERS_ON_PATH) if (isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

function stop(message, code) {
  console.error(`render-mermaid: ${message}`);
  process.exit(code);
}

/** Skips outside CI, fails under CI: a CI run must never pass without having rendered the diagrams. */
function skipOrFail(reason) {
  if (inCi) stop(`${reason}; CI is set, so this fails instead of skipping`, 1);
  console.warn(`\n!!! render-mermaid: SKIPPING: ${reason}. CI runs fail here instead. !!!\n`);
  process.exit(0);
}

async function main() {
  let parsed;
  try {
    parsed = parseArgs({
      options: { outdir: { type: "string", default: "cdktf.out" }, comments: { type: "string" }, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
    });
  } catch (error) {
    stop(`${error.message}\n\n${usage()}`, 2);
  }
  if (parsed.values.help) {
    console.log(usage());
    return;
  }
  let files = parsed.positionals;
  const commentBlocks = parsed.values.comments === undefined ? [] : blocksOfComments(parsed.values.comments);
  if (files.length === 0) {
    const found = defaultFiles(ROOT, resolve(ROOT, parsed.values.outdir));
    if (found.generated.length === 0) {
      const reason = `no generated report in ${parsed.values.outdir}/ (recovery-plan-*.md); run \`npm run synth && npm run report -- --terraform-plan off\` first`;
      if (inCi) stop(`${reason}; CI is set, so this fails`, 1);
      console.warn(`render-mermaid: ${reason}; checking the docs only`);
    }
    files = [...found.generated, ...found.docs];
  }
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length > 0) stop(`no such file: ${missing.join(", ")}`, 2);
  const blocks = [...files.flatMap(blocksOfFile), ...commentBlocks];
  if (blocks.length === 0) {
    console.log(`render-mermaid: no Mermaid block in ${files.length} file(s)`);
    return;
  }

  const config = JSON.parse(readFileSync(CONFIG_FILE, "utf8"));
  const executablePath = findBrowser(config);
  if (executablePath === undefined) {
    return skipOrFail(
      `no Chromium or Chrome found (tried PUPPETEER_EXECUTABLE_PATH, ${config.executablePath}, ${BROWSERS_ON_PATH.join(", ")} on PATH); on Debian: apt-get install chromium`,
    );
  }
  let puppeteer;
  let renderMermaid;
  try {
    puppeteer = (await import("puppeteer")).default;
    ({ renderMermaid } = await import("@mermaid-js/mermaid-cli"));
  } catch (error) {
    return stop(`cannot load puppeteer / @mermaid-js/mermaid-cli (${error.message}); run npm ci (they are devDependencies)`, 1);
  }

  const started = performance.now();
  const browser = await puppeteer.launch({ ...config, executablePath });
  const failures = [];
  try {
    for (const block of blocks) {
      const where = `${block.file}:${block.line}`;
      try {
        const { data } = await renderMermaid(browser, block.definition, "svg", {});
        const svg = Buffer.from(data).toString("utf8");
        // Mermaid draws a bomb icon, not an exception, for some failures; GitHub shows the same.
        if (!svg.includes("<svg") || /aria-roledescription="error"/.test(svg)) throw new Error("Mermaid drew its error diagram");
      } catch (error) {
        failures.push(`${where}: ${describeError(error, block.line)}`);
      }
    }
  } finally {
    await browser.close();
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const summary = `${blocks.length - failures.length} of ${blocks.length} Mermaid block(s) in ${new Set(blocks.map((b) => b.file)).size} file(s) rendered with ${executablePath} in ${seconds} s`;
  if (failures.length > 0) stop(`${summary}; these did not:\n${failures.map((failure) => `  ${failure}`).join("\n")}`, 1);
  console.log(`render-mermaid: ${summary}`);
}

// Run as a script, not when a test imports findBrowser.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
