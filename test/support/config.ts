/**
 * Test configs: the bundled example with overrides, validated like a real config (so a test can never run on a config a
 * user could not write). Overrides merge deeply into the YAML document before validation; arrays replace, `null`
 * deletes a key, and an object whose discriminator (`mode` or `type`) differs from the example's replaces that object
 * whole, so switching e.g. `restore.mode` does not drag along the other mode's fields.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { parseRecoveryConfig, RecoveryConfigError } from "../../config/load";
import type { RecoveryConfig } from "../../config/schema";

export const EXAMPLE_CONFIG_PATH = join(__dirname, "..", "..", "config", "example.yaml");

/** A partial YAML document: any subset of the config's fields, `null` to remove one. */
export type ConfigOverrides = { readonly [key: string]: unknown };

const DISCRIMINATORS = ["mode", "type"] as const;

export function exampleDocument(overrides: ConfigOverrides = {}): Record<string, unknown> {
  const example = parse(readFileSync(EXAMPLE_CONFIG_PATH, "utf8")) as Record<string, unknown>;
  return merge(example, overrides);
}

export function exampleConfig(overrides: ConfigOverrides = {}): RecoveryConfig {
  return parseRecoveryConfig(stringify(exampleDocument(overrides)), "config/example.yaml with test overrides");
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function merge(base: Record<string, unknown>, overrides: ConfigOverrides): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = result[key];
    if (value === null) {
      delete result[key];
    } else if (isPlainObject(value) && isPlainObject(current) && !switchesVariant(current, value)) {
      result[key] = merge(current, value);
    } else {
      result[key] = value;
    }
  }
  return result;
}

function switchesVariant(current: Record<string, unknown>, override: Record<string, unknown>): boolean {
  return DISCRIMINATORS.some((key) => key in override && override[key] !== current[key]);
}

/**
 * The AWS restore from a named cluster snapshot, for tests of a recovery without standby-aws: the example itself
 * restores the newest copy standby-aws keeps (restore.source: standby).
 */
export const NAMED_SNAPSHOT_RESTORE = { mode: "snapshot", source: null, snapshotIdentifier: "arn:aws:rds:us-west-2:111122223333:cluster-snapshot:medplum-prod-copy-2026-11-22" } as const;

/** The example's RPO objective in seconds: the threshold of every lag alarm a standby raises. */
export function exampleRpoSeconds(): number {
  return exampleConfig().objectives.rpoMinutes * 60;
}

/** The one-line problem a config step refuses with (its RecoveryConfigError message); fails when it accepts. */
export function configProblem(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof RecoveryConfigError) return error.message;
    throw error;
  }
  throw new Error("accepted; expected a RecoveryConfigError");
}
