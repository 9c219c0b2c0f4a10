/** Shared fixtures for test/report: the hand-written AWS-shaped stack and configs derived from config/example.yaml. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseRecoveryConfig } from "../../config/load";
import type { RecoveryConfig } from "../../config/schema";
import type { TerraformJson } from "../../report/stack-json";

export const FIXTURE_OUTDIR = join(__dirname, "fixtures", "synth-out");
export const FIXTURE_STACK = "recovery-aws";
export const EXAMPLE_CONFIG_PATH = join(__dirname, "..", "..", "config", "example.yaml");

/** A fresh copy of the fixture stack's JSON, safe to mutate. */
export function fixtureStackJson(): TerraformJson & { resource: Record<string, Record<string, Record<string, unknown>>> } {
  return JSON.parse(readFileSync(join(FIXTURE_OUTDIR, "stacks", FIXTURE_STACK, "cdk.tf.json"), "utf8"));
}

/** config/example.yaml with the objectives (and optionally the snapshot's age) replaced. */
export function exampleConfigText(changes: { rtoMinutes?: number; rpoMinutes?: number; snapshotTakenAt?: string } = {}): string {
  let text = readFileSync(EXAMPLE_CONFIG_PATH, "utf8");
  if (changes.rtoMinutes !== undefined) text = replaceOnce(text, /rtoMinutes: \d+/, `rtoMinutes: ${changes.rtoMinutes}`);
  if (changes.rpoMinutes !== undefined) text = replaceOnce(text, /rpoMinutes: \d+/, `rpoMinutes: ${changes.rpoMinutes}`);
  if (changes.snapshotTakenAt !== undefined) {
    text = replaceOnce(text, /^(\s+)snapshotIdentifier: (.*)$/m, `$1snapshotIdentifier: $2\n$1snapshotTakenAt: "${changes.snapshotTakenAt}"`);
  }
  return text;
}

export function exampleConfig(changes: Parameters<typeof exampleConfigText>[0] = {}): RecoveryConfig {
  return parseRecoveryConfig(exampleConfigText(changes), "example.yaml (test copy)");
}

function replaceOnce(text: string, pattern: RegExp, replacement: string): string {
  if (!pattern.test(text)) throw new Error(`config/example.yaml no longer matches ${pattern}; update test/report/helpers.ts`);
  return text.replace(pattern, replacement);
}

/** Structural checks a Mermaid parser would make and GitHub rendering depends on. */
export function mermaidProblems(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((match) => match[1] as string);
  if (blocks.length !== 1) return [`expected one mermaid block, found ${blocks.length}`];
  const lines = (blocks[0] as string).split("\n");
  const problems: string[] = [];
  if (lines[0] !== "flowchart LR") problems.push(`first line is ${lines[0]}`);
  let depth = 0;
  const declared = new Set<string>();
  const used: string[] = [];
  for (const line of lines.slice(1)) {
    const text = line.trim();
    if (text.startsWith("subgraph ")) {
      depth++;
      if (!/^subgraph [a-z_]+\["[^"]*"\]$/.test(text)) problems.push(`bad subgraph line: ${text}`);
    } else if (text === "end") depth--;
    else if (/^(classDef|class) /.test(text)) continue;
    else if (/^[a-z0-9]+ (-->|-\.->) [a-z0-9]+$/.test(text)) used.push(...text.split(/ -->| -\.->/).map((id) => id.trim()));
    else {
      const node = /^([a-z0-9]+)(\["[^"]*"\]|\(\["[^"]*"\]\))$/.exec(text);
      if (node) declared.add(node[1] as string);
      else problems.push(`unparseable line: ${text}`);
    }
  }
  if (depth !== 0) problems.push(`unbalanced subgraph/end (${depth})`);
  for (const id of used) if (!declared.has(id)) problems.push(`edge uses undeclared node ${id}`);
  return problems;
}
