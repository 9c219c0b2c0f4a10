import { Testing } from "cdktf";
import { FlexibleServer, RESTORE_INPUTS, type FlexibleServerProps } from "../../modules/azure/postgresql-server";
import { azureConfig, EXISTING_NETWORK, synthAzure } from "./support";

const SOURCE =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/medplum-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/medplum-prod-pg";
const REPLICA =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/medplum-dr-db/providers/Microsoft.DBforPostgreSQL/flexibleServers/medplum-prod-pg-replica";

describe("the recovered Flexible Server, geo-restore (the example)", () => {
  const stack = synthAzure();
  const server = stack.only("azurerm_postgresql_flexible_server");

  it("geo-restores the configured source at the configured time into the recovery region", () => {
    expect(server.create_mode).toBe("GeoRestore");
    expect(server.source_server_id).toBe(SOURCE);
    expect(server.point_in_time_restore_time_in_utc).toBe("2026-11-22T08:00:00Z");
    expect(server.location).toBe("westus");
    expect(server.version).toBe("16");
  });

  it("never re-restores on a later run: every restore input and ForceNew attribute is ignored after creation", () => {
    expect(server.lifecycle.ignore_changes).toEqual(
      expect.arrayContaining(["create_mode", "source_server_id", "point_in_time_restore_time_in_utc", "administrator_login", "administrator_password"]),
    );
    expect(server.lifecycle.ignore_changes).toEqual(
      expect.arrayContaining(["geo_redundant_backup_enabled", "customer_managed_key", "delegated_subnet_id", "private_dns_zone_id", "version"]),
    );
  });

  it("cannot be destroyed by Terraform or by hand while deletion protection is on", () => {
    expect(server.lifecycle.prevent_destroy).toBe(true);
    const lock = stack.only("azurerm_management_lock");
    expect(lock.lock_level).toBe("CanNotDelete");
    expect(lock.scope).toMatch(/^\$\{azurerm_postgresql_flexible_server\..*\.id\}$/);
  });

  it("is reachable only privately: delegated subnet, private DNS zone, no public access", () => {
    expect(server.public_network_access_enabled).toBe(false);
    expect(server.delegated_subnet_id).toMatch(/^\$\{azurerm_subnet\.network_vnet_postgres_.*\.id\}$/);
    expect(server.private_dns_zone_id).toMatch(/^\$\{azurerm_private_dns_zone\.network_vnet_postgresZone_.*\.id\}$/);
  });

  it("keeps backups: geo-redundant, with the configured retention", () => {
    expect(server.geo_redundant_backup_enabled).toBe(true);
    expect(server.backup_retention_days).toBe(14);
  });

  it("keeps a SameZone standby in westus, which has no availability zones for a ZoneRedundant one", () => {
    expect(server.high_availability).toEqual({ mode: "SameZone" });
    expect(server.zone).toBeUndefined();
  });

  it("is sized from config with storage auto-grow on, not the provider's 32 GiB with auto-grow off", () => {
    expect(server.storage_mb).toBe(131072);
    expect(server.auto_grow_enabled).toBe(true);
  });

  it("never shrinks back after auto-grow: a storage_mb below the grown size forces a new server, so it is ignored", () => {
    expect(server.lifecycle.ignore_changes).toContain("storage_mb");
  });

  it("is created after its private DNS zone is linked to the VNet", () => {
    expect(server.depends_on).toEqual([stack.address("azurerm_private_dns_zone_virtual_network_link", "network/vnet/postgresZoneLink")]);
  });

  it("carries no admin credential: a restored server keeps the source's", () => {
    expect(server.administrator_login).toBeUndefined();
    expect(server.administrator_password).toBeUndefined();
  });

  it("waits as long as a large geo-restore takes", () => {
    expect(server.timeouts.create).toBe("180m");
  });

  it("requires TLS 1.2+ and sets Medplum's parameters and extensions, one after another", () => {
    const parameters = Object.values(stack.resources("azurerm_postgresql_flexible_server_configuration"));
    const byName = Object.fromEntries(parameters.map((parameter) => [parameter.name, parameter.value]));
    expect(byName).toEqual({
      require_secure_transport: "on",
      ssl_min_protocol_version: "TLSv1.2",
      statement_timeout: "60000",
      default_transaction_isolation: "repeatable read",
      "azure.extensions": "PG_STAT_STATEMENTS,BTREE_GIN,PG_TRGM",
    });
    // Azure refuses concurrent parameter updates on one server.
    expect(parameters.filter((parameter) => parameter.depends_on === undefined)).toHaveLength(1);
  });

  it("reports its provenance in the outputs", () => {
    expect(stack.json.output.restore_mode.value).toBe("geo-restore");
    expect(stack.json.output.restore_source.value).toBe(SOURCE);
    expect(stack.json.output.restore_point.value).toBe("2026-11-22T08:00:00Z");
    expect(stack.json.output.database_endpoint.value).toMatch(/^\$\{azurerm_postgresql_flexible_server\..*\.fqdn\}:5432$/);
  });
});

describe("point-in-time restore", () => {
  const stack = synthAzure(
    azureConfig({ region: "eastus", database: { restore: { mode: "point-in-time", sourceServerId: SOURCE, time: "2026-11-22T07:45:00Z" } } }),
  );
  const server = stack.only("azurerm_postgresql_flexible_server");

  it("uses PointInTimeRestore with both the source and the time Azure requires", () => {
    expect(server.create_mode).toBe("PointInTimeRestore");
    expect(server.source_server_id).toBe(SOURCE);
    expect(server.point_in_time_restore_time_in_utc).toBe("2026-11-22T07:45:00Z");
  });
});

describe("replica promotion", () => {
  const stack = synthAzure(
    azureConfig({
      region: "westus2",
      network: EXISTING_NETWORK,
      database: { restore: { mode: "replica-promotion", replicaServerId: REPLICA, sourceServerId: SOURCE } },
    }),
  );
  const server = stack.only("azurerm_postgresql_flexible_server");

  it("promotes the replica the way azurerm accepts: replication_role None with create_mode Replica and its source", () => {
    expect(server.replication_role).toBe("None");
    expect(server.create_mode).toBe("Replica");
    expect(server.source_server_id).toBe(SOURCE);
    expect(server.point_in_time_restore_time_in_utc).toBeUndefined();
  });

  it("lets create_mode reach the provider (the import leaves it empty; it is not ForceNew), but never the ForceNew inputs", () => {
    const ignored: string[] = server.lifecycle.ignore_changes;
    expect(ignored).not.toContain("create_mode");
    expect(ignored).toEqual(
      expect.arrayContaining([
        "source_server_id",
        "location",
        "storage_mb",
        "delegated_subnet_id",
        "private_dns_zone_id",
        "geo_redundant_backup_enabled",
        "version",
      ]),
    );
    expect(server.lifecycle.prevent_destroy).toBe(true);
  });

  it("adopts the existing replica with an import block, keeping its name and resource group (both force a new server)", () => {
    const address = stack.address("azurerm_postgresql_flexible_server", "database/restore");
    expect(stack.json.import).toContainEqual({ id: REPLICA, to: address });
    expect(server.name).toBe("medplum-prod-pg-replica");
    expect(server.resource_group_name).toBe("medplum-dr-db");
  });

  it("waits for no VNet link it does not create: the replica's zones are linked already", () => {
    expect(server.depends_on).toBeUndefined();
  });

  it("keeps a ZoneRedundant standby in westus2, which has availability zones", () => {
    expect(server.high_availability).toEqual({ mode: "ZoneRedundant" });
  });

  it("reports the replica as the source", () => {
    expect(stack.json.output.restore_mode.value).toBe("replica-promotion");
    expect(stack.json.output.restore_source.value).toBe(REPLICA);
  });
});

describe("a drill with deletion protection off", () => {
  const stack = synthAzure(azureConfig({ database: { deletionProtection: false } }));

  it("has no lock and no prevent_destroy, so the drill can be torn down", () => {
    expect(stack.resources("azurerm_management_lock")).toEqual({});
    expect(stack.only("azurerm_postgresql_flexible_server").lifecycle.prevent_destroy).toBeUndefined();
  });

  it("still never re-restores", () => {
    expect(stack.only("azurerm_postgresql_flexible_server").lifecycle.ignore_changes).toContain("point_in_time_restore_time_in_utc");
  });
});

describe("FlexibleServer on its own", () => {
  const props: FlexibleServerProps = {
    name: "pg",
    resourceGroupName: "rg",
    location: "westus",
    origin: { kind: "geo-restore", sourceServerId: SOURCE, time: "2026-11-22T08:00:00Z" },
    version: "16",
    skuName: "GP_Standard_D2ds_v5",
    storageMb: 65536,
    delegatedSubnetId: "subnet",
    privateDnsZoneId: "zone",
    backupRetentionDays: 7,
    geoRedundantBackup: true,
    highAvailability: "disabled",
    customerManagedKey: {
      keyVaultKeyId: "https://kv.vault.azure.net/keys/pg",
      identityId: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/pg",
      geoBackupKeyVaultKeyId: "https://kv2.vault.azure.net/keys/pg",
      geoBackupIdentityId: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/pg-geo",
    },
    deletionProtection: true,
    restoreTimeoutMinutes: 60,
    tags: {},
  };
  const server = Object.values(
    JSON.parse(Testing.synthScope((scope) => new FlexibleServer(scope, "db", props))).resource.azurerm_postgresql_flexible_server,
  )[0] as any;

  it("encrypts with the customer-managed key and its geo-backup twin through user-assigned identities", () => {
    expect(server.identity).toEqual({
      type: "UserAssigned",
      identity_ids: [props.customerManagedKey!.identityId, props.customerManagedKey!.geoBackupIdentityId],
    });
    expect(server.customer_managed_key).toMatchObject({
      key_vault_key_id: "https://kv.vault.azure.net/keys/pg",
      geo_backup_key_vault_key_id: "https://kv2.vault.azure.net/keys/pg",
    });
  });

  it("runs without a standby when HA is disabled", () => {
    expect(server.high_availability).toBeUndefined();
  });

  it("lists exactly the documented restore inputs as ignored", () => {
    expect(server.lifecycle.ignore_changes).toEqual([...RESTORE_INPUTS]);
  });
});
