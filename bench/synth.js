#!/usr/bin/env node
/**
 * `npm run bench`: how long the commands a platform team runs take, and how much memory they need, as fresh processes
 * (imports dominate, so every run is a new process). Figures, not a test. Each figure is the median of BENCH_RUNS runs
 * (default 5), printed beside its ratio to a bare `node -e "require('cdktf')"` measured in the same run, so figures from
 * different machines compare. Targets are from issue 12 (the example's four stacks, a 2-core machine).
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

/** CUSTOMERS copies of the example config, each with its own local state paths (configs may not share one). */
function customerConfigs() {
  const example = readFileSync(join(ROOT, "config/example.yaml"), "utf8");
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
  const bare = measure(process.execPath, ["-e", "require('cdktf')"]);
  const rows = [
    ["npm run synth", measure("npm", ["run", "-s", "synth", "--", "--outdir", outdir]), { wallMs: 600, rssMiB: 200 }],
    ["node bin/run.js synth (what cdktf.json runs)", measure(process.execPath, ["--max-semi-space-size=4", "bin/run.js", "synth", "--outdir", outdir])],
    ["npm run report -- --terraform-plan off", measure("npm", ["run", "-s", "report", "--", "--terraform-plan", "off", "--outdir", outdir]), { wallMs: 500 }],
  ];
  const configs = customerConfigs();
  const one = measure("npm", ["run", "-s", "synth", "--", configs[0]]);
  const many = measure("npm", ["run", "-s", "synth", "--", ...configs]);
  const perCustomer = (many.wallMs - one.wallMs) / (configs.length - 1);

  const ratio = (ms) => `${(ms / bare.wallMs).toFixed(1)}x`;
  const verdict = (value, target, unit) => (target === undefined ? "" : ` (target <= ${target} ${unit}: ${value <= target ? "met" : "MISSED"})`);
  console.log(`medplum-dr bench: median of ${RUNS} runs, node ${process.version}, ${require("node:os").cpus().length} CPUs`);
  console.log(`  bare node -e "require('cdktf')"           ${bare.wallMs.toFixed(0)} ms, ${bare.rssMiB.toFixed(0)} MiB (the unit of the ratios)`);
  for (const [name, figure, target = {}] of rows) {
    console.log(
      `  ${name.padEnd(42)} ${figure.wallMs.toFixed(0)} ms (${ratio(figure.wallMs)})${verdict(figure.wallMs, target.wallMs, "ms")}, ${figure.rssMiB.toFixed(0)} MiB${verdict(figure.rssMiB, target.rssMiB, "MiB")}`,
    );
  }
  console.log(`  npm run synth, 1 customer config           ${one.wallMs.toFixed(0)} ms`);
  console.log(`  npm run synth, ${configs.length} customer configs          ${many.wallMs.toFixed(0)} ms, ${many.rssMiB.toFixed(0)} MiB`);
  console.log(`  each extra customer                        ${perCustomer.toFixed(0)} ms (${ratio(perCustomer)})${verdict(perCustomer, 150, "ms")}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
  // Several configs are written to cdktf.out.<config name>/ beside the project, as a team's customers would be.
  for (let index = 0; index < CUSTOMERS; index++) rmSync(join(ROOT, `cdktf.out.bench-customer-${index}`), { recursive: true, force: true });
}
