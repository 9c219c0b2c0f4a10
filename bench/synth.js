#!/usr/bin/env node
/**
 * `npm run bench`: how long the commands a platform team runs take, and how much memory they need, as fresh processes
 * (imports dominate, so every run is a new process). Figures, not a test. Each figure is the median of BENCH_RUNS runs
 * (default 5), printed beside its ratio to a bare `node -e "require('cdktf')"` measured in the same run, so figures from
 * different machines compare. Targets are from issue 12, set for the example's four recovery stacks on a 2-core machine;
 * the example has since gained a standby section per target (eight stacks), so the targets are checked on the example
 * without them (test/support/config.ts withoutStandby, the recovery as it was when the targets were set) and the
 * whole example's figures are printed beside them.
 *
 * The floor row is `npm run bench:floor`, a script that runs `node -e 0`: npm's start, a shell and node's start, which
 * every `npm run synth` pays before it loads anything. The distance from the floor is the part the program controls;
 * a target near or below the floor cannot be met on this machine by any change inside the program.
 *
 *   npm run bench
 *   BENCH_RUNS=9 BENCH_CUSTOMERS=8 npm run bench
 *
 * Plain JavaScript, like bin/run.js: a transpiler in the measuring process would only add noise.
 */
"use strict";
const { spawnSync } = require("node:child_process");
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join, resolve } = require("node:path");

const ROOT = resolve(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? "5");
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? "5");
const PROBE = join(__dirname, "rss-probe.js");
const scratch = mkdtempSync(join(tmpdir(), "medplum-dr-bench-"));

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Wall time (ms) and peak RSS (MiB, largest process of the command) of one run; exits on failure. */
function runOnce(command, args, env = {}) {
  const rssFile = join(scratch, "rss");
  writeFileSync(rssFile, "");
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${PROBE}`.trim() },
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    process.stderr.write(`bench: ${command} ${args.join(" ")} exited ${result.status}\n${result.stdout}${result.stderr}`);
    process.exit(1);
  }
  const rss = readFileSync(rssFile, "utf8").split("\n").filter(Boolean).map(Number);
  return { wallMs, rssMiB: Math.max(...rss) / 1024 };
}

function measure(command, args, env) {
  runOnce(command, args, env); // warm: the build step and the file cache, as a developer's second run is
  const samples = Array.from({ length: RUNS }, () => runOnce(command, args, env));
  return { wallMs: median(samples.map((s) => s.wallMs)), rssMiB: median(samples.map((s) => s.rssMiB)) };
}

/** The example without its standby sections, written by the tests' own helper (setup, not measured). */
function fourStackConfig() {
  const path = join(scratch, "four-stacks.yaml");
  const script = [
    'const { readFileSync, writeFileSync } = require("node:fs");',
    'const { parse, stringify } = require("yaml");',
    'const { withoutStandby } = require("./test/support/config");',
    'const doc = parse(readFileSync("config/example.yaml", "utf8"));',
    "withoutStandby(doc);",
    `writeFileSync(${JSON.stringify(path)}, stringify(doc));`,
  ].join("\n");
  const result = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { cwd: ROOT, encoding: "utf8" });
  if (result.status !== 0) {
    process.stderr.write(`bench: could not write the four-stack config\n${result.stdout}${result.stderr}`);
    process.exit(1);
  }
  return path;
}

/** CUSTOMERS copies of `config`, each with its own local state paths (configs may not share one). */
function customerConfigs(config) {
  const example = readFileSync(config, "utf8");
  return Array.from({ length: CUSTOMERS }, (_, index) => {
    let stateFile = 0;
    const text = example.replace(
      /^( +)type: local$/gm,
      (line, indent) => `${line}\n${indent}path: ${join(scratch, `state-${index}`, `${stateFile++}.tfstate`)}`,
    );
    const path = join(scratch, `bench-customer-${index}.yaml`);
    writeFileSync(path, text);
    return path;
  });
}

try {
  const outdir = join(scratch, "out");
  const fourOutdir = join(scratch, "out-four");
  const four = fourStackConfig();
  const bare = measure(process.execPath, ["-e", "require('cdktf')"]);
  // What any `npm run` pays before the program loads anything: npm's own start, a shell, then node's. A target below it
  // cannot be met on this machine by any change inside the program.
  const floor = measure("npm", ["run", "-s", "bench:floor"]);
  const rows = [
    ["npm run synth (4 stacks)", measure("npm", ["run", "-s", "synth", "--", "--outdir", fourOutdir, four]), { wallMs: 600, rssMiB: 200 }],
    [
      "npm run report -- --terraform-plan off (4)",
      measure("npm", ["run", "-s", "report", "--", "--terraform-plan", "off", "--outdir", fourOutdir], { RECOVERY_CONFIG: four }),
      { wallMs: 500 },
    ],
    ["npm run synth (the example: 8 stacks)", measure("npm", ["run", "-s", "synth", "--", "--outdir", outdir])],
    ["node bin/run.js synth (cdktf.json's app, 8)", measure(process.execPath, ["--max-semi-space-size=4", "bin/run.js", "synth", "--outdir", outdir])],
    ["npm run report -- --terraform-plan off (8)", measure("npm", ["run", "-s", "report", "--", "--terraform-plan", "off", "--outdir", outdir])],
  ];
  const configs = customerConfigs(four);
  const one = measure("npm", ["run", "-s", "synth", "--", configs[0]]);
  const many = measure("npm", ["run", "-s", "synth", "--", ...configs]);
  const perCustomer = (many.wallMs - one.wallMs) / (configs.length - 1);

  const ratio = (ms) => `${(ms / bare.wallMs).toFixed(1)}x`;
  const verdict = (value, target, unit) => (target === undefined ? "" : ` (target <= ${target} ${unit}: ${value <= target ? "met" : "MISSED"})`);
  console.log(`medplum-dr bench: median of ${RUNS} runs, node ${process.version}, ${require("node:os").cpus().length} CPUs`);
  console.log(`  bare node -e "require('cdktf')"              ${bare.wallMs.toFixed(0)} ms, ${bare.rssMiB.toFixed(0)} MiB (the unit of the ratios)`);
  console.log(
    `  npm run of node -e 0 (the floor)             ${floor.wallMs.toFixed(0)} ms (${ratio(floor.wallMs)}): what any npm run pays before its program loads`,
  );
  for (const [name, figure, target = {}] of rows) {
    console.log(
      `  ${name.padEnd(45)} ${figure.wallMs.toFixed(0)} ms (${ratio(figure.wallMs)}${name.startsWith("npm ") ? `, floor + ${(figure.wallMs - floor.wallMs).toFixed(0)} ms` : ""})${verdict(figure.wallMs, target.wallMs, "ms")}, ${figure.rssMiB.toFixed(0)} MiB${verdict(figure.rssMiB, target.rssMiB, "MiB")}`,
    );
  }
  console.log(`  npm run synth, 1 customer config (4 stacks)   ${one.wallMs.toFixed(0)} ms`);
  console.log(`  npm run synth, ${configs.length} customer configs             ${many.wallMs.toFixed(0)} ms, ${many.rssMiB.toFixed(0)} MiB`);
  console.log(`  each extra customer                           ${perCustomer.toFixed(0)} ms (${ratio(perCustomer)})${verdict(perCustomer, 150, "ms")}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
  // Several configs are written to cdktf.out.<config name>/ beside the project, as a team's customers would be.
  for (let index = 0; index < CUSTOMERS; index++) rmSync(join(ROOT, `cdktf.out.bench-customer-${index}`), { recursive: true, force: true });
}
