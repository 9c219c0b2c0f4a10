/**
 * Synthesizes the AWS recovery stack for a config and gives typed access to its resources, so tests read as
 * "the cluster's lifecycle ignores ..." rather than as JSON paths.
 */
import type { RecoveryConfig } from "../../config/schema";
import { exampleConfig, type ConfigOverrides } from "../support/config";
import { synthesizedAppStack } from "../support/synth";

export type Resource = Record<string, any>;

export interface SynthesizedStack {
  readonly json: Record<string, any>;
  readonly text: string;
  /** All resources of a type, keyed by logical id. */
  resources(type: string): Record<string, Resource>;
  /** The one resource of a type; fails when there is none or several. */
  only(type: string): Resource;
  /** The one resource of a type whose construct path contains `pathPart`. */
  at(type: string, pathPart: string): Resource;
  /** The Terraform reference `${type.logicalId.attribute}` to the one resource of a type at `pathPart`. */
  ref(type: string, pathPart: string, attribute: string): string;
  /** The Terraform address `type.logicalId` of the one resource of a type at `pathPart`, as `depends_on` lists it. */
  address(type: string, pathPart: string): string;
  /** Every resource of every type, with its type. */
  all(): Array<{ type: string; id: string; resource: Resource }>;
}

/**
 * Synthesizes the app for a config (the example with overrides, or a given one) and returns its recovery-aws stack.
 * Other targets the example carries are dropped unless `allTargets` is set: they cost synth time and a change to them
 * must not break the AWS tests. A config synthesized before in the worker gives the first synth's text again
 * (synthesizedOnce); `fresh` synthesizes anew.
 */
export function synthAws(overridesOrConfig: ConfigOverrides | RecoveryConfig = {}, options: { allTargets?: boolean; fresh?: boolean } = {}): SynthesizedStack {
  const loaded =
    "environment" in overridesOrConfig && "targets" in overridesOrConfig ? (overridesOrConfig as RecoveryConfig) : exampleConfig(overridesOrConfig);
  const config = options.allTargets ? loaded : onlyAws(loaded);
  return wrap(synthesizedAppStack(config, "recovery-aws", options.fresh).text);
}

/** The config with its aws target only. */
export function onlyAws(config: RecoveryConfig): RecoveryConfig {
  return { ...config, targets: { aws: config.targets.aws } };
}

function wrap(text: string): SynthesizedStack {
  const json = JSON.parse(text);
  const resources = (type: string): Record<string, Resource> => json.resource?.[type] ?? {};
  const logicalIdAt = (type: string, pathPart: string): string => {
    const found = Object.entries(resources(type)).filter(([, resource]) => String(resource["//"]?.metadata?.path ?? "").includes(pathPart));
    if (found.length !== 1) throw new Error(`expected exactly one ${type} at *${pathPart}*, found ${found.length}`);
    return found[0]![0];
  };
  return {
    json,
    text,
    resources,
    address: (type, pathPart) => `${type}.${logicalIdAt(type, pathPart)}`,
    ref: (type, pathPart, attribute) => `\${${type}.${logicalIdAt(type, pathPart)}.${attribute}}`,
    all: () =>
      Object.entries(json.resource as Record<string, Record<string, Resource>>).flatMap(([type, byId]) =>
        Object.entries(byId).map(([id, resource]) => ({ type, id, resource })),
      ),
    only(type) {
      const found = Object.values(resources(type));
      if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
      return found[0]!;
    },
    at: (type, pathPart) => resources(type)[logicalIdAt(type, pathPart)]!,
  };
}
