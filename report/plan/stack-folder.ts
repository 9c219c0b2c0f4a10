/**
 * A synthesized stack folder: what the planner needs to know about it (providers, aws provider blocks, backend, data
 * sources), read from its `*.tf.json`, and a configuration-only copy of it to plan in.
 */
import { cpSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { TerraformPlanError } from "./types";

export interface StackConfiguration {
  readonly requiredProviders: ReadonlyArray<{ readonly localName: string; readonly source: string }>;
  readonly awsProviderAliases: ReadonlyArray<string | undefined>;
  readonly hasBackend: boolean;
  readonly dataSources: ReadonlyArray<{ readonly type: string; readonly name: string }>;
}

export function readStackConfiguration(stackDir: string): StackConfiguration {
  const files = existsSync(stackDir) ? readdirSync(stackDir).filter((file) => file.endsWith(".tf.json")) : [];
  if (files.length === 0) throw new TerraformPlanError(`${stackDir}: no *.tf.json file; run \`npm run synth\` first`);
  const requiredProviders: { localName: string; source: string }[] = [];
  const awsProviderAliases: (string | undefined)[] = [];
  const dataSources: { type: string; name: string }[] = [];
  let hasBackend = false;
  for (const file of files) {
    const json = JSON.parse(readFileSync(join(stackDir, file), "utf8")) as {
      terraform?: { required_providers?: Record<string, { source?: string } | string>; backend?: Record<string, unknown>; cloud?: unknown };
      provider?: Record<string, unknown>;
      data?: Record<string, Record<string, unknown>>;
    };
    for (const [localName, requirement] of Object.entries(json.terraform?.required_providers ?? {})) {
      const source = typeof requirement === "string" ? `hashicorp/${localName}` : (requirement.source ?? `hashicorp/${localName}`);
      requiredProviders.push({ localName, source });
    }
    if (json.terraform?.backend && Object.keys(json.terraform.backend).length > 0) hasBackend = true;
    if (json.terraform?.cloud) hasBackend = true;
    const aws = json.provider?.aws;
    for (const block of aws === undefined ? [] : Array.isArray(aws) ? aws : [aws]) {
      awsProviderAliases.push((block as { alias?: string }).alias);
    }
    for (const [type, byName] of Object.entries(json.data ?? {})) {
      for (const name of Object.keys(byName)) dataSources.push({ type, name });
    }
  }
  return { requiredProviders, awsProviderAliases, hasBackend, dataSources };
}

/**
 * Copies the configuration only: no earlier .terraform folder, state, file named in `skip` or (when `dropLockFile`)
 * lock file that could disagree with the mirror.
 */
export function copyStack(source: string, workDir: string, options: { readonly dropLockFile: boolean; readonly skip: readonly string[] }): void {
  cpSync(source, workDir, {
    recursive: true,
    filter: (path) => {
      const name = basename(path);
      if (name === ".terraform" || name.endsWith(".tfstate") || name.endsWith(".tfstate.backup") || options.skip.includes(name)) return false;
      if (options.dropLockFile && name === ".terraform.lock.hcl") return false;
      return true;
    },
  });
}
