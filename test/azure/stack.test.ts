import { RECOVERY_STEPS } from "../../stacks/recovery-stack";
import { azureConfig, synthAzure } from "./support";

/** Resource types whose azurerm schema has `tags`; each must carry the recovery tags. */
const TAGGABLE = [
  "azurerm_resource_group",
  "azurerm_virtual_network",
  "azurerm_private_dns_zone",
  "azurerm_private_dns_zone_virtual_network_link",
  "azurerm_private_endpoint",
  "azurerm_postgresql_flexible_server",
  "azurerm_managed_redis",
  "azurerm_kubernetes_cluster",
  "azurerm_user_assigned_identity",
  "azurerm_log_analytics_workspace",
  "azurerm_monitor_action_group",
  "azurerm_monitor_metric_alert",
  "azurerm_application_insights",
  "azurerm_application_insights_standard_web_test",
  "azurerm_dns_a_record",
];

describe("the Azure recovery stack synthesized from config/example.yaml", () => {
  const stack = synthAzure();
  const logicalIds = Object.values(stack.json.resource as Record<string, Record<string, unknown>>).flatMap((byId) => Object.keys(byId));

  it("places every resource under one of the recovery steps", () => {
    // A logical id starts with the construct path below the stack: <step>_<construct>_..._<hash>.
    const steps = new Set(logicalIds.map((logicalId) => logicalId.split("_")[0]));
    for (const step of steps) expect(RECOVERY_STEPS).toContain(step);
    expect(steps).toEqual(new Set(["network", "database", "cache", "storage", "secrets", "application", "traffic", "monitoring"]));
  });

  it("outputs the api URL, entry point, database endpoint and restore provenance from the contracts", () => {
    const outputs = stack.json.output;
    expect(outputs.api_url.value).toBe("https://api.medplum.example.com/");
    expect(outputs.entry_point.value).toMatch(/kubernetes_ingress_v1\./);
    expect(outputs.database_engine.value).toBe("azure-postgresql-flexible 16");
    expect(outputs.restore_mode.value).toBe("geo-restore");
  });

  it("tags every taggable resource with the recovery tags", () => {
    for (const type of TAGGABLE) {
      const resources = Object.values(stack.resources(type));
      expect(resources.length, type).toBeGreaterThan(0);
      for (const resource of resources) {
        expect(resource.tags, type).toMatchObject({
          application: "medplum",
          environment: "medplum-dr",
          "managed-by": "medplum-dr",
          purpose: "disaster-recovery",
        });
      }
    }
  });

  it("holds no secret value: Kubernetes Secrets carry references, the server no password", () => {
    for (const secret of Object.values(stack.resources("kubernetes_secret_v1"))) {
      for (const value of Object.values(secret.data as Record<string, string>)) expect(value).toMatch(/^\$\{[^}]+\}$/);
    }
    expect(stack.text).not.toMatch(/"administrator_password":/);
  });

  it("reads nothing at plan time but the recovery vault's secrets", () => {
    expect(Object.keys(stack.json.data)).toEqual(["azurerm_key_vault_secret"]);
  });

  it("keeps the Terraform addresses the runbook's first -target apply names (docs/targets/azure.md)", () => {
    expect(stack.address("azurerm_postgresql_flexible_server", "database/restore")).toBe(
      "azurerm_postgresql_flexible_server.database_restore_flexible_server_193D29DD",
    );
    expect(stack.address("azurerm_kubernetes_cluster", "application/aks")).toBe("azurerm_kubernetes_cluster.application_aks_cluster_92221EB5");
    expect(stack.address("azurerm_managed_redis", "cache/redis")).toBe("azurerm_managed_redis.cache_redis_58FFD8AB");
  });

  it("keeps the addresses the import blocks and grants hang on (an import adopts into exactly this address)", () => {
    expect(stack.address("azurerm_dns_a_record", "traffic/dns/api")).toBe("azurerm_dns_a_record.traffic_dns_api_08B7E193");
    expect(stack.address("azurerm_role_assignment", "identity/blobDelegator")).toBe("azurerm_role_assignment.application_identity_blobDelegator_7ABFEC45");
    expect(stack.address("azurerm_private_dns_zone_virtual_network_link", "network/vnet/postgresZoneLink")).toBe(
      "azurerm_private_dns_zone_virtual_network_link.network_vnet_postgresZoneLink_F54AE9F0",
    );
  });

  it("is byte-identical on every synth of the same config", () => {
    expect(synthAzure(azureConfig(), { fresh: true }).text).toBe(synthAzure(azureConfig(), { fresh: true }).text);
  });

  it("keeps state where the config says", () => {
    expect(stack.json.terraform.backend).toEqual({
      local: { path: "../../../state/recovery-azure.tfstate", workspace_dir: "../../../state/recovery-azure.tfstate.d" },
    });
  });
});

describe("the Azure stack beside the state backend in Azure", () => {
  it("stores state in the configured storage account", () => {
    const stack = synthAzure(
      azureConfig({
        backend: { type: "azurerm", resourceGroupName: "dr-state", storageAccountName: "acmedrstate", containerName: "tfstate", key: "recovery-azure.tfstate" },
      }),
    );
    expect(stack.json.terraform.backend.azurerm).toMatchObject({ storage_account_name: "acmedrstate", key: "recovery-azure.tfstate" });
  });
});
