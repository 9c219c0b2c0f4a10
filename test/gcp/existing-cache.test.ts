/**
 * A team's own Redis on GCP (`targets.gcp.cache.mode: existing`): the recovery creates no Memorystore, and the servers
 * get the given host, port, TLS settings and AUTH string, which comes from Secret Manager by reference.
 */
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { exampleYaml, gcpConfig, policyErrorsOf, problemsOf, SECRET_DATA_REFERENCE, synthGcpStack } from "./support";

const CA_BUNDLE = join(__dirname, "../medplum/fixtures/test-ca-bundle.pem");
const OWN_REDIS = { mode: "existing", host: "10.60.0.5", port: 6378, authSecretId: "platform-redis-auth" };

describe("an existing Redis instead of Memorystore", () => {
  const stack = synthGcpStack(gcpConfig((doc) => (doc.targets.gcp.cache = OWN_REDIS)));
  const env = stack.resource("kubernetes_config_map_v1").data;

  it("creates no Memorystore instance", () => {
    expect(stack.resources("google_redis_instance")).toEqual([]);
    expect(synthGcpStack().resources("google_redis_instance")).toHaveLength(1);
  });

  it("hands the servers the given host and port, with TLS verified against Node's bundled roots by default", () => {
    expect(env.MEDPLUM_REDIS_HOST).toBe("10.60.0.5");
    expect(env.MEDPLUM_REDIS_PORT).toBe("6378");
    expect(env.MEDPLUM_REDIS_TLS).toBe("{}");
  });

  it("reads the AUTH string from Secret Manager in the recovery project into the servers' Secret, never as a literal", () => {
    const auth = stack.data("google_secret_manager_secret_version").find((version) => version.secret === "platform-redis-auth");
    expect(auth).toMatchObject({ project: "acme-medplum-dr" });
    const secret = stack.resources("kubernetes_secret_v1").find((candidate) => candidate.metadata.name === "medplum-server-secrets");
    expect(secret.data.MEDPLUM_REDIS_PASSWORD).toMatch(SECRET_DATA_REFERENCE);
    expect(secret.data.MEDPLUM_REDIS_PASSWORD).toContain("cache_redis_auth");
  });

  it("lets the servers reach the Redis address, and only it, on the given port", () => {
    const egress = stack.resource("kubernetes_network_policy_v1").spec.egress;
    const toRedis = egress.find((rule: any) => rule.ports.some((port: any) => port.port === "6378"));
    expect(toRedis.to).toEqual([{ ip_block: { cidr: "10.60.0.5/32" } }]);
  });

  it("passes the policy pack", () => {
    expect(policyErrorsOf(stack)).toEqual([]);
  });

  it("verifies against a private CA from a PEM file, and connects without TLS only when config says so", () => {
    const withCa = synthGcpStack(gcpConfig((doc) => (doc.targets.gcp.cache = { ...OWN_REDIS, caBundleFile: CA_BUNDLE })));
    expect(JSON.parse(withCa.resource("kubernetes_config_map_v1").data.MEDPLUM_REDIS_TLS)).toEqual({ ca: readFileSync(CA_BUNDLE, "utf8").trim() + "\n" });
    const plain = synthGcpStack(gcpConfig((doc) => (doc.targets.gcp.cache = { ...OWN_REDIS, tls: false })));
    expect(plain.resource("kubernetes_config_map_v1").data.MEDPLUM_REDIS_TLS).toBeUndefined();
  });

  it("admits the ranges config gives for a host name", () => {
    const named = synthGcpStack(
      gcpConfig((doc) => (doc.targets.gcp.cache = { ...OWN_REDIS, host: "redis.platform.internal", allowedCidrs: ["10.60.0.0/29"] })),
    );
    expect(named.resource("kubernetes_config_map_v1").data.MEDPLUM_REDIS_HOST).toBe("redis.platform.internal");
    const egress = named.resource("kubernetes_network_policy_v1").spec.egress;
    expect(egress.find((rule: any) => rule.ports.some((port: any) => port.port === "6378")).to).toEqual([{ ip_block: { cidr: "10.60.0.0/29" } }]);
  });
});

describe("the cache config", () => {
  it("still reads a cache section without a mode as Memorystore (configs written before the mode existed)", () => {
    expect(gcpConfig().targets.gcp!.cache).toEqual({ mode: "new", tier: "STANDARD_HA", memorySizeGiB: 5, redisVersion: "REDIS_7_2" });
  });

  it.each([
    [
      "a host name without ranges for the NetworkPolicy",
      { ...OWN_REDIS, host: "redis.platform.internal" },
      /^targets\.gcp\.cache\.allowedCidrs: .*is needed: host "redis\.platform\.internal" is a name/,
    ],
    [
      "a CA without TLS",
      { ...OWN_REDIS, tls: false, caBundleFile: "config/redis-ca.pem" },
      /^targets\.gcp\.cache\.caBundleFile: "config\/redis-ca\.pem" is set, but cache\.tls is false/,
    ],
    ["no AUTH secret", { mode: "existing", host: "10.60.0.5" }, /^targets\.gcp\.cache\.authSecretId: .*is missing/],
    [
      "a URL as the host",
      { ...OWN_REDIS, host: "rediss://10.60.0.5:6378" },
      /^targets\.gcp\.cache\.host: "rediss:\/\/10\.60\.0\.5:6378" is not a host name or IPv4 address/,
    ],
    ["a Memorystore field on an existing Redis", { ...OWN_REDIS, tier: "BASIC" }, /^targets\.gcp\.cache\.tier: /],
  ])("refuses %s, naming the field", (_, cache, expected) => {
    const problems = problemsOf(exampleYaml((doc) => (doc.targets = { gcp: { ...doc.targets.gcp, cache } })));
    expect(problems).toEqual([expect.stringMatching(expected)]);
  });

  it("fails the synth with the field's name when the CA file cannot be read", () => {
    const config = gcpConfig((doc) => (doc.targets.gcp.cache = { ...OWN_REDIS, caBundleFile: "config/no-such-redis-ca.pem" }));
    expect(() => synthGcpStack(config)).toThrow(/^targets\.gcp\.cache\.caBundleFile: "config\/no-such-redis-ca\.pem" cannot be read/);
  });
});
