import { AZURE_GEO_BACKUP_REGION } from "../../config/schema/azure";
import { azureConfig, azureProblems, EXISTING_NETWORK } from "./support";

const SOURCE =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/medplum-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/medplum-prod-pg";

describe("targets.azure in config/example.yaml", () => {
  it("validates", () => {
    expect(azureProblems()).toEqual([]);
  });

  it("fills the documented defaults", () => {
    const azure = azureConfig().targets.azure!;
    expect(azure.database.applicationUser).toBe("medplum");
    expect(azure.database.deletionProtection).toBe(true);
    expect(azure.secrets.names.databasePassword).toBe("medplum-database-password");
    // Medplum uses the signing key only for CloudFront-signed s3: URLs; Blob storage never needs it.
    expect(azure.secrets.names.signingKey).toBeUndefined();
    expect(azure.cluster.kubeloginMode).toBe("azurecli");
    expect(azure.createResourceGroup).toBe(true);
  });
});

describe("a bad targets.azure is refused with the field's dotted path, the value and what would be accepted", () => {
  const cases: Array<{ name: string; overrides: Record<string, unknown>; root?: Record<string, unknown>; line: RegExp }> = [
    {
      name: "GeoRestore without a source server",
      overrides: { database: { restore: { sourceServerId: null } } },
      line: /^targets\.azure\.database\.restore\.sourceServerId: \(not set\) is missing; expected string$/,
    },
    {
      name: "a source that is not a Flexible Server id",
      overrides: {
        database: { restore: { sourceServerId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/x/providers/Microsoft.Sql/servers/y" } },
      },
      line: /^targets\.azure\.database\.restore\.sourceServerId: ".* is not a Microsoft\.DBforPostgreSQL\/flexibleServers resource id/,
    },
    {
      name: "a restore time in the future",
      overrides: { database: { restore: { time: "2999-01-01T00:00:00Z" } } },
      line: /^targets\.azure\.database\.restore\.time: "2999-01-01T00:00:00Z" is in the future; give a past RFC 3339 time$/,
    },
    {
      name: '"latest", which Azure does not accept',
      overrides: { database: { restore: { time: "latest" } } },
      line: /^targets\.azure\.database\.restore\.time: "latest" is not accepted by Azure for a restore; give an explicit past RFC 3339 time/,
    },
    {
      name: "a restore time without a zone",
      overrides: { database: { restore: { time: "2026-11-22T08:00:00" } } },
      line: /^targets\.azure\.database\.restore\.time: "2026-11-22T08:00:00" is not an RFC 3339 time with a zone/,
    },
    {
      name: "GeoRestore into a region that is not the source region's pair",
      overrides: { region: "westus2" },
      line: /^targets\.azure\.region: "westus2" is not where eastus's geo-backups are kept; geo-restore only restores into the paired region westus$/,
    },
    {
      name: "GeoRestore from a region missing from the pair table",
      overrides: { primaryRegion: "qatarcentral" },
      line: /^targets\.azure\.primaryRegion: "qatarcentral" is not in the table of supported region pairs/,
    },
    {
      name: "a regional recovery into the lost region",
      overrides: { region: "eastus" },
      line: /^targets\.azure\.region: "eastus" is the primary region too; geo-restore recovers into a different region than eastus$/,
    },
    {
      name: "a point-in-time restore into another region than the source's",
      overrides: { database: { restore: { mode: "point-in-time", sourceServerId: SOURCE, time: "2026-11-22T08:00:00Z" } } },
      line: /^targets\.azure\.database\.restore\.mode: "point-in-time" restores into the source's region eastus only, not westus/,
    },
    {
      name: "a replica promotion into a new network",
      overrides: { region: "westus2", database: { restore: { mode: "replica-promotion", replicaServerId: SOURCE } } },
      line: /^targets\.azure\.network\.mode: "new" cannot hold a promoted replica, which keeps the delegated subnet it was created in; use mode "existing"/,
    },
    {
      name: "a version that differs from the source's",
      overrides: { database: { version: "17", sourceVersion: "16" } },
      line: /^targets\.azure\.database\.version: "17" differs from targets\.azure\.database\.sourceVersion \(16\)/,
    },
    {
      name: "a PostgreSQL version Medplum does not run on",
      overrides: { database: { version: "13", sourceVersion: "13" } },
      line: /^targets\.azure\.database\.version: "13" is not one of "14", "15", "16", "17"$/,
    },
    {
      name: "a TTL above 60 seconds",
      overrides: { dns: { ttlSeconds: 300 } },
      line: /^targets\.azure\.dns\.ttlSeconds: 300 is above 60; resolvers would keep sending users to the lost region/,
    },
    {
      name: "an api host outside the DNS zone",
      overrides: { dns: { zoneName: "other.example.com" } },
      line: /^targets\.azure\.dns\.zoneName: "other\.example\.com" does not contain medplum\.hostnames\.api \(api\.medplum\.example\.com\)/,
    },
    {
      name: "a cluster-mode Redis Medplum's client cannot use",
      overrides: { cache: { clusteringPolicy: "OSSCluster" } },
      line: /^targets\.azure\.cache\.clusteringPolicy: "OSSCluster" is not one of "NoCluster", "EnterpriseCluster"$/,
    },
    {
      name: "an API server open to the internet",
      overrides: { cluster: { apiServer: { mode: "authorized-ranges", authorizedIpRanges: [] } } },
      line: /^targets\.azure\.cluster\.apiServer\.authorizedIpRanges: \[\] needs at least one range/,
    },
    {
      name: "a cluster nobody can administer",
      overrides: { cluster: { adminGroupObjectIds: [] } },
      line: /^targets\.azure\.cluster\.adminGroupObjectIds: \[\] needs at least one group/,
    },
    {
      name: "a node ceiling below the floor",
      overrides: { cluster: { minNodes: 4, maxNodes: 3 } },
      line: /^targets\.azure\.cluster\.maxNodes: 3 is below targets\.azure\.cluster\.minNodes \(4\)$/,
    },
    {
      name: "a backup retention Azure refuses",
      overrides: { database: { backupRetentionDays: 3 } },
      line: /^targets\.azure\.database\.backupRetentionDays: 3 must be at least 7/,
    },
    {
      name: "a customer-managed key without its geo-backup twin",
      overrides: {
        database: {
          customerManagedKey: {
            keyVaultKeyId: "https://medplum-dr-kv.vault.azure.net/keys/postgres",
            identityId:
              "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/medplum-dr/providers/Microsoft.ManagedIdentity/userAssignedIdentities/pg",
          },
        },
      },
      line: /^targets\.azure\.database\.customerManagedKey: .* has no geoBackupKeyVaultKeyId\/geoBackupIdentityId/,
    },
    {
      name: "an ingress certificate outside the recovery vault",
      overrides: { ingress: { tls: { mode: "key-vault-certificate", certificateUri: "https://primary-kv.vault.azure.net/certificates/api" } } },
      line: /^targets\.azure\.ingress\.tls\.certificateUri: ".*" is not in the recovery vault medplum-dr-kv/,
    },
    {
      name: "a Kubernetes patch version the auto-upgrade channel would fight",
      overrides: { cluster: { kubernetesVersion: "1.31.2" } },
      line: /^targets\.azure\.cluster\.kubernetesVersion: "1\.31\.2" is not a Kubernetes major\.minor version/,
    },
    {
      name: "no storage size, which would give 32 GiB whatever the source's size",
      overrides: { database: { storageMb: null } },
      line: /^targets\.azure\.database\.storageMb: \(not set\) is missing; expected number$/,
    },
    {
      name: "a storage size the provider does not accept",
      overrides: { database: { storageMb: 100000 } },
      line: /^targets\.azure\.database\.storageMb: 100000 is not a Flexible Server storage size; use one of 32768, 65536/,
    },
    {
      name: "a replica promotion without the replica's source, which create_mode Replica goes with",
      overrides: {
        region: "westus2",
        network: EXISTING_NETWORK,
        database: { restore: { mode: "replica-promotion", replicaServerId: SOURCE.replace("medplum-prod-pg", "medplum-prod-pg-replica") } },
      },
      line: /^targets\.azure\.database\.restore\.sourceServerId: \(not set\) is missing; expected string$/,
    },
    {
      name: "node pool zones in a region without availability zones",
      overrides: { cluster: { zones: ["1", "2", "3"] } },
      line: /^targets\.azure\.cluster\.zones: \["1","2","3"\] asks for availability zones, but westus has no availability zones \(facts\/azure-regions\.ts\); remove it/,
    },
    {
      name: "a ZoneRedundant standby in a region without availability zones",
      overrides: { database: { highAvailability: "ZoneRedundant" } },
      line: /^targets\.azure\.database\.highAvailability: "ZoneRedundant" needs availability zones, but westus has no availability zones .*; use "SameZone"/,
    },
    {
      name: "zone-redundant storage in a region without availability zones",
      overrides: { storage: { mode: "new", accountName: "medplumdrbinaries", containerName: "binaries", replication: "GZRS" } },
      line: /^targets\.azure\.storage\.replication: "GZRS" needs availability zones, but westus has no availability zones .*; use "GRS" or "RAGRS"/,
    },
    {
      name: "a misspelt safety setting",
      overrides: { database: { deletionProtecton: false } },
      line: /^targets\.azure\.database\.deletionProtecton: is not a known field/,
    },
  ];

  it.each(cases)("$name", ({ overrides, root, line }) => {
    const problems = azureProblems(overrides, root);
    expect(
      problems.some((problem) => line.test(problem)),
      `problems were:\n${problems.join("\n")}`,
    ).toBe(true);
  });

  it("accepts a point-in-time restore in the source's own region (a logical, not regional, disaster)", () => {
    expect(azureProblems({ region: "eastus", database: { restore: { mode: "point-in-time", sourceServerId: SOURCE, time: "2026-11-22T08:00:00Z" } } })).toEqual(
      [],
    );
  });

  it("accepts replica promotion in any other region, paired or not", () => {
    const replica = SOURCE.replace("medplum-prod-pg", "medplum-prod-pg-replica");
    expect(
      azureProblems({
        region: "westus2",
        network: EXISTING_NETWORK,
        database: { restore: { mode: "replica-promotion", replicaServerId: replica, sourceServerId: SOURCE } },
      }),
    ).toEqual([]);
  });

  it("accepts zones asked for where the region has them, and a SameZone standby anywhere", () => {
    const pointInTime = { mode: "point-in-time", sourceServerId: SOURCE, time: "2026-11-22T08:00:00Z" };
    expect(azureProblems({ region: "eastus", cluster: { zones: ["1", "2"] }, database: { highAvailability: "ZoneRedundant", restore: pointInTime } })).toEqual(
      [],
    );
    expect(azureProblems({ database: { highAvailability: "SameZone" } })).toEqual([]);
  });
});

describe("the region pair table", () => {
  it("never pairs a region with itself", () => {
    for (const [source, pair] of Object.entries(AZURE_GEO_BACKUP_REGION)) {
      expect(pair).not.toBe(source);
      expect(pair).toMatch(/^[a-z0-9]+$/);
    }
  });

  it("is the paired-region column of the region table in facts/", () => {
    expect(Object.keys(AZURE_GEO_BACKUP_REGION).length).toBeGreaterThan(30);
    expect(AZURE_GEO_BACKUP_REGION.qatarcentral).toBeUndefined();
  });

  it("knows the pairs the example and the docs use", () => {
    expect(AZURE_GEO_BACKUP_REGION.eastus).toBe("westus");
    expect(AZURE_GEO_BACKUP_REGION.eastus2).toBe("centralus");
    expect(AZURE_GEO_BACKUP_REGION.northeurope).toBe("westeurope");
    expect(AZURE_GEO_BACKUP_REGION.westus3).toBe("eastus");
  });
});
