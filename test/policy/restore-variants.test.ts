/**
 * Every restore mode of every target synthesizes with zero policy and apply-time errors (issue 11, "Done when"). Each
 * variant is the bundled example with the overrides a customer would write for that mode, validated like a real
 * config; the stack is evaluated with the pack main.ts runs (RECOVERY_PACK), so a failure here is a synth refusal there.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import type { TargetName } from "../../config/schema";
import { TARGETS } from "../../modules/registry";
import { RECOVERY_PACK } from "../../policy";
import { evaluateStack } from "../support/policy";
import { RecoveryStack } from "../../stacks/recovery-stack";
import { exampleConfigWithoutStandby, type ConfigOverrides, RDS_SNAPSHOT_RESTORE, RDS } from "../support/config";

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/medplum-dr";
/** The VNet a cross-region replica was created in, prepared in peacetime. */
const AZURE_EXISTING_NETWORK = {
  mode: "existing",
  virtualNetworkId: `${SUB}/providers/Microsoft.Network/virtualNetworks/dr-vnet`,
  postgresSubnet: { id: `${SUB}/providers/Microsoft.Network/virtualNetworks/dr-vnet/subnets/postgres`, cidr: "10.60.1.0/24" },
  aksSubnet: { id: `${SUB}/providers/Microsoft.Network/virtualNetworks/dr-vnet/subnets/aks` },
  privateEndpointSubnet: { id: `${SUB}/providers/Microsoft.Network/virtualNetworks/dr-vnet/subnets/endpoints`, cidr: "10.60.2.0/24" },
  privateDnsZoneIds: {
    postgres: `${SUB}/providers/Microsoft.Network/privateDnsZones/privatelink.postgres.database.azure.com`,
    redis: `${SUB}/providers/Microsoft.Network/privateDnsZones/privatelink.redis.azure.net`,
    keyVault: `${SUB}/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`,
    blob: `${SUB}/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net`,
  },
};
/** The source instance's VPC (clone and promotion keep the instance in it). */
const GCP_EXISTING_NETWORK = {
  mode: "existing",
  networkName: "medplum-prod-vpc",
  subnetworkName: "medplum-prod-usw1",
  podsRangeName: "gke-pods",
  servicesRangeName: "gke-services",
  privateServicesRangeName: "medplum-prod-psa",
};

const VARIANTS: ReadonlyArray<{ target: TargetName; mode: string; overrides: ConfigOverrides }> = [
  { target: "aws", mode: "aurora snapshot (the example)", overrides: {} },
  {
    target: "aws",
    mode: "rds snapshot",
    overrides: {
      targets: {
        aws: {
          database: {
            ...RDS,
            restore: RDS_SNAPSHOT_RESTORE,
          },
        },
      },
    },
  },
  {
    target: "aws",
    mode: "rds point-in-time (latest, replicated backups)",
    overrides: {
      targets: {
        aws: {
          database: {
            ...RDS,
            restore: { mode: "point-in-time", automatedBackupsArn: "arn:aws:rds:us-west-2:111122223333:auto-backup:ab-example", time: "latest" },
          },
        },
      },
    },
  },
  {
    target: "aws",
    mode: "rds point-in-time (a given time)",
    overrides: {
      targets: {
        aws: {
          database: {
            ...RDS,
            restore: { mode: "point-in-time", automatedBackupsArn: "arn:aws:rds:us-west-2:111122223333:auto-backup:ab-example", time: "2026-11-22T08:30:00Z" },
          },
        },
      },
    },
  },
  { target: "gcp", mode: "backup (the example)", overrides: {} },
  {
    target: "gcp",
    mode: "point-in-time-clone (same region, the source's VPC)",
    overrides: {
      targets: {
        gcp: {
          region: "us-east1",
          network: GCP_EXISTING_NETWORK,
          database: { restore: { mode: "point-in-time-clone", sourceInstance: "medplum-prod", time: "2026-11-22T08:30:00Z" } },
        },
      },
    },
  },
  {
    target: "gcp",
    mode: "replica-promotion (the replica's VPC)",
    overrides: {
      targets: {
        gcp: {
          network: GCP_EXISTING_NETWORK,
          database: { restore: { mode: "replica-promotion", replicaInstance: "medplum-prod-replica-usw1", primaryInstance: "medplum-prod" } },
        },
      },
    },
  },
  { target: "azure", mode: "geo-restore (the example)", overrides: {} },
  {
    target: "azure",
    mode: "point-in-time (the source's region)",
    overrides: {
      targets: {
        azure: {
          region: "eastus",
          database: {
            restore: {
              mode: "point-in-time",
              sourceServerId:
                "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/medplum-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/medplum-prod-pg",
              time: "2026-11-22T08:00:00Z",
            },
          },
        },
      },
    },
  },
  {
    target: "azure",
    mode: "replica-promotion (the replica's VNet)",
    overrides: {
      targets: {
        azure: {
          network: AZURE_EXISTING_NETWORK,
          database: {
            restore: {
              mode: "replica-promotion",
              replicaServerId: `${SUB}/providers/Microsoft.DBforPostgreSQL/flexibleServers/medplum-prod-pg-replica`,
              sourceServerId: `${SUB}/providers/Microsoft.DBforPostgreSQL/flexibleServers/medplum-prod-pg`,
            },
          },
        },
      },
    },
  },
  { target: "kubernetes", mode: "restore-from-dump (the example)", overrides: {} },
  {
    target: "kubernetes",
    mode: "existing database",
    overrides: {
      targets: {
        kubernetes: {
          database: {
            mode: "existing",
            host: "medplum-pg-rw.databases.svc",
            credentials: { secretName: "medplum-pg-app" },
            allowedPeers: [{ namespace: "databases", podLabels: { "cnpg.io/cluster": "medplum-pg" } }],
          },
        },
      },
    },
  },
];

describe.each(VARIANTS.map((variant) => [`${variant.target}: ${variant.mode}`, variant] as const))("%s", (_name, { target, overrides }) => {
  it("synthesizes with no policy or apply-time error", () => {
    // Variants of the recovery's own restore: on the example without its standby sections, which pin their restore.
    const config = exampleConfigWithoutStandby(overrides);
    // The App creates its output folder even though nothing is synthesized to it.
    const outdir = mkdtempSync(join(tmpdir(), "restore-variants-"));
    try {
      const stack = new RecoveryStack(new App({ outdir }), TARGETS[target].stackName, { config, bundle: TARGETS[target].createBundle(config) });
      const report = evaluateStack(stack, { suppressions: config.policy.suppressions }, RECOVERY_PACK);
      const errors = report.findings.filter((finding) => finding.severity === "error" && finding.suppressedBecause === undefined);
      expect(report.suppressionErrors).toEqual([]);
      expect(errors.map((finding) => `${finding.ruleId} at ${finding.path}: ${finding.message}`)).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

/** Options that set more ForceNew attributes on the restored database than the example does. */
const DATABASE_OPTIONS: ReadonlyArray<{ target: TargetName; name: string; overrides: ConfigOverrides }> = [
  {
    target: "azure",
    name: "Flexible Server sized from config, with a customer-managed key (storage_mb, identity)",
    overrides: {
      targets: {
        azure: {
          database: {
            storageMb: 131072,
            customerManagedKey: {
              keyVaultKeyId: "https://medplum-dr-kv.vault.azure.net/keys/postgres",
              identityId:
                "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/medplum-dr/providers/Microsoft.ManagedIdentity/userAssignedIdentities/postgres-cmk",
              geoBackupKeyVaultKeyId: "https://medplum-dr-kv-east.vault.azure.net/keys/postgres-geo",
              geoBackupIdentityId:
                "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/medplum-dr/providers/Microsoft.ManagedIdentity/userAssignedIdentities/postgres-cmk-geo",
            },
          },
        },
      },
    },
  },
  {
    target: "gcp",
    name: "Cloud SQL with a customer-managed key (encryption_key_name)",
    overrides: { targets: { gcp: { database: { kmsKeyName: "projects/acme-medplum-dr/locations/us-west1/keyRings/medplum/cryptoKeys/cloudsql" } } } },
  },
  {
    target: "aws",
    name: "RDS with the key of the snapshot copy named (kms_key_id)",
    overrides: {
      targets: {
        aws: {
          database: {
            ...RDS,
            kmsKeyArn: "arn:aws:kms:us-west-2:111122223333:key/00000000-0000-4000-8000-000000000000",
            restore: RDS_SNAPSHOT_RESTORE,
          },
        },
      },
    },
  },
];

describe.each(DATABASE_OPTIONS.map((option) => [`${option.target}: ${option.name}`, option] as const))("%s", (_name, { target, overrides }) => {
  it("leaves no ForceNew attribute of the restored database outside ignore_changes", () => {
    // Variants of the recovery's own restore: on the example without its standby sections, which pin their restore.
    const config = exampleConfigWithoutStandby(overrides);
    const outdir = mkdtempSync(join(tmpdir(), "restore-variants-"));
    try {
      const stack = new RecoveryStack(new App({ outdir }), TARGETS[target].stackName, { config, bundle: TARGETS[target].createBundle(config) });
      const report = evaluateStack(stack, { suppressions: [] }, RECOVERY_PACK);
      expect(report.findings.filter((finding) => finding.ruleId === "RestoredDatabaseForceNewIgnored").map((finding) => finding.message)).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
