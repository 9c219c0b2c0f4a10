/**
 * Azure Managed Redis for Medplum's cache, pub/sub and job queues (Azure Cache for Redis is being retired and refuses
 * new instances). TLS only, no public access (a private endpoint in the VNet), access-key auth: Medplum's Redis client
 * takes a static password and cannot refresh Entra tokens. The key reaches the workload as a Terraform reference
 * (a sensitive attribute), never as a literal. An empty Redis after a recovery is acceptable to Medplum.
 *
 * `mode: existing`: a Redis the platform team runs; nothing is created, the servers get its host and port, and its
 * key is read from the recovery vault in the secrets step (the vault is that step's).
 */
import { ManagedRedis } from "@cdktf/provider-azurerm/lib/managed-redis";
import { Construct } from "constructs";
import type { AzureTargetConfig } from "../../config/schema";
import type { RecoveredCache } from "../contracts";
import { createPrivateEndpoint } from "./private-endpoint";

/** Azure Managed Redis always serves its database on 10000. */
export const MANAGED_REDIS_PORT = 10000;

type CacheConfig = AzureTargetConfig["cache"];
export type NewCacheConfig = Extract<CacheConfig, { mode: "new" }>;
export type ExistingCacheConfig = Extract<CacheConfig, { mode: "existing" }>;

/** Where the servers' Redis key comes from: an attribute of the cache created here, or a secret in the recovery vault. */
export type CacheAccessKey = { readonly kind: "attribute"; readonly reference: string } | { readonly kind: "recovery-vault"; readonly secretName: string };

/** The Kubernetes Secret the servers read the Redis key from, whichever the cache. */
export const CACHE_PASSWORD: RecoveredCache["password"] = { store: "kubernetes-secret", id: "medplum/medplum-redis", key: "password" };

export interface AzureCacheProps {
  readonly cache: NewCacheConfig;
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly privateEndpointSubnetId: string;
  readonly privateDnsZoneId: string;
  readonly tags: Readonly<Record<string, string>>;
}

export class AzureCache extends Construct {
  readonly redis: ManagedRedis;
  /** The access key, as a Terraform reference for a Kubernetes Secret. */
  readonly accessKeyReference: string;
  readonly recovered: RecoveredCache;

  constructor(scope: Construct, id: string, props: AzureCacheProps) {
    super(scope, id);
    this.redis = new ManagedRedis(this, "redis", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      skuName: props.cache.skuName,
      highAvailabilityEnabled: props.cache.highAvailability,
      publicNetworkAccess: "Disabled",
      defaultDatabase: {
        clientProtocol: "Encrypted",
        clusteringPolicy: props.cache.clusteringPolicy,
        accessKeysAuthenticationEnabled: true,
        // Job queues must not lose entries to eviction.
        evictionPolicy: "NoEviction",
      },
      tags: { ...props.tags },
    });
    createPrivateEndpoint(this, "endpoint", {
      name: `${props.name}-pe`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      subnetId: props.privateEndpointSubnetId,
      resourceId: this.redis.id,
      subresource: "redisEnterprise",
      privateDnsZoneId: props.privateDnsZoneId,
      tags: props.tags,
    });
    this.accessKeyReference = this.redis.defaultDatabase.primaryAccessKey;
    this.recovered = {
      resourceId: this.redis.id,
      host: this.redis.hostname,
      port: MANAGED_REDIS_PORT,
      tls: true,
      password: CACHE_PASSWORD,
    };
  }
}

/** A team's own Redis: what the servers connect to, from config alone. */
export function existingCache(cache: ExistingCacheConfig): RecoveredCache {
  return { resourceId: cache.host, host: cache.host, port: cache.port, tls: cache.tls, password: CACHE_PASSWORD };
}
