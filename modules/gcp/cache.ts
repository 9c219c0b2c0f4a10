/**
 * Memorystore for Redis 7: AUTH on, TLS with server authentication, reachable only through private services access.
 * Medplum keeps cache, pub/sub and job queues here, so an empty instance after a recovery is acceptable.
 */
import { RedisInstance } from "@cdktf/provider-google/lib/redis-instance";
import { Construct } from "constructs";
import type { GcpTargetConfig } from "../../config/schema";
import type { RecoveredCache } from "../contracts";
import type { GcpNetwork } from "./network";

export interface GcpCacheProps {
  readonly project: string;
  readonly region: string;
  readonly name: string;
  readonly cache: GcpTargetConfig["cache"];
  readonly network: GcpNetwork;
  readonly labels: Readonly<Record<string, string>>;
  /** Namespace and Secret name the workload receives the AUTH string in; recorded in the contract's reference. */
  readonly authSecret: { readonly namespace: string; readonly name: string; readonly key: string };
}

/** The contract value plus the Terraform references only the GCP application tier needs. */
export interface GcpRecoveredCache extends RecoveredCache {
  /** `auth_string` of the instance: a reference, sensitive in the provider schema. */
  readonly authStringValue: string;
}

export class GcpCache extends Construct {
  readonly instance: RedisInstance;
  readonly value: GcpRecoveredCache;

  constructor(scope: Construct, id: string, props: GcpCacheProps) {
    super(scope, id);
    this.instance = new RedisInstance(this, "redis", {
      project: props.project,
      region: props.region,
      name: props.name,
      tier: props.cache.tier,
      memorySizeGb: props.cache.memorySizeGiB,
      redisVersion: props.cache.redisVersion,
      authEnabled: true,
      transitEncryptionMode: "SERVER_AUTHENTICATION",
      connectMode: "PRIVATE_SERVICE_ACCESS",
      authorizedNetwork: props.network.networkId,
      reservedIpRange: props.network.privateServicesRangeName,
      labels: { ...props.labels },
      dependsOn: [...props.network.privateServicesReady],
    });

    this.value = {
      resourceId: this.instance.id,
      host: this.instance.host,
      port: this.instance.port,
      tls: true,
      password: { store: "kubernetes-secret", id: `${props.authSecret.namespace}/${props.authSecret.name}`, key: props.authSecret.key },
      authStringValue: this.instance.authString,
      serverCaCertificate: this.instance.serverCaCerts.get(0).cert,
    };
  }
}
