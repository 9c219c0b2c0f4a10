import { readFileSync } from "node:fs";

/** `<table> <count>` per line (non-empty tables); a table outside `public` is written `<schema>.<table>`. */
export function readRowCounts(file: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [index, line] of readFileSync(file, "utf8").split("\n").entries()) {
    if (line.trim() === "" || line.startsWith("#")) continue;
    const match = /^(\S+)\s+(\d+)$/.exec(line.trim());
    if (!match) throw new Error(`${file}:${index + 1}: expected "<table> <count>", found ${JSON.stringify(line)}`);
    counts[match[1] as string] = Number(match[2]);
  }
  return counts;
}
