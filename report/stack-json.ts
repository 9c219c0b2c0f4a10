/**
 * Reading what `npm run synth` wrote: `cdktf.out/manifest.json` and each stack's `cdk.tf.json`. Only the parts the
 * report uses are typed; everything else stays `unknown` and is inspected defensively, because stacks from every cloud
 * (and hand-written fixtures) come through here. A file that is not JSON (a truncated copy, a failed download) or
 * whose blocks are not shaped as Terraform JSON is a SynthOutputError naming the file and the place, never a crash.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { TerraformJson } from "../policy/types";

/** A Terraform JSON block body: resource, data source or module arguments. */
export type Body = Readonly<Record<string, unknown>>;

/** The synthesized stack's JSON: the policy pack's type, so the report and the pack read the same shape. */
export type { TerraformJson } from "../policy/types";

export interface SynthesizedStack {
  readonly name: string;
  /** The stack's cdk.tf.json. */
  readonly file: string;
  /** Folder holding cdk.tf.json; what Terraform runs in. */
  readonly directory: string;
  readonly json: TerraformJson;
}

interface ManifestEntry {
  readonly name?: string;
  readonly synthesizedStackPath?: string;
  readonly workingDirectory?: string;
}

export class SynthOutputError extends Error {
  override readonly name = "SynthOutputError";
}

/** Stacks named in the manifest, in manifest order, optionally only those in `only` (every name in it must exist). */
export function readSynthesizedStacks(outdir: string, only: readonly string[] = []): SynthesizedStack[] {
  const manifestPath = join(outdir, "manifest.json");
  if (!existsSync(manifestPath)) throw new SynthOutputError(`${manifestPath}: not found; run \`npm run synth\` first`);
  const manifest = readJsonFile(manifestPath);
  if (!isObject(manifest) || !isObject(manifest.stacks)) {
    throw new SynthOutputError(`${manifestPath}: has no "stacks" object, so it is not a cdktf manifest; run \`npm run synth\` again`);
  }
  const malformed = (place: string, value: unknown, expected: string) =>
    new SynthOutputError(`${manifestPath}: ${place} is ${describe(value)}, expected ${expected}; run \`npm run synth\` again`);
  for (const [name, entry] of Object.entries(manifest.stacks)) {
    if (!isObject(entry)) throw malformed(`stacks.${name}`, entry, "an object");
    for (const key of ["synthesizedStackPath", "workingDirectory"] as const) {
      if (entry[key] !== undefined && typeof entry[key] !== "string") throw malformed(`stacks.${name}.${key}`, entry[key], "a path");
    }
  }
  const entries = Object.entries(manifest.stacks as Record<string, ManifestEntry>);
  const names = entries.map(([name]) => name);
  const unknown = only.filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    throw new SynthOutputError(`--stack ${unknown.join(", ")}: not in ${manifestPath}; synthesized stacks: ${names.join(", ") || "none"}`);
  }
  return entries
    .filter(([name]) => only.length === 0 || only.includes(name))
    .map(([name, entry]) => {
      const file = join(outdir, entry.synthesizedStackPath ?? join("stacks", name, "cdk.tf.json"));
      if (!existsSync(file)) throw new SynthOutputError(`${file}: named by the manifest but missing; run \`npm run synth\` again`);
      const json = readJsonFile(file);
      checkTerraformJson(file, json);
      return { name, file, directory: join(outdir, entry.workingDirectory ?? join("stacks", name)), json };
    });
}

/** A JSON file's content; a file that does not parse (truncated, damaged) is a SynthOutputError naming it. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new SynthOutputError(`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (text.trim() === "") throw new SynthOutputError(`${path}: is empty; it was truncated or never written: run \`npm run synth\` again`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SynthOutputError(`${path}: is not valid JSON (${(error as Error).message}); it is truncated or damaged: run \`npm run synth\` again`);
  }
}

/** Terraform JSON's block sections and how deep their bodies sit: resource.<type>.<name>, module.<name>. */
const SECTION_DEPTH: Readonly<Record<string, number>> = { resource: 2, data: 2, module: 1, variable: 1, output: 1 };

/** Checks the shape the report walks (objects where bodies are), so a hand-edited stack fails here, by place. */
function checkTerraformJson(file: string, json: unknown): asserts json is TerraformJson {
  const fail = (place: string, value: unknown, expected: string) => {
    throw new SynthOutputError(`${file}: ${place} is ${describe(value)}, expected ${expected}; run \`npm run synth\` again`);
  };
  if (!isObject(json)) fail("the document", json, "a Terraform JSON object");
  const document = json as Record<string, unknown>;
  for (const key of ["terraform", "locals"] as const) {
    if (document[key] !== undefined && !isObject(document[key])) fail(key, document[key], "an object");
  }
  const provider = document.provider;
  if (provider !== undefined) {
    if (!isObject(provider)) fail("provider", provider, "an object");
    for (const [name, blocks] of Object.entries(provider as Record<string, unknown>)) {
      const list = Array.isArray(blocks) ? blocks : [blocks];
      for (const [index, block] of list.entries())
        if (!isObject(block)) fail(`provider.${name}${Array.isArray(blocks) ? `[${index}]` : ""}`, block, "a provider block");
    }
  }
  for (const [section, depth] of Object.entries(SECTION_DEPTH)) {
    const walk = (value: unknown, place: string, level: number) => {
      if (!isObject(value)) fail(place, value, level === depth ? `a ${section} body` : "an object");
      if (level === depth) return;
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) walk(child, `${place}.${key}`, level + 1);
    };
    if (document[section] !== undefined) walk(document[section], section, 0);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  return typeof value === "object" ? "an object" : `the ${typeof value} ${String(value)}`;
}

/** The construct path cdktf records on every block, e.g. `recovery-aws/database/cluster`. */
export function constructPathOf(body: unknown): string | undefined {
  const meta = (body as { "//"?: { metadata?: { path?: unknown } } } | undefined)?.["//"]?.metadata?.path;
  return typeof meta === "string" ? meta : undefined;
}

/** A literal output value, or undefined when the output is computed at apply time (an interpolation). */
export function literalOutput(json: TerraformJson, name: string): string | undefined {
  const value = json.output?.[name]?.value;
  if (typeof value === "string") return value.includes("${") ? undefined : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/** The value of a dotted attribute path in a block body; arrays of one block (Terraform JSON nesting) are stepped through. */
export function attribute(body: unknown, path: string): unknown {
  let current: unknown = body;
  for (const segment of path.split(".")) {
    if (Array.isArray(current)) current = current.length === 1 ? current[0] : undefined;
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
