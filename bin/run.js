#!/usr/bin/env node
/**
 * Runs one of the project's commands as plain JavaScript: `node bin/run.js <command> [args...]`.
 *
 * The commands are written in TypeScript; a TypeScript transpiler loaded at run time costs more than the synth itself,
 * so esbuild bundles each command's own code into dist/<command>.js (packages stay in node_modules) and this file runs
 * the bundle. The bundle is rebuilt first whenever a source file was added, removed or changed since the last build
 * (compared by path, size and modification time), so what runs is always the code in the working tree; a rebuild takes
 * a fraction of a second, a check a few milliseconds. Type checking stays with `tsc` in `npm test`.
 *
 * Kept in plain JavaScript on purpose: it is the one file that runs before anything is built.
 */
"use strict";
const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require("node:fs");
const { join, relative } = require("node:path");

const ROOT = join(__dirname, "..");
const DIST = join(ROOT, "dist");
const BUILD_INFO = join(DIST, "build-info.json");

/** Command name -> TypeScript entry point. */
const COMMANDS = {
  synth: "main.ts",
  report: "report/cli.ts",
  verify: "operations/verify-cli.ts",
  "redeploy-bots": "operations/redeploy-bots-cli.ts",
  drill: "operations/drill-cli.ts",
};

/** Folders whose TypeScript the commands are built from (tests, benchmarks and the schema writers are not). */
const SOURCE_FOLDERS = ["config", "facts", "modules", "operations", "policy", "providers", "report", "stacks", "synth"];

function sourceFiles() {
  const files = ["main.ts", "package.json", "package-lock.json", "tsconfig.json"].filter((file) => existsSync(join(ROOT, file)));
  const walk = (folder) => {
    for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true })) {
      const path = `${folder}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts") || entry.name.endsWith(".json")) files.push(path);
    }
  };
  for (const folder of SOURCE_FOLDERS) if (existsSync(join(ROOT, folder))) walk(folder);
  return files.sort();
}

/** What the last build was made from; a different fingerprint means dist/ may be stale. */
function fingerprint() {
  return sourceFiles().map((file) => {
    const stat = statSync(join(ROOT, file));
    return `${file}:${stat.size}:${Math.floor(stat.mtimeMs)}`;
  });
}

function isFresh(current) {
  try {
    const built = JSON.parse(readFileSync(BUILD_INFO, "utf8"));
    return (
      Array.isArray(built.sources) &&
      built.sources.join("\n") === current.join("\n") &&
      Object.keys(COMMANDS).every((name) => existsSync(join(DIST, `${name}.js`)))
    );
  } catch {
    return false;
  }
}

function build(current) {
  const esbuild = require("esbuild");
  // Built beside dist/ and renamed into place file by file, so a concurrent run never loads half a bundle.
  const scratch = join(ROOT, `.dist-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  try {
    esbuild.buildSync({
      absWorkingDir: ROOT,
      entryPoints: Object.entries(COMMANDS).map(([name, entry]) => ({ in: entry, out: name })),
      outdir: scratch,
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      // Packages are bundled too: resolving and loading a few thousand provider and cdktf files one by one cost more
      // (~0.2 s, ~25 MiB) than reading one bundle. package-lock.json is in the fingerprint, so an upgrade rebuilds.
      sourcemap: "linked",
      // Class and function names stay as written, so error messages and construct type names read as in the sources.
      keepNames: true,
      logLevel: "error",
    });
    mkdirSync(DIST, { recursive: true });
    for (const file of readdirSync(scratch)) renameSync(join(scratch, file), join(DIST, file));
    writeFileSync(BUILD_INFO, `${JSON.stringify({ sources: current }, null, 1)}\n`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function main() {
  const [command, ...args] = process.argv.slice(2);
  if (command === undefined || !(command in COMMANDS)) {
    process.stderr.write(`usage: node bin/run.js <${Object.keys(COMMANDS).join("|")}|build> [args...]\n`);
    process.exitCode = 2;
    return;
  }
  const current = fingerprint();
  if (!isFresh(current)) build(current);
  // Run as the main module, with its own arguments in process.argv, exactly as `node dist/<command>.js` would run it
  // (the CLIs start only when `require.main === module`).
  process.argv = [process.argv[0], join(DIST, `${command}.js`), ...args];
  require("node:module").runMain();
}

if (process.argv[2] === "build") {
  build(fingerprint());
  process.stdout.write(`built ${relative(process.cwd(), DIST) || "."}/ (${Object.keys(COMMANDS).join(", ")})\n`);
} else {
  main();
}
