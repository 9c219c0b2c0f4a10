import { MANAGED_REDIS_PORT } from "../../modules/azure/cache";
import { evaluateStackJson, RECOVERY_PACK } from "../../policy";
import { azureConfig, azureProblems, synthAzure, type Resource } from "./support";

describe("the recovery Redis", () => {
  const stack = synthAzure();
  const redis = stack.only("azurerm_managed_redis");

  it("is Azure Managed Redis (Azure Cache for Redis is being retired)", () => {
    expect(stack.resources("azurerm_redis_cache")).toEqual({});
    expect(redis.sku_name).toBe("Balanced_B5");
    expect(redis.high_availability_enabled).toBe(true);
  });

  it("speaks TLS only and has no public access", () => {
    expect(redis.default_database.client_protocol).toBe("Encrypted");
    expect(redis.public_network_access).toBe("Disabled");
  });

  it("is reached through a private endpoint registered in the Redis private DNS zone", () => {
    const endpoint = stack.at("azurerm_private_endpoint", "cache/redis");
    expect(endpoint.private_service_connection.subresource_names).toEqual(["redisEnterprise"]);
    expect(endpoint.private_dns_zone_group.private_dns_zone_ids[0]).toMatch(/azurerm_private_dns_zone\.network_vnet_redisZone_/);
  });

  it("uses a non-cluster policy Medplum's client can talk to, and never evicts queued jobs", () => {
    expect(redis.default_database.clustering_policy).toBe("NoCluster");
    expect(redis.default_database.eviction_policy).toBe("NoEviction");
  });

  it("hands the access key to the servers as a reference inside a Kubernetes Secret, never a literal", () => {
    expect(redis.default_database.access_keys_authentication_enabled).toBe(true);
    const secret = stack.at("kubernetes_secret_v1", "redisSecret");
    expect(secret.data.password).toMatch(/^\$\{azurerm_managed_redis\..*\.default_database\[0\]\.primary_access_key\}$/);
  });

  it("tells the servers to use TLS on Managed Redis's port", () => {
    const environment = stack.only("kubernetes_config_map_v1").data;
    expect(environment.MEDPLUM_REDIS_PORT).toBe(String(MANAGED_REDIS_PORT));
    expect(environment.MEDPLUM_REDIS_TLS).toBe("{}");
    expect(environment.MEDPLUM_REDIS_HOST).toMatch(/azurerm_managed_redis\..*\.hostname/);
  });

  it("can use the Enterprise clustering proxy for larger caches", () => {
    const enterprise = synthAzure(azureConfig({ cache: { clusteringPolicy: "EnterpriseCluster" } })).only("azurerm_managed_redis");
    expect(enterprise.default_database.clustering_policy).toBe("EnterpriseCluster");
  });
});

/** The example's recovery vault (targets.azure.secrets.keyVault, mode existing). */
const EXAMPLE_VAULT_ID =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/medplum-dr-secrets/providers/Microsoft.KeyVault/vaults/medplum-dr-kv";

describe("a team's own Redis (cache mode existing)", () => {
  const own = {
    mode: "existing",
    host: "medplum-dr.westus.redis.azure.net",
    port: 10000,
    accessKeySecretName: "medplum-redis-key",
    allowedCidrs: ["10.60.2.0/24"],
  };
  const stack = synthAzure(azureConfig({ cache: own }));

  it("creates no Redis and no private endpoint for one", () => {
    expect(stack.resources("azurerm_managed_redis")).toEqual({});
    expect(stack.resources("azurerm_redis_cache")).toEqual({});
    const endpoints = Object.keys(stack.resources("azurerm_private_endpoint"));
    expect(endpoints.filter((id) => id.startsWith("cache_"))).toEqual([]);
    expect(endpoints.length).toBe(2); // the vault's and the binary storage account's
  });

  it("gives the servers its host and port, with TLS", () => {
    const environment = stack.only("kubernetes_config_map_v1").data;
    expect(environment.MEDPLUM_REDIS_HOST).toBe("medplum-dr.westus.redis.azure.net");
    expect(environment.MEDPLUM_REDIS_PORT).toBe("10000");
    expect(environment.MEDPLUM_REDIS_TLS).toBe("{}");
  });

  it("reads its key from the recovery vault into the servers' Secret, as a reference", () => {
    const keys = Object.entries(stack.json.data.azurerm_key_vault_secret as Record<string, Resource>).filter(
      ([, secret]) => secret.name === "medplum-redis-key",
    );
    expect(keys.length).toBe(1);
    const [id, secret] = keys[0]!;
    expect(secret.key_vault_id).toBe(EXAMPLE_VAULT_ID);
    expect(stack.at("kubernetes_secret_v1", "redisSecret").data.password).toBe(`\${data.azurerm_key_vault_secret.${id}.value}`);
    expect(stack.text).not.toContain("primary_access_key");
  });

  it("lets the servers reach it only in the configured ranges, on its port", () => {
    const egress = stack.only("kubernetes_network_policy_v1").spec.egress as Resource[];
    const toRedis = egress.filter((rule) => rule.ports?.some((port: Resource) => port.port === "10000"));
    expect(toRedis.map((rule) => rule.to)).toEqual([[{ ip_block: { cidr: "10.60.2.0/24" } }]]);
  });

  it("defaults the reachable range to the private-endpoint subnet, and plain TCP only when asked", () => {
    const { allowedCidrs: _omitted, ...inEndpointSubnet } = own;
    const plain = synthAzure(azureConfig({ cache: { ...inEndpointSubnet, port: 6379, tls: false } }));
    const environment = plain.only("kubernetes_config_map_v1").data;
    expect(environment.MEDPLUM_REDIS_TLS).toBeUndefined();
    const egress = plain.only("kubernetes_network_policy_v1").spec.egress as Resource[];
    expect(egress.filter((rule) => rule.ports?.some((port: Resource) => port.port === "6379")).map((rule) => rule.to)).toEqual([
      [{ ip_block: { cidr: "10.50.17.0/24" } }],
    ]);
  });

  it("reads the key from a vault the recovery creates, by reference to it", () => {
    const created = synthAzure(azureConfig({ cache: own, secrets: { keyVault: { mode: "new", name: "medplum-dr-kv" } } }));
    const key = Object.values(created.json.data.azurerm_key_vault_secret as Record<string, Resource>).find((secret) => secret.name === "medplum-redis-key")!;
    expect(key.key_vault_id).toMatch(/^\$\{azurerm_key_vault\.secrets_vault_[0-9A-F]+\.id\}$/);
  });

  it("passes the HIPAA-aligned pack and the apply-time rules with no error", () => {
    const report = evaluateStackJson(stack.json as never, "recovery-azure", { suppressions: [] }, RECOVERY_PACK);
    expect(report.findings.filter((finding) => finding.severity === "error")).toEqual([]);
  });

  it("leaves a config without cache.mode meaning a new Managed Redis", () => {
    expect(azureConfig().targets.azure!.cache.mode).toBe("new");
  });

  it("refuses an existing Redis without the secret holding its key, naming the field", () => {
    const { accessKeySecretName: _omitted, ...withoutKey } = own;
    expect(azureProblems({ cache: withoutKey })).toEqual(["targets.azure.cache.accessKeySecretName: (not set) is missing; expected string"]);
  });

  it("refuses Managed Redis settings on an existing Redis, which the recovery does not create", () => {
    expect(azureProblems({ cache: { ...own, skuName: "Balanced_B5" } })).toEqual([
      expect.stringMatching(/^targets\.azure\.cache\.skuName: is not a known field/),
    ]);
  });
});
