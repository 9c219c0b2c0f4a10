import { azureConfig, synthAzure } from "./support";

const VAULT = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/medplum-dr-secrets/providers/Microsoft.KeyVault/vaults/medplum-dr-kv";

describe("Medplum's secrets from the peacetime recovery vault (the example)", () => {
  const stack = synthAzure();
  const withOptional = synthAzure(
    azureConfig(
      {
        secrets: {
          names: {
            signingKey: "medplum-signing-key",
            signingKeyId: "medplum-signing-key-id",
            signingKeyPassphrase: "medplum-signing-key-passphrase",
            smtpPassword: "medplum-smtp-password",
          },
        },
      },
      { medplum: { smtp: { host: "smtp.example.com", username: "apikey" } } },
    ),
  );

  it("reads each sensitive setting from the recovery vault by name: the database password, and no signing key unless named", () => {
    const names = (synthesized: typeof stack) =>
      Object.values(synthesized.json.data.azurerm_key_vault_secret as Record<string, any>)
        .map((secret) => secret.name)
        .sort();
    expect(names(stack)).toEqual(["medplum-database-password"]);
    expect(names(withOptional)).toEqual([
      "medplum-database-password",
      "medplum-signing-key",
      "medplum-signing-key-id",
      "medplum-signing-key-passphrase",
      "medplum-smtp-password",
    ]);
    for (const secret of Object.values(withOptional.json.data.azurerm_key_vault_secret as Record<string, any>)) expect(secret.key_vault_id).toBe(VAULT);
  });

  it("puts references, never values, into the servers' Kubernetes Secret", () => {
    expect(Object.keys(stack.at("kubernetes_secret_v1", "appSecret").data)).toEqual(["databasePassword"]);
    const data = withOptional.at("kubernetes_secret_v1", "appSecret").data;
    expect(Object.keys(data).sort()).toEqual(["databasePassword", "signingKey", "signingKeyId", "signingKeyPassphrase", "smtpPassword"]);
    for (const value of Object.values(data)) expect(value).toMatch(/^\$\{data\.azurerm_key_vault_secret\..*\.value\}$/);
  });

  it("wires every sensitive variable to that Secret", () => {
    const names = (synthesized: typeof stack) =>
      (synthesized.only("kubernetes_deployment_v1").spec.template.spec.container[0].env as Array<{ name: string }>).map((variable) => variable.name).sort();
    expect(names(stack)).toEqual(["MEDPLUM_DATABASE_PASSWORD", "MEDPLUM_REDIS_PASSWORD"]);
    expect(names(withOptional)).toEqual([
      "MEDPLUM_DATABASE_PASSWORD",
      "MEDPLUM_REDIS_PASSWORD",
      "MEDPLUM_SIGNING_KEY",
      "MEDPLUM_SIGNING_KEY_ID",
      "MEDPLUM_SIGNING_KEY_PASSPHRASE",
      "MEDPLUM_SMTP_PASSWORD",
    ]);
  });

  it("grants the servers' identity Key Vault Secrets User on the vault", () => {
    const grant = stack.at("azurerm_role_assignment", "identity/vaultSecrets");
    expect(grant).toMatchObject({ scope: VAULT, role_definition_name: "Key Vault Secrets User" });
  });

  it("adds a private endpoint to the vault in the recovery VNet", () => {
    expect(stack.at("azurerm_private_endpoint", "secrets/vault").private_service_connection).toMatchObject({
      private_connection_resource_id: VAULT,
      subresource_names: ["vault"],
    });
  });

  it("does not create a vault", () => {
    expect(stack.resources("azurerm_key_vault")).toEqual({});
  });
});

describe("a vault created by the stack", () => {
  const stack = synthAzure(
    azureConfig({
      secrets: { keyVault: { mode: "new", name: "medplum-dr-kv" }, terraformIpRanges: ["203.0.113.0/24"] },
    }),
  );
  const vault = stack.only("azurerm_key_vault");

  it("has purge protection, RBAC authorization and a deny-by-default firewall", () => {
    expect(vault).toMatchObject({
      purge_protection_enabled: true,
      rbac_authorization_enabled: true,
      soft_delete_retention_days: 90,
      network_acls: { default_action: "Deny", bypass: "AzureServices", ip_rules: ["203.0.113.0/24"] },
    });
    expect(vault.access_policy).toBeUndefined();
  });

  it("is never destroyed with a drill: its secrets cannot be recreated", () => {
    expect(vault.lifecycle.prevent_destroy).toBe(true);
  });

  it("closes public access entirely when Terraform runs inside the VNet", () => {
    const closed = synthAzure(azureConfig({ secrets: { keyVault: { mode: "new", name: "medplum-dr-kv" }, terraformIpRanges: [] } }));
    expect(closed.only("azurerm_key_vault").public_network_access_enabled).toBe(false);
  });
});
