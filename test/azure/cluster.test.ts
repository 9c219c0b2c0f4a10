import { AKS_ENTRA_SERVER_APPLICATION_ID } from "../../providers/azure";
import { azureConfig, synthAzure } from "./support";

const SOURCE =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/medplum-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/medplum-prod-pg";

describe("the recovery AKS cluster", () => {
  const stack = synthAzure();
  const cluster = stack.only("azurerm_kubernetes_cluster");

  it("authenticates with Entra ID and Azure RBAC only: local accounts disabled", () => {
    expect(cluster.local_account_disabled).toBe(true);
    expect(cluster.role_based_access_control_enabled).toBe(true);
    expect(cluster.azure_active_directory_role_based_access_control).toEqual({
      azure_rbac_enabled: true,
      tenant_id: "11111111-1111-1111-1111-111111111111",
      admin_group_object_ids: ["22222222-2222-2222-2222-222222222222"],
    });
  });

  it("has workload identity and the OIDC issuer on", () => {
    expect(cluster.workload_identity_enabled).toBe(true);
    expect(cluster.oidc_issuer_enabled).toBe(true);
  });

  it("enforces NetworkPolicies with Cilium on Azure CNI overlay", () => {
    expect(cluster.network_profile).toMatchObject({
      network_plugin: "azure",
      network_plugin_mode: "overlay",
      network_data_plane: "cilium",
      network_policy: "cilium",
    });
  });

  it("limits the API server to the configured ranges", () => {
    expect(cluster.api_server_access_profile).toEqual({ authorized_ip_ranges: ["203.0.113.0/24"] });
    expect(cluster.private_cluster_enabled).toBeUndefined();
  });

  it("autoscales its node pool in the AKS subnet, leaving the count to the autoscaler", () => {
    expect(cluster.default_node_pool).toMatchObject({ auto_scaling_enabled: true, min_count: 2, max_count: 6, vm_size: "Standard_D4ds_v5" });
    expect(cluster.default_node_pool.vnet_subnet_id).toMatch(/azurerm_subnet\.network_vnet_aks_/);
    expect(cluster.lifecycle.ignore_changes).toEqual(["default_node_pool[0].node_count"]);
  });

  it("asks for no availability zones in westus, the geo-restore target that has none (AKS would refuse the pool)", () => {
    expect(cluster.default_node_pool.zones).toBeUndefined();
  });

  it("spreads the pool over zones 1-3 in a region that has them", () => {
    const zonal = synthAzure(
      azureConfig({ region: "eastus", database: { restore: { mode: "point-in-time", sourceServerId: SOURCE, time: "2026-11-22T08:00:00Z" } } }),
    );
    expect(zonal.only("azurerm_kubernetes_cluster").default_node_pool.zones).toEqual(["1", "2", "3"]);
    expect(zonal.only("azurerm_postgresql_flexible_server").high_availability).toEqual({ mode: "ZoneRedundant" });
  });

  it("runs a pinned version AKS still supports", () => {
    expect(cluster.kubernetes_version).toBe("1.36");
  });

  it("sends Container Insights to the recovery workspace and enables the application routing add-on", () => {
    expect(cluster.oms_agent.log_analytics_workspace_id).toMatch(/azurerm_log_analytics_workspace\..*\.id/);
    expect(cluster.oms_agent.msi_auth_for_monitoring_enabled).toBe(true);
    expect(cluster.web_app_routing).toEqual({ dns_zone_ids: [] });
  });

  it("runs the Key Vault secrets provider the ingress add-on needs for the Key Vault certificate", () => {
    expect(cluster.key_vault_secrets_provider).toEqual({ secret_rotation_enabled: true });
  });

  it("lets its own identity manage load balancers in the node subnet", () => {
    const grant = stack.at("azurerm_role_assignment", "application/aks/subnetAccess");
    expect(grant.role_definition_name).toBe("Network Contributor");
    expect(grant.scope).toMatch(/azurerm_subnet\.network_vnet_aks_.*\.id/);
    expect(grant.principal_id).toMatch(/azurerm_kubernetes_cluster\..*\.identity\[0\]\.principal_id/);
  });

  it("can be private instead, with no authorized ranges", () => {
    const privateCluster = synthAzure(azureConfig({ cluster: { apiServer: { mode: "private" } } })).only("azurerm_kubernetes_cluster");
    expect(privateCluster.private_cluster_enabled).toBe(true);
    expect(privateCluster.api_server_access_profile).toBeUndefined();
  });

  it.each(["azure", "calico"] as const)("runs the %s policy engine on the Azure data plane", (engine) => {
    const profile = synthAzure(azureConfig({ cluster: { networkPolicy: engine } })).only("azurerm_kubernetes_cluster").network_profile;
    expect(profile).toMatchObject({ network_policy: engine, network_data_plane: "azure" });
  });
});

describe("the kubernetes provider", () => {
  const provider = synthAzure().json.provider.kubernetes[0];

  it("is configured from the cluster created in the same stack", () => {
    expect(provider.host).toMatch(/^\$\{azurerm_kubernetes_cluster\..*\.kube_config\[0\]\.host\}$/);
    expect(provider.cluster_ca_certificate).toMatch(/^\$\{base64decode\(azurerm_kubernetes_cluster\..*\.kube_config\[0\]\.cluster_ca_certificate\)\}$/);
  });

  it("gets Entra tokens from kubelogin, never the admin kubeconfig (local accounts are disabled)", () => {
    expect(provider.exec[0].command).toBe("kubelogin");
    expect(provider.exec[0].args).toEqual(expect.arrayContaining(["get-token", "--login", "azurecli", "--server-id", AKS_ENTRA_SERVER_APPLICATION_ID]));
    expect(JSON.stringify(provider)).not.toMatch(/kube_admin_config|client_key|password/);
  });

  it("follows the configured kubelogin mode (e.g. CI with workload identity)", () => {
    const ci = synthAzure(azureConfig({ cluster: { kubeloginMode: "workloadidentity" } })).json.provider.kubernetes[0];
    expect(ci.exec[0].args.slice(0, 3)).toEqual(["get-token", "--login", "workloadidentity"]);
  });
});

describe("the servers' workload identity", () => {
  const stack = synthAzure();

  it("federates a user-assigned identity with the medplum-server service account through the cluster's issuer", () => {
    const federation = stack.only("azurerm_federated_identity_credential");
    expect(federation.subject).toBe("system:serviceaccount:medplum:medplum-server");
    expect(federation.audience).toEqual(["api://AzureADTokenExchange"]);
    expect(federation.issuer).toMatch(/azurerm_kubernetes_cluster\..*\.oidc_issuer_url/);
    expect(federation.parent_id).toMatch(/azurerm_user_assigned_identity\..*\.id/);
  });

  it("annotates the service account with the identity and labels the pods for the webhook", () => {
    const account = stack.only("kubernetes_service_account_v1");
    expect(account.metadata.name).toBe("medplum-server");
    expect(account.metadata.annotations["azure.workload.identity/client-id"]).toMatch(/azurerm_user_assigned_identity\..*\.client_id/);
    expect(stack.only("kubernetes_deployment_v1").spec.template.metadata.labels["azure.workload.identity/use"]).toBe("true");
  });

  it("may request user delegation keys on the binary account, which Medplum signs download URLs with", () => {
    const grant = stack.at("azurerm_role_assignment", "identity/blobDelegator");
    expect(grant.role_definition_name).toBe("Storage Blob Delegator");
    expect(grant.scope).toBe(
      "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/medplum-prod/providers/Microsoft.Storage/storageAccounts/medplumbinaries",
    );
    expect(grant.principal_id).toMatch(/azurerm_user_assigned_identity\..*\.principal_id/);
    expect(stack.only("kubernetes_deployment_v1").depends_on).toContain(stack.address("azurerm_role_assignment", "identity/blobDelegator"));
  });

  it("starts the servers only after the federation, the grants and the database parameters exist", () => {
    const dependsOn: string[] = stack.only("kubernetes_deployment_v1").depends_on;
    expect(dependsOn.some((dependency) => dependency.startsWith("azurerm_federated_identity_credential."))).toBe(true);
    expect(dependsOn.filter((dependency) => dependency.startsWith("azurerm_role_assignment.")).length).toBeGreaterThanOrEqual(2);
    expect(dependsOn.filter((dependency) => dependency.startsWith("azurerm_postgresql_flexible_server_configuration."))).toHaveLength(5);
  });
});
