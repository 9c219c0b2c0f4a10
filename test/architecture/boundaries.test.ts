/**
 * The direction of the code's dependencies, as docs/architecture.md draws it: config and providers below the cloud
 * modules, the stacks composing modules, and the report reading synthesized JSON without loading a cloud's provider
 * bindings (loading them all costs more than a second). Checked on the import graph of the sources.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = join(__dirname, "..", "..");
const IMPORT = /^(?:import|export)\s[^;]*?from\s+"([^"]+)";/gms;

function importsOf(file: string): string[] {
  return [...readFileSync(file, "utf8").matchAll(IMPORT)].map((match) => match[1]!);
}

function resolveLocal(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [`${base}.ts`, join(base, "index.ts")]) if (existsSync(candidate)) return candidate;
  return undefined;
}

/** Every source file `entry` loads, and every package it names, following relative imports. */
function closure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const specifier of importsOf(file)) {
      if (specifier.startsWith(".")) {
        const target = resolveLocal(file, specifier);
        if (target !== undefined) visit(target);
      } else {
        packages.add(specifier);
      }
    }
  };
  visit(join(ROOT, entry));
  return { files, packages };
}

function sources(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".ts")) out.push(path);
    }
  };
  walk(join(ROOT, folder));
  return out;
}

const rel = (file: string) => relative(ROOT, file);

describe("dependency direction", () => {
  it("providers/ wires providers from config and never reaches into modules/", () => {
    const offending = sources("providers").flatMap((file) =>
      importsOf(file)
        .filter((specifier) => specifier.startsWith(".") && rel(resolveLocal(file, specifier) ?? "").startsWith("modules/"))
        .map((specifier) => `${rel(file)} imports ${specifier}`),
    );
    expect(offending).toEqual([]);
  });

  it("a cloud's modules use no other cloud's modules (the shared Kubernetes workload and Medplum settings aside)", () => {
    const clouds = ["aws", "gcp", "azure"];
    const offending = clouds.flatMap((cloud) =>
      sources(`modules/${cloud}`).flatMap((file) =>
        importsOf(file)
          .map((specifier) => (specifier.startsWith(".") ? rel(resolveLocal(file, specifier) ?? specifier) : specifier))
          .filter((target) => clouds.some((other) => other !== cloud && target.startsWith(`modules/${other}/`)))
          .map((target) => `${rel(file)} imports ${target}`),
      ),
    );
    expect(offending).toEqual([]);
  });

  it("the report loads no provider bindings and no cloud bundle", () => {
    const { files, packages } = closure("report/cli.ts");
    expect([...packages].filter((name) => name.startsWith("@cdktf/provider-"))).toEqual([]);
    expect([...files].map(rel).filter((file) => file === "modules/registry.ts" || /^modules\/(aws|gcp|azure|kubernetes)\/index\.ts$/.test(file))).toEqual([]);
  });

  it("imports provider bindings by their deep paths only", () => {
    const all = ["config", "facts", "modules", "operations", "policy", "providers", "report", "stacks", "synth"].flatMap(sources);
    const barrels = all.flatMap((file) =>
      importsOf(file)
        .filter((specifier) => /^@cdktf\/provider-[a-z]+$/.test(specifier))
        .map((specifier) => `${rel(file)}: ${specifier}`),
    );
    expect(barrels).toEqual([]);
  });
});
