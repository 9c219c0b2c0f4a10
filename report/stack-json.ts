/**
 * Reading what `npm run synth` wrote: `cdktf.out/manifest.json` and each stack's `cdk.tf.json`. Only the parts the
 * report uses are typed; everything else stays `unknown` and is inspected defensively, because stacks from every cloud
 * (and hand-written fixtures) come through here.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** A Terraform JSON block body: resource, data source or module arguments. */
export type Body = Readonly<Record<string, unknown>>;

export interface TerraformJson {
  readonly "//"?: unknown;
  readonly terraform?: Body;
  readonly provider?: Readonly<Record<string, unknown>>;
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Body>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, Body>>>>;
  readonly locals?: Readonly<Record<string, unknown>>;
  readonly module?: Readonly<Record<string, Body>>;
  readonly variable?: Readonly<Record<string, Body>>;
  readonly output?: Readonly<Record<string, { readonly value?: unknown; readonly description?: string }>>;
}

export interface SynthesizedStack {
  readonly name: string;
  /** Folder holding cdk.tf.json; what Terraform runs in. */
  readonly directory: string;
  readonly json: TerraformJson;
}

interface Manifest {
  readonly stacks?: Readonly<Record<string, { readonly name?: string; readonly synthesizedStackPath?: string; readonly workingDirectory?: string }>>;
}

export class SynthOutputError extends Error {
  override readonly name = "SynthOutputError";
}

/** Stacks named in the manifest, in manifest order, optionally only those in `only` (every name in it must exist). */
export function readSynthesizedStacks(outdir: string, only: readonly string[] = []): SynthesizedStack[] {
  const manifestPath = join(outdir, "manifest.json");
  if (!existsSync(manifestPath)) throw new SynthOutputError(`${manifestPath}: not found; run \`npm run synth\` first`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
  const entries = Object.entries(manifest.stacks ?? {});
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
      return { name, directory: join(outdir, entry.workingDirectory ?? join("stacks", name)), json: JSON.parse(readFileSync(file, "utf8")) as TerraformJson };
    });
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
