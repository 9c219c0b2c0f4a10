#!/usr/bin/env node
/**
 * Runs one of the project's commands as plain JavaScript: `node bin/run.js <command> [args...]`.
 *
 * The commands are written in TypeScript; a TypeScript transpiler loaded at run time costs more than the synth itself,
 * so esbuild bundles each command, with its packages, into dist/<command>.js and this file runs the bundle. A command's
 * bundle is rebuilt first whenever a source file was added, removed or changed since it was built (compared by path,
 * size and modification time), so what runs is always the code in the working tree. Only the command being run is
 * built (synth's bundle takes about 4 s on a 2-core machine, all five about 6 s); a check takes a few milliseconds.
 * No source maps: they would double the build, and `npx tsx main.ts` runs the sources when a trace must name them.
 * Type checking stays with `tsc` in `npm test`.
 *
 * Compiling the bundle is the largest single cost of a run (V8 parses and compiles megabytes of provider bindings), so
 * the first run of a bundle leaves V8's code cache beside it (dist/<command>.js.<key>.v8cache: the bytecode of every
 * function the run compiled, `vm.Script#createCachedData`) and later runs start from it, the technique of the
 * v8-compile-cache package (https://github.com/zertosh/v8-compile-cache) applied after the run rather than at compile
 * time, so it also holds the functions V8 compiles lazily. V8 checks a cache only against the source's length and its
 * own version and flags, so the key is the bundle's size and modification time plus node's flags: a rebuilt bundle
 * never meets an old cache. A rejected or missing cache only costs the compile it would have saved.
 *
 * Kept in plain JavaScript on purpose: it is the one file that runs before anything is built.
 */
"use strict";
const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require("node:fs");
const { createHash } = require("node:crypto");
const Module = require("node:module");
const { dirname, join, relative } = require("node:path");
const vm = require("node:vm");

const ROOT = join(__dirname, "..");
const DIST = join(ROOT, "dist");
/** What a command's bundle was built from. */
const buildInfo = (command) => join(DIST, `${command}.build.json`);

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
  // This file too: its build options shape the bundle.
  const files = ["bin/run.js", "main.ts", "package.json", "package-lock.json", "tsconfig.json"].filter((file) => existsSync(join(ROOT, file)));
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

function isFresh(command, current) {
  try {
    const built = JSON.parse(readFileSync(buildInfo(command), "utf8"));
    return Array.isArray(built.sources) && built.sources.join("\n") === current.join("\n") && existsSync(join(DIST, `${command}.js`));
  } catch {
    return false;
  }
}

/**
 * cdktf captures a full stack trace each time it creates a token (tokens/private/stack-trace.js, called by every
 * Intrinsic and every complex attribute), only to print it if that token later fails to resolve: ~0.2 s of a synth's
 * CPU on a 2-core machine, for text nobody reads. The bundle gets a stand-in that says where to find the trace instead;
 * `npx tsx main.ts` runs the sources with cdktf's own.
 */
const NO_TOKEN_STACK_TRACES = {
  name: "no-token-stack-traces",
  setup(build) {
    build.onLoad({ filter: /[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]stack-trace\.js$/ }, () => ({
      loader: "js",
      contents: [
        '"use strict";',
        'Object.defineProperty(exports, "__esModule", { value: true });',
        'const HINT = ["(token creation traces are left out of the bundle for speed; run `npx tsx main.ts` to see them)"];',
        "exports.captureStackTrace = () => HINT;",
      ].join("\n"),
    }));
  },
};

async function build(commands, current) {
  const esbuild = require("esbuild");
  // Built beside dist/ and renamed into place file by file, so a concurrent run never loads half a bundle.
  const scratch = join(ROOT, `.dist-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  try {
    await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: commands.map((name) => ({ in: COMMANDS[name], out: name })),
      outdir: scratch,
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      // Packages are bundled too: resolving and loading a few thousand provider and cdktf files one by one cost more
      // (~0.2 s, ~25 MiB) than reading one bundle. package-lock.json is in the fingerprint, so an upgrade rebuilds.
      // No keepNames: its __name wrapper costs ~60 ms per run, and nothing reads a function's name (the synthesized
      // JSON is byte-identical); a name esbuild had to change to avoid a clash only shows in a stack trace.
      // A third less to read and compile each run (17.8 -> 12.0 MB for synth, ~0.1 s and ~20 MiB less); identifiers
      // stay, so a stack trace still names the functions.
      minifyWhitespace: true,
      minifySyntax: true,
      logLevel: "error",
      plugins: [NO_TOKEN_STACK_TRACES],
    });
    mkdirSync(DIST, { recursive: true });
    for (const name of commands) {
      for (const file of readdirSync(DIST)) if (file.startsWith(`${name}.js.`)) rmSync(join(DIST, file), { force: true });
      renameSync(join(scratch, `${name}.js`), join(DIST, `${name}.js`));
      writeFileSync(buildInfo(name), `${JSON.stringify({ sources: current }, null, 1)}\n`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Where V8's code cache of `bundle` lives: keyed by the bundle's identity and the flags V8 runs with. */
function codeCachePath(bundle) {
  const stat = statSync(bundle);
  const key = createHash("sha256")
    .update(`${process.version}\0${stat.size}\0${stat.mtimeMs}\0${process.execArgv.join(" ")}`)
    .digest("hex")
    .slice(0, 16);
  return `${bundle}.${key}.v8cache`;
}

/**
 * Runs `bundle` as the main module, with its own arguments in process.argv, as `node dist/<command>.js` would (the CLIs
 * start only when `require.main === module`), but compiled from V8's code cache when there is one.
 */
function runBundle(bundle, args) {
  const cachePath = codeCachePath(bundle);
  let cachedData;
  try {
    cachedData = readFileSync(cachePath);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(readFileSync(bundle, "utf8")), { filename: bundle, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once("exit", () => {
      // Written aside and renamed, so a concurrent run reads a whole cache or none; a failure only loses the speed-up.
      const scratch = `${cachePath}.${process.pid}`;
      try {
        writeFileSync(scratch, script.createCachedData());
        renameSync(scratch, cachePath);
      } catch {
        rmSync(scratch, { force: true });
      }
    });
  }
  const main = new Module(bundle, null);
  main.id = ".";
  main.filename = bundle;
  main.paths = Module._nodeModulePaths(dirname(bundle));
  Module._cache[bundle] = main;
  const requireFromBundle = (id) => main.require(id);
  requireFromBundle.main = main;
  requireFromBundle.resolve = (request, options) => Module._resolveFilename(request, main, false, options);
  requireFromBundle.cache = Module._cache;
  process.argv = [process.argv[0], bundle, ...args];
  script.runInThisContext()(main.exports, requireFromBundle, main, bundle, dirname(bundle));
  main.loaded = true;
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  if (command === undefined || !(command in COMMANDS)) {
    process.stderr.write(`usage: node bin/run.js <${Object.keys(COMMANDS).join("|")}|build> [args...]\n`);
    process.exitCode = 2;
    return;
  }
  const current = fingerprint();
  if (!isFresh(command, current)) await build([command], current);
  runBundle(join(DIST, `${command}.js`), args);
}

function fail(error) {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
}

if (process.argv[2] === "build") {
  build(Object.keys(COMMANDS), fingerprint()).then(
    () => process.stdout.write(`built ${relative(process.cwd(), DIST) || "."}/ (${Object.keys(COMMANDS).join(", ")})\n`),
    fail,
  );
} else {
  main().catch(fail);
}
