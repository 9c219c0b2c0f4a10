/** The recovery-k8s stack built the way main.ts builds it, from the example config with only the Kubernetes target. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import type { RecoveryConfig } from "../../config/schema";
import { buildRecoveryApp } from "../../stacks/app";
import { exampleYamlDocument, synthesizedOnce, validatedConfig, withoutStandby } from "../support/config";
import type { Synthesized } from "./fixtures";

/**
 * The example config's raw document with only targets.kubernetes, without its standby (one dump by URL: see
 * withoutStandby in test/support/config.ts), for a test to edit before validation.
 */
export function exampleDocument(): any {
  const document: any = exampleYamlDocument();
  for (const target of Object.keys(document.targets)) if (target !== "kubernetes") delete document.targets[target];
  withoutStandby(document);
  return document;
}

export function kubernetesConfig(edit: (document: any) => void = () => {}): RecoveryConfig {
  const document = exampleDocument();
  edit(document);
  return validatedConfig(document, "example.yaml (kubernetes only)");
}

/** A config synthesized before in the worker gives the first synth's text again (synthesizedOnce); `fresh` synthesizes anew. */
export function synthKubernetesStack(
  config: RecoveryConfig = kubernetesConfig(),
  options: { fresh?: boolean } = {},
): Synthesized & { terraform?: any; provider?: any } {
  const text = synthesizedOnce(
    config,
    "recovery-k8s",
    () => {
      const outdir = mkdtempSync(join(tmpdir(), "recovery-k8s-"));
      try {
        const stack = buildRecoveryApp(config, outdir).stacks.find((candidate) => candidate.node.id === "recovery-k8s");
        if (stack === undefined) throw new Error("buildRecoveryApp made no recovery-k8s stack");
        return Testing.synth(stack);
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
    },
    options.fresh,
  );
  return JSON.parse(text);
}

/** Resources of a type keyed by their Kubernetes name. */
export function byName(synthesized: Synthesized, type: string): Record<string, any> {
  return Object.fromEntries(Object.values(synthesized.resource[type] ?? {}).map((resource: any) => [resource.metadata.name, resource]));
}

/** The Terraform address (`type.logical_id`) of the resource with this Kubernetes name. */
export function address(synthesized: Synthesized, type: string, name: string): string {
  const entry = Object.entries(synthesized.resource[type] ?? {}).find(([, resource]: [string, any]) => resource.metadata.name === name);
  if (entry === undefined) throw new Error(`no ${type} named ${name}`);
  return `${type}.${entry[0]}`;
}
