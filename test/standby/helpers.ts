/**
 * Standby test configs and synthesis. The standby section comes from config/example.yaml itself (its aws target's
 * `standby:`), so the tests run on exactly the section users copy.
 */
import { RecoveryConfigError } from "../../config/load";
import type { RecoveryConfig } from "../../config/schema";
import { EXAMPLE_CONFIG_PATH, exampleDocument, exampleYamlDocument, type ConfigOverrides, validatedConfig } from "../support/config";
import { synthesizedAppStack } from "../support/synth";

export type Resource = Record<string, any>;

/** The `standby:` section of the example's aws target, as parsed from the file. */
export function exampleStandbySection(): Record<string, unknown> {
  const document = exampleYamlDocument() as { targets?: { aws?: { standby?: Record<string, unknown> } } };
  const section = document.targets?.aws?.standby;
  if (section === undefined) throw new Error(`${EXAMPLE_CONFIG_PATH}: the aws target has no standby section`);
  return section;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Deep merge; arrays replace, `null` deletes (as in test/support/config.ts). */
export function merged(base: Record<string, unknown>, overrides: ConfigOverrides): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null) delete result[key];
    else if (isPlainObject(value) && isPlainObject(result[key])) result[key] = merged(result[key] as Record<string, unknown>, value);
    else result[key] = value;
  }
  return result;
}

/**
 * The example's YAML document with only the aws target, its standby section uncommented, then `standby` merged into
 * the section and `overrides` into the document.
 */
/** The recovery's routing that goes with standby-aws's failover pair: the pair owns the api record. */
export const STANDBY_ROUTING = { targets: { aws: { dns: { routing: { mode: "standby-failover" } } } } } as const;

/** The master credentials' replica a warm standby's promotion reads (restore mode replica-promotion). */
export const WARM_MASTER_SECRET = "arn:aws:secretsmanager:us-west-2:111122223333:secret:medplum/db-master-AbCdEf";

/** The restore the warm-standby tier requires: promote the replica standby-aws keeps. */
export const WARM_STANDBY_RESTORE = {
  targets: {
    aws: {
      database: {
        restore: { mode: "replica-promotion", masterSecretArn: WARM_MASTER_SECRET, source: null, snapshotIdentifier: null, snapshotTakenAt: null },
      },
    },
  },
} as const;

/** In tier warm-standby the recovery promotes the replica (config/schema/aws.ts): that restore replaces any other. */
export function standbyDocument(standby: ConfigOverrides = {}, overrides: ConfigOverrides = {}): Record<string, unknown> {
  const document = exampleDocument({ targets: { gcp: null, azure: null, kubernetes: null, aws: { standby: merged(exampleStandbySection(), standby) } } });
  const configured = merged(document, overrides);
  return standby.tier === "warm-standby" ? merged(configured, WARM_STANDBY_RESTORE) : configured;
}

export function standbyConfig(standby: ConfigOverrides = {}, overrides: ConfigOverrides = {}): RecoveryConfig {
  return validatedConfig(standbyDocument(standby, overrides), "config/example.yaml with its standby section and test overrides");
}

/** The problems the loader reports for a document, one line each. */
export function problemsOf(document: Record<string, unknown>): string[] {
  try {
    validatedConfig(document, "test.yaml");
  } catch (error) {
    if (error instanceof RecoveryConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

export interface SynthesizedStandby {
  readonly stacks: readonly string[];
  readonly json: Record<string, any>;
  readonly text: string;
  resources(type: string): Record<string, Resource>;
  only(type: string): Resource;
  /** Every resource with its type and id. */
  all(): Array<{ type: string; id: string; resource: Resource }>;
  /** The Terraform reference `${type.id.attribute}`. */
  ref(type: string, id: string, attribute: string): string;
}

/**
 * Synthesizes the app for a config and returns its standby-aws stack. A config synthesized before in the worker gives
 * the first synth's stacks again (test/support/config.ts, synthesizedOnce); `fresh` synthesizes anew.
 */
export function synthStandby(config: RecoveryConfig, options: { fresh?: boolean } = {}): SynthesizedStandby {
  const synthesized = synthesizedAppStack(config, "standby-aws", options.fresh);
  const { text } = synthesized;
  const json = JSON.parse(text) as Record<string, any>;
  const resources = (type: string): Record<string, Resource> => json.resource?.[type] ?? {};
  return {
    stacks: synthesized.stacks,
    json,
    text,
    resources,
    only(type) {
      const found = Object.values(resources(type));
      if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
      return found[0]!;
    },
    all: () =>
      Object.entries(json.resource ?? {}).flatMap(([type, byId]) =>
        Object.entries(byId as Record<string, Resource>).map(([id, resource]) => ({ type, id, resource })),
      ),
    ref: (type, id, attribute) => `\${${type}.${id}.${attribute}}`,
  };
}
