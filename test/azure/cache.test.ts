import { MANAGED_REDIS_PORT } from "../../modules/azure/cache";
import { azureConfig, synthAzure } from "./support";

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
