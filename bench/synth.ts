/**
 * Prints how long synthesizing the recovery stacks takes and how much memory it needs, per phase, over several fresh
 * processes (imports dominate a cold synth, so each run is a new process). Figures, not a test: run it when touching
 * imports or stack composition, and compare with the numbers in the closing notes.
 *
 *   npm run bench                     # the bundled example config, 3 runs
 *   RECOVERY_CONFIG=config/acme.yaml BENCH_RUNS=5 npm run bench
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";

interface Sample {
  importMs: number;
  constructMs: number;
  synthMs: number;
  maxRssMiB: number;
  stacks: number;
}

function child(configPath: string, outdir: string): void {
  const start = performance.now();
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { loadRecoveryConfig } = require("../config/load") as typeof import("../config/load");
  const { buildRecoveryApp } = require("../stacks/app") as typeof import("../stacks/app");
  const imported = performance.now();
  const { app, stacks } = buildRecoveryApp(loadRecoveryConfig(configPath), outdir);
  const constructed = performance.now();
  app.synth();
  const synthesized = performance.now();
  const sample: Sample = {
    importMs: imported - start,
    constructMs: constructed - imported,
    synthMs: synthesized - constructed,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    stacks: stacks.length,
  };
  process.stdout.write(JSON.stringify(sample));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function parent(): void {
  const configPath = resolve(process.env.RECOVERY_CONFIG ?? "config/example.yaml");
  const runs = Number(process.env.BENCH_RUNS ?? "3");
  const samples: Sample[] = [];
  for (let run = 0; run < runs; run++) {
    const outdir = mkdtempSync(join(tmpdir(), "medplum-dr-bench-"));
    const started = performance.now();
    const result = spawnSync(process.execPath, ["--import", "tsx", __filename, "--child", configPath, outdir], { encoding: "utf8" });
    const wallMs = performance.now() - started;
    rmSync(outdir, { recursive: true, force: true });
    if (result.status !== 0) {
      process.stderr.write(result.stderr);
      process.exit(1);
    }
    const sample = JSON.parse(result.stdout) as Sample;
    samples.push(sample);
    console.log(
      `run ${run + 1}: ${sample.stacks} stacks, wall ${wallMs.toFixed(0)} ms (import ${sample.importMs.toFixed(0)}, construct ${sample.constructMs.toFixed(0)}, synth ${sample.synthMs.toFixed(0)}), peak RSS ${sample.maxRssMiB.toFixed(0)} MiB`,
    );
  }
  const pick = (key: keyof Sample) => median(samples.map((sample) => sample[key]));
  console.log(
    `median of ${runs}: import ${pick("importMs").toFixed(0)} ms, construct ${pick("constructMs").toFixed(0)} ms, synth ${pick("synthMs").toFixed(0)} ms, peak RSS ${pick("maxRssMiB").toFixed(0)} MiB`,
  );
}

if (process.argv[2] === "--child") {
  child(process.argv[3] ?? "config/example.yaml", process.argv[4] ?? "cdktf.out");
} else {
  parent();
}
