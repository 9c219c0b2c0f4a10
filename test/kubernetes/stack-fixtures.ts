/** The recovery-k8s stack built the way main.ts builds it, from the example config with only the Kubernetes target. */
import type { RecoveryConfig } from "../../config/schema";
import { exampleYamlDocument, validatedConfig, withoutStandby } from "../support/config";
import { synthesizedAppStack } from "../support/synth";
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
  const { text } = synthesizedAppStack(config, "recovery-k8s", options.fresh);
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
