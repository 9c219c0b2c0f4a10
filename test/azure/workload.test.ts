import { azureConfig, synthAzure } from "./support";

describe("the shared Medplum workload on AKS", () => {
  const stack = synthAzure();
  const ingress = stack.only("kubernetes_ingress_v1");

  it("serves the api host with the application routing add-on and the Key Vault certificate", () => {
    expect(ingress.spec.ingress_class_name).toBe("webapprouting.kubernetes.azure.com");
    expect(ingress.spec.tls).toEqual([{ hosts: ["api.medplum.example.com"], secret_name: "keyvault-medplum-server" }]);
    expect(ingress.metadata.annotations["kubernetes.azure.com/tls-cert-keyvault-uri"]).toBe("https://medplum-dr-kv.vault.azure.net/certificates/api-medplum");
  });

  it("lets the add-on's identity read the certificate from the recovery vault", () => {
    const grant = stack.at("azurerm_role_assignment", "application/ingressCertificate");
    expect(grant.role_definition_name).toBe("Key Vault Certificate User");
    expect(grant.principal_id).toMatch(/web_app_routing\[0\]\.web_app_routing_identity\[0\]\.object_id/);
  });

  it("connects to the restored server with TLS verified, as the configured application role", () => {
    const environment = stack.only("kubernetes_config_map_v1").data;
    expect(environment).toMatchObject({
      // Flexible Server's certificate chains to public roots in Node's bundle and names the FQDN the servers dial.
      MEDPLUM_DATABASE_SSL: '{"require":true,"rejectUnauthorized":true}',
      MEDPLUM_DATABASE_USERNAME: "medplum",
      MEDPLUM_DATABASE_DBNAME: "medplum",
      MEDPLUM_DATABASE_PORT: "5432",
    });
    expect(environment.MEDPLUM_DATABASE_HOST).toMatch(/azurerm_postgresql_flexible_server\..*\.fqdn/);
  });

  it("admits traffic only from the ingress controller's namespace", () => {
    expect(stack.only("kubernetes_network_policy_v1").spec.ingress[0].from).toEqual([
      { namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "app-routing-system" } }, pod_selector: { match_labels: {} } },
    ]);
  });

  it("runs the pinned image", () => {
    expect(stack.only("kubernetes_deployment_v1").spec.template.spec.container[0].image).toBe("medplum/medplum-server:4.3.9");
  });

  it("can use cert-manager with another ingress controller instead", () => {
    const other = synthAzure(
      azureConfig({ ingress: { className: "nginx", controllerNamespace: "ingress-nginx", tls: { mode: "cert-manager", issuerName: "letsencrypt" } } }),
    );
    expect(other.only("kubernetes_ingress_v1").metadata.annotations["cert-manager.io/cluster-issuer"]).toBe("letsencrypt");
    expect(other.only("azurerm_kubernetes_cluster").web_app_routing).toBeUndefined();
    expect(other.only("azurerm_kubernetes_cluster").key_vault_secrets_provider).toBeUndefined();
    expect(Object.keys(other.resources("azurerm_role_assignment")).filter((id) => id.includes("ingressCertificate"))).toEqual([]);
  });
});
