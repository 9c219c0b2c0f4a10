// Preloaded into every Node process the bench starts (NODE_OPTIONS=--require): appends the process's peak RSS to
// BENCH_RSS_FILE at exit, so a command that runs through npm is measured by its largest process.
"use strict";
const file = process.env.BENCH_RSS_FILE;
if (file) process.on("exit", () => require("node:fs").appendFileSync(file, `${process.resourceUsage().maxRSS}\n`));
