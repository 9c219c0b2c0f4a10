/**
 * Azure standby test configs: the bundled example's azure target with a `standby` section per tier, and the recovery
 * config the runbook pairs with it (network, storage, vault and, for warm-standby, the replica pointed at what
 * standby-azure keeps). Synthesized through the app, so what is tested is what ships.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Testing } from "cdktf";
import type { RecoveryConfig } from "../../../config/schema";
import { createAzureStandbyBundle } from "../../../modules/azure/standby";
import { StandbyStack } from "../../../stacks/standby-stack";
import { azureConfig, azureProblems, type Overrides } from "../../azure/support";
import { stackJson, type StackJson } from "../../support/stack-json";

export type { Resource } from "../../support/stack-json";
export type SynthesizedStack = StackJson;
export type Tier = "backup-restore" | "pilot-light" | "warm-standby";

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups";
export const STANDBY_GROUP = "medplum-dr-standby-rg";
export const PRIMARY_SERVER_ID = `${SUB}/medplum-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/medplum-prod-pg`;
export const PRIMARY_ACCOUNT_ID = `${SUB}/medplum-prod/providers/Microsoft.Storage/storageAccounts/medplumbinaries`;
export const PRIMARY_VAULT_ID = `${SUB}/medplum-prod/providers/Microsoft.KeyVault/vaults/medplum-prod-kv`;
export const REPLICA_SERVER_ID = `${SUB}/${STANDBY_GROUP}/providers/Microsoft.DBforPostgreSQL/flexibleServers/medplum-dr-pg-replica`;
const VNET = `${SUB}/${STANDBY_GROUP}/providers/Microsoft.Network/virtualNetworks/medplum-dr-vnet`;
const ZONE = (name: string) => `${SUB}/${STANDBY_GROUP}/providers/Microsoft.Network/privateDnsZones/${name}`;

/** What standby-azure builds, as the recovery names it (network mode existing; subnets carved from 10.50.0.0/16). */
export const STANDING_NETWORK = {
  mode: "existing",
  virtualNetworkId: VNET,
  postgresSubnet: { id: `${VNET}/subnets/medplum-dr-postgres`, cidr: "10.50.16.0/24" },
  aksSubnet: { id: `${VNET}/subnets/medplum-dr-aks` },
  privateEndpointSubnet: { id: `${VNET}/subnets/medplum-dr-endpoints`, cidr: "10.50.17.0/24" },
  privateDnsZoneIds: {
    postgres: ZONE("privatelink.postgres.database.azure.com"),
    redis: ZONE("privatelink.redis.azure.net"),
    keyVault: ZONE("privatelink.vaultcore.azure.net"),
    blob: ZONE("privatelink.blob.core.windows.net"),
  },
} as const;

export function standbySection(tier: Tier, overrides: Overrides = {}): Record<string, unknown> {
  return {
    tier,
    database: { primaryServerId: PRIMARY_SERVER_ID },
    storage: { primaryAccountId: PRIMARY_ACCOUNT_ID, primaryContainerName: "binaries", replicaAccountName: "medplumdrbinaries" },
    secrets: { keyVaultName: "medplum-dr-kv", primaryKeyVaultId: PRIMARY_VAULT_ID },
    ...(tier === "backup-restore" ? {} : { network: { cidr: "10.50.0.0/16" } }),
    ...overrides,
  };
}

/** The recovery overrides a tier pairs with: adopt the replica account and vault, and in pilot-light+ the VNet. */
export function recoveryOverrides(tier: Tier): Overrides {
  return {
    storage: {
      mode: "existing",
      accountId: `${SUB}/${STANDBY_GROUP}/providers/Microsoft.Storage/storageAccounts/medplumdrbinaries`,
      containerName: "binaries",
    },
    secrets: { keyVault: { mode: "existing", id: `${SUB}/${STANDBY_GROUP}/providers/Microsoft.KeyVault/vaults/medplum-dr-kv` } },
    ...(tier === "backup-restore" ? {} : { network: STANDING_NETWORK }),
    ...(tier === "warm-standby"
      ? { database: { restore: { mode: "replica-promotion", replicaServerId: REPLICA_SERVER_ID, sourceServerId: PRIMARY_SERVER_ID } } }
      : {}),
  };
}

/**
 * The example with its own azure standby section taken out, so each tier's section below is the whole section, and
 * with the 15-minute RPO objective the watches' thresholds here are stated in (the example's own is 120 minutes, bound
 * by its AWS target's hourly Aurora copies).
 */
function tierRoot(root: Overrides): Overrides {
  const targets = (root.targets ?? {}) as Record<string, Overrides>;
  return {
    ...root,
    objectives: { rpoMinutes: 15, ...((root.objectives ?? {}) as Overrides) },
    targets: { ...targets, azure: { ...(targets.azure ?? {}), standby: null } },
  };
}

export function tierConfig(tier: Tier, standby: Overrides = {}, azure: Overrides = {}, root: Overrides = {}): RecoveryConfig {
  return azureConfig({ ...recoveryOverrides(tier), ...azure, standby: standbySection(tier, standby) }, tierRoot(root));
}

export function tierProblems(tier: Tier, standby: Overrides = {}, azure: Overrides = {}): string[] {
  return azureProblems({ ...recoveryOverrides(tier), ...azure, standby: standbySection(tier, standby) }, tierRoot({}));
}

/** The standby-azure stack of a config, built by StandbyStack with the Azure standby bundle. */
export function synthStandbyAzure(config: RecoveryConfig): SynthesizedStack {
  const app = new App({ outdir: "cdktf.out.test", skipValidation: true });
  return stackJson(Testing.synth(new StandbyStack(app, "standby-azure", { bundle: createAzureStandbyBundle(config) })));
}

/** Every stack the app builds for a config, by name, written and read back as `cdktf synth` writes them. */
export function synthApp(
  config: RecoveryConfig,
  build: (config: RecoveryConfig, outdir: string) => { app: App; stacks: Array<{ node: { id: string } }> },
): Record<string, SynthesizedStack> {
  const outdir = mkdtempSync(join(tmpdir(), "medplum-dr-standby-azure-"));
  try {
    const { app, stacks } = build(config, outdir);
    app.synth();
    return Object.fromEntries(stacks.map((stack) => [stack.node.id, stackJson(readFileSync(join(outdir, "stacks", stack.node.id, "cdk.tf.json"), "utf8"))]));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
