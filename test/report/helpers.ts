/** Shared fixtures for test/report: the hand-written AWS-shaped stack and configs derived from config/example.yaml. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadedConfig } from "../support/config";
import type { RecoveryConfig } from "../../config/schema";
import type { TerraformJson } from "../../report/stack-json";

export const FIXTURE_OUTDIR = join(__dirname, "fixtures", "synth-out");
export const FIXTURE_STACK = "recovery-aws";
export const EXAMPLE_CONFIG_PATH = join(__dirname, "..", "..", "config", "example.yaml");

/** A fresh copy of the fixture stack's JSON, safe to mutate. */
export function fixtureStackJson(): TerraformJson & { resource: Record<string, Record<string, Record<string, unknown>>> } {
  return JSON.parse(readFileSync(join(FIXTURE_OUTDIR, "stacks", FIXTURE_STACK, "cdk.tf.json"), "utf8"));
}

/**
 * A fresh copy of the fixture stack's JSON whose restore_source_taken_at output says when the snapshot was taken, as
 * the AWS bundle writes it from `restore.snapshotTakenAt`.
 */
export function fixtureStackTakenAt(takenAt: string): ReturnType<typeof fixtureStackJson> {
  const json = fixtureStackJson();
  return { ...json, output: { ...json.output, restore_source_taken_at: { value: takenAt } } };
}

/** Writes fixtureStackTakenAt into a copy of the fixture output folder. */
export function writeFixtureTakenAt(outdir: string, takenAt: string): void {
  writeFileSync(join(outdir, "stacks", FIXTURE_STACK, "cdk.tf.json"), JSON.stringify(fixtureStackTakenAt(takenAt), null, 2));
}

/** config/example.yaml with the objectives replaced. */
export function exampleConfigText(changes: { rtoMinutes?: number; rpoMinutes?: number } = {}): string {
  let text = readFileSync(EXAMPLE_CONFIG_PATH, "utf8");
  if (changes.rtoMinutes !== undefined) text = replaceOnce(text, /rtoMinutes: \d+/, `rtoMinutes: ${changes.rtoMinutes}`);
  if (changes.rpoMinutes !== undefined) text = replaceOnce(text, /rpoMinutes: \d+/, `rpoMinutes: ${changes.rpoMinutes}`);
  return text;
}

export function exampleConfig(changes: Parameters<typeof exampleConfigText>[0] = {}): RecoveryConfig {
  return loadedConfig(exampleConfigText(changes), "example.yaml (test copy)");
}

function replaceOnce(text: string, pattern: RegExp, replacement: string): string {
  if (!pattern.test(text)) throw new Error(`config/example.yaml no longer matches ${pattern}; update test/report/helpers.ts`);
  return text.replace(pattern, replacement);
}

/**
 * Structural checks a Mermaid parser would make and GitHub rendering depends on, for every Mermaid block of a report:
 * the step-level graph and the resource-level one. Not a substitute for rendering with the Mermaid CLI (see the report).
 */
export function mermaidProblems(markdown: string, expectedBlocks = 2): string[] {
  const blocks = [...markdown.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((match) => match[1] as string);
  if (blocks.length !== expectedBlocks) return [`expected ${expectedBlocks} mermaid blocks, found ${blocks.length}`];
  return blocks.flatMap((block, index) => mermaidBlockProblems(block).map((problem) => `block ${index + 1}: ${problem}`));
}

const EDGE = /^([a-z0-9_]+) (-->|-\.->|==>)(?:\|"[^"|]*"\|)? ([a-z0-9_]+)$/;

function mermaidBlockProblems(block: string): string[] {
  const lines = block.split("\n");
  const problems: string[] = [];
  if (lines[0] !== "flowchart LR") problems.push(`first line is ${lines[0]}`);
  let depth = 0;
  let links = 0;
  const declared = new Set<string>();
  const used: string[] = [];
  const styled: number[] = [];
  for (const line of lines.slice(1)) {
    const text = line.trim();
    if (text.startsWith("subgraph ")) {
      depth++;
      if (!/^subgraph [a-z_]+\["[^"]*"\]$/.test(text)) problems.push(`bad subgraph line: ${text}`);
    } else if (text === "end") depth--;
    else if (/^classDef [a-z]+ [a-z-]+: ?[^;]+$/.test(text)) continue;
    else if (/^class [a-z0-9_,]+ [a-z]+$/.test(text)) used.push(...(text.split(" ")[1] as string).split(","));
    else if (/^linkStyle [0-9,]+ [a-z-]+:/.test(text)) styled.push(...(text.split(" ")[1] as string).split(",").map(Number));
    else if (EDGE.test(text)) {
      const [, from, , to] = EDGE.exec(text) as RegExpExecArray;
      used.push(from as string, to as string);
      links++;
    } else {
      const node = /^([a-z0-9_]+)(\["[^"]*"\]|\(\["[^"]*"\]\))$/.exec(text);
      if (node) declared.add(node[1] as string);
      else problems.push(`unparseable line: ${text}`);
    }
  }
  if (depth !== 0) problems.push(`unbalanced subgraph/end (${depth})`);
  for (const id of new Set(used)) if (!declared.has(id)) problems.push(`uses undeclared node ${id}`);
  for (const index of styled) if (!(index >= 0 && index < links)) problems.push(`linkStyle ${index} names no link (${links} links)`);
  return problems;
}
