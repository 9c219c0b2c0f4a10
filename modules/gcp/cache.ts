/**
 * The Redis Medplum keeps cache, pub/sub and job queues in (an empty one is acceptable after a recovery), by
 * `targets.gcp.cache.mode`:
 *   - `new`: Memorystore for Redis 7 created here: AUTH on, TLS with server authentication, reachable only through
 *     private services access.
 *   - `existing`: a Redis the team runs itself, reachable from the recovery VPC. Nothing is created; the servers get
 *     its host, port and TLS settings, and the AUTH string from a Secret Manager secret (a data source reference,
 *     never a literal in the synthesized JSON).
 */
import { DataGoogleSecretManagerSecretVersion } from "@cdktf/provider-google/lib/data-google-secret-manager-secret-version";
import { RedisInstance } from "@cdktf/provider-google/lib/redis-instance";
import { Construct } from "constructs";
import type { GcpTargetConfig } from "../../config/schema";
import type { RecoveredCache } from "../contracts";
import { readCaBundle } from "../medplum";
import type { GcpNetwork } from "./network";

export interface GcpCacheProps {
  readonly project: string;
  readonly region: string;
  /** The Memorystore instance's name (mode new). */
  readonly name: string;
  readonly cache: GcpTargetConfig["cache"];
  readonly network: GcpNetwork;
  readonly labels: Readonly<Record<string, string>>;
  /** Namespace and Secret name the workload receives the AUTH string in; recorded in the contract's reference. */
  readonly authSecret: { readonly namespace: string; readonly name: string; readonly key: string };
}

/** The contract value plus the Terraform references only the GCP application tier needs. */
export interface GcpRecoveredCache extends RecoveredCache {
  /** The AUTH string: Memorystore's `auth_string` or a Secret Manager `secret_data`, a reference, sensitive in the provider schema. */
  readonly authStringValue: string;
  /** Address ranges the servers' NetworkPolicy admits egress to on the cache's port. */
  readonly networkPolicyCidrs: readonly string[];
}

export class GcpCache extends Construct {
  /** Undefined when the Redis is the team's own. */
  readonly instance?: RedisInstance;
  readonly value: GcpRecoveredCache;

  constructor(scope: Construct, id: string, props: GcpCacheProps) {
    super(scope, id);
    const { cache } = props;
    const password = { store: "kubernetes-secret", id: `${props.authSecret.namespace}/${props.authSecret.name}`, key: props.authSecret.key } as const;

    if (cache.mode === "existing") {
      const auth = new DataGoogleSecretManagerSecretVersion(this, "auth", { project: props.project, secret: cache.authSecretId });
      const ca = cache.tls && cache.caBundleFile !== undefined ? readCaBundle(cache.caBundleFile, "targets.gcp.cache.caBundleFile") : undefined;
      this.value = {
        resourceId: `${cache.host}:${cache.port}`,
        host: cache.host,
        port: cache.port,
        tls: cache.tls,
        ...(ca !== undefined ? { serverCaCertificate: ca } : {}),
        password,
        authStringValue: auth.secretData,
        // The schema requires ranges for a host name; an address is admitted alone.
        networkPolicyCidrs: cache.allowedCidrs ?? [`${cache.host}/32`],
      };
      return;
    }

    this.instance = new RedisInstance(this, "redis", {
      project: props.project,
      region: props.region,
      name: props.name,
      tier: cache.tier,
      memorySizeGb: cache.memorySizeGiB,
      redisVersion: cache.redisVersion,
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
      password,
      authStringValue: this.instance.authString,
      serverCaCertificate: this.instance.serverCaCerts.get(0).cert,
      networkPolicyCidrs: [`${this.instance.host}/32`],
    };
  }
}
