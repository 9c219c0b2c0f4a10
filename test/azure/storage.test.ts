import { azureConfig, synthAzure } from "./support";

const SOURCE =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/medplum-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/medplum-prod-pg";
const ACCOUNT = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/medplum-prod/providers/Microsoft.Storage/storageAccounts/medplumbinaries";

describe("binary storage: the existing replicated account (the example)", () => {
  const stack = synthAzure();

  it("creates no account; Medplum is pointed at azure:<account>:<container>", () => {
    expect(stack.resources("azurerm_storage_account")).toEqual({});
    expect(stack.only("kubernetes_config_map_v1").data.MEDPLUM_BINARY_STORAGE).toBe("azure:medplumbinaries:binaries");
  });

  it("grants the servers Storage Blob Data Contributor on the container only", () => {
    const grant = stack.at("azurerm_role_assignment", "identity/blobData");
    expect(grant.role_definition_name).toBe("Storage Blob Data Contributor");
    expect(grant.scope).toBe(`${ACCOUNT}/blobServices/default/containers/binaries`);
    expect(grant.principal_id).toMatch(/azurerm_user_assigned_identity\..*\.principal_id/);
  });

  it("reaches the account through a blob private endpoint", () => {
    const endpoint = stack.at("azurerm_private_endpoint", "storage/blob");
    expect(endpoint.private_service_connection).toMatchObject({ private_connection_resource_id: ACCOUNT, subresource_names: ["blob"] });
  });
});

describe("binary storage: a new account", () => {
  const stack = synthAzure(azureConfig({ storage: { mode: "new", accountName: "medplumdrbinaries", containerName: "binaries" } }));
  const account = stack.only("azurerm_storage_account");

  it("is locked down: no public blobs, TLS 1.2, HTTPS only, no shared keys, no public network", () => {
    expect(account).toMatchObject({
      allow_nested_items_to_be_public: false,
      min_tls_version: "TLS1_2",
      https_traffic_only_enabled: true,
      shared_access_key_enabled: false,
      public_network_access_enabled: false,
    });
  });

  it("replicates GRS in westus, which has no availability zones for GZRS", () => {
    expect(account.account_replication_type).toBe("GRS");
  });

  it("replicates GZRS where the region has availability zones", () => {
    const zonal = synthAzure(
      azureConfig({
        region: "eastus",
        database: { restore: { mode: "point-in-time", sourceServerId: SOURCE, time: "2026-11-22T08:00:00Z" } },
        storage: { mode: "new", accountName: "medplumdrbinaries", containerName: "binaries" },
      }),
    );
    expect(zonal.only("azurerm_storage_account").account_replication_type).toBe("GZRS");
  });

  it("keeps versions and soft-deleted blobs and containers", () => {
    expect(account.blob_properties).toMatchObject({
      versioning_enabled: true,
      delete_retention_policy: { days: 30 },
      container_delete_retention_policy: { days: 30 },
    });
  });

  it("creates a private container through the management plane", () => {
    const container = stack.only("azurerm_storage_container");
    expect(container).toMatchObject({ name: "binaries", container_access_type: "private" });
    expect(container.storage_account_id).toMatch(/azurerm_storage_account\..*\.id/);
  });

  it("lets Terraform manage containers without shared keys (storage_use_azuread)", () => {
    expect(stack.json.provider.azurerm[0].storage_use_azuread).toBe(true);
  });
});
