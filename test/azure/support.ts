/**
 * Test configs and synthesis for the Azure target. Configs are the bundled example with overrides, validated like a
 * real config (a test never runs on a config a user could not write). Overrides merge deeply; arrays replace, `null`
 * deletes a key, and an object whose `mode` or `type` differs from the example's replaces that object whole.
 * Only the Azure stack is synthesized, so these tests do not depend on the other targets' bundles.
 */
import { join } from "node:path";
import { App, Testing } from "cdktf";
import { RecoveryConfigError } from "../../config/load";
import type { RecoveryConfig } from "../../config/schema";
import { createAzureBundle } from "../../modules/azure";
import { RecoveryStack } from "../../stacks/recovery-stack";
import { AZURE_WITHOUT_STANDBY, exampleYamlDocument, synthesizedOnce, validatedConfig } from "../support/config";

export const EXAMPLE_CONFIG_PATH = join(__dirname, "..", "..", "config", "example.yaml");

export type Overrides = { readonly [key: string]: unknown };
const DISCRIMINATORS = ["mode", "type"] as const;

export function exampleDocument(overrides: Overrides = {}): Record<string, unknown> {
  return merge(exampleYamlDocument(), overrides);
}

/**
 * The example's Azure target as a recovery without standby-azure: its standby section taken out, the binaries in the
 * primary's GRS account and the secrets in a vault filled by hand, instead of the replica account and the vault
 * standby-azure keeps. The tests of the recovery's own steps run on it; the standby tests add a tier back.
 */
export const WITHOUT_STANDBY: Overrides = { standby: null, ...AZURE_WITHOUT_STANDBY };

/** The example with `targets.azure` overrides over WITHOUT_STANDBY; other targets are dropped so only Azure is exercised. */
export function azureConfig(azureOverrides: Overrides = {}, rootOverrides: Overrides = {}): RecoveryConfig {
  const document = exampleDocument({ ...rootOverrides });
  const targets = document.targets as Record<string, unknown>;
  document.targets = { azure: merge(merge(targets.azure as Record<string, unknown>, WITHOUT_STANDBY), azureOverrides) };
  return validatedConfig(document, "config/example.yaml (azure) with test overrides");
}

/** The problems a config with these `targets.azure` overrides is refused with; [] when it is accepted. */
export function azureProblems(azureOverrides: Overrides = {}, rootOverrides: Overrides = {}): string[] {
  try {
    azureConfig(azureOverrides, rootOverrides);
  } catch (error) {
    if (error instanceof RecoveryConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

const VNET = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/dr";
const ZONE = (name: string) => `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/privateDnsZones/${name}`;

/** A `network.mode: existing` override: a VNet prepared in peacetime (e.g. the read replica's). */
export const EXISTING_NETWORK = {
  mode: "existing",
  virtualNetworkId: VNET,
  postgresSubnet: { id: `${VNET}/subnets/pg`, cidr: "10.9.1.0/24" },
  aksSubnet: { id: `${VNET}/subnets/aks` },
  privateEndpointSubnet: { id: `${VNET}/subnets/pe`, cidr: "10.9.2.0/24" },
  privateDnsZoneIds: {
    postgres: ZONE("privatelink.postgres.database.azure.com"),
    redis: ZONE("privatelink.redis.azure.net"),
    keyVault: ZONE("privatelink.vaultcore.azure.net"),
    blob: ZONE("privatelink.blob.core.windows.net"),
  },
} as const;

export type Resource = Record<string, any>;

export interface SynthesizedStack {
  readonly json: Record<string, any>;
  readonly text: string;
  resources(type: string): Record<string, Resource>;
  /** The one resource of a type; fails when there is none or several. */
  only(type: string): Resource;
  /** The one resource of a type whose construct path contains `pathPart` (e.g. `database/restore`). */
  at(type: string, pathPart: string): Resource;
  /** The Terraform address (`type.logicalId`) of the one resource of a type at `pathPart`. */
  address(type: string, pathPart: string): string;
}

/** A config synthesized before in the worker gives the first synth's text again (synthesizedOnce); `fresh` synthesizes anew. */
export function synthAzure(config: RecoveryConfig = azureConfig(), options: { fresh?: boolean } = {}): SynthesizedStack {
  return wrap(
    synthesizedOnce(
      config,
      "recovery-azure",
      () =>
        Testing.synth(
          new RecoveryStack(new App({ outdir: "cdktf.out.test", skipValidation: true }), "recovery-azure", { config, bundle: createAzureBundle(config) }),
        ),
      options.fresh,
    ),
  );
}

function wrap(text: string): SynthesizedStack {
  const json = JSON.parse(text);
  const resources = (type: string): Record<string, Resource> => json.resource?.[type] ?? {};
  // Logical ids are the construct path joined with underscores plus a hash, e.g. database_restore_flexible_server_193D29DD.
  const matching = (type: string, pathPart: string) =>
    Object.entries(resources(type)).filter(([logicalId]) => logicalId.includes(pathPart.replace(/\//g, "_")));
  return {
    json,
    text,
    resources,
    only(type) {
      const found = Object.values(resources(type));
      if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
      return found[0]!;
    },
    at(type, pathPart) {
      const found = matching(type, pathPart);
      if (found.length !== 1) throw new Error(`expected exactly one ${type} at *${pathPart}*, found ${found.length}`);
      return found[0]![1];
    },
    address(type, pathPart) {
      const found = matching(type, pathPart);
      if (found.length !== 1) throw new Error(`expected exactly one ${type} at *${pathPart}*, found ${found.length}`);
      return `${type}.${found[0]![0]}`;
    },
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function merge(base: Record<string, unknown>, overrides: Overrides): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = result[key];
    if (value === null) delete result[key];
    else if (isPlainObject(value) && isPlainObject(current) && !DISCRIMINATORS.some((d) => d in value && value[d] !== current[d]))
      result[key] = merge(current, value);
    else result[key] = value;
  }
  return result;
}
