import { GcpCache } from "../../modules/gcp/cache";
import { GcpSecrets } from "../../modules/gcp/secrets";
import { GcpStorage } from "../../modules/gcp/storage";
import { EXISTING_NETWORK, gcpConfig, synthModule } from "./support";

describe("Memorystore for Redis", () => {
  function synthCache(edit: (cache: any) => void = () => undefined) {
    const gcp = gcpConfig((doc) => edit(doc.targets.gcp.cache)).targets.gcp!;
    let value: GcpCache["value"] | undefined;
    const synth = synthModule((scope) => {
      value = new GcpCache(scope, "redis", {
        project: gcp.project,
        region: gcp.region,
        name: "medplum-dr-redis",
        cache: gcp.cache,
        network: EXISTING_NETWORK,
        labels: {},
        authSecret: { namespace: "medplum", name: "medplum-server-secrets", key: "MEDPLUM_REDIS_PASSWORD" },
      }).value;
    });
    return { redis: synth.resource("google_redis_instance"), value: value! };
  }

  it("is Redis 7 with AUTH, TLS with server authentication, reachable only through private services access", () => {
    const { redis } = synthCache();
    expect(redis).toMatchObject({
      redis_version: "REDIS_7_2",
      auth_enabled: true,
      transit_encryption_mode: "SERVER_AUTHENTICATION",
      connect_mode: "PRIVATE_SERVICE_ACCESS",
      authorized_network: EXISTING_NETWORK.networkId,
      reserved_ip_range: "dr-private-services",
      region: "us-west1",
    });
  });

  it("keeps a replica in another zone unless config asks for BASIC", () => {
    expect(synthCache().redis.tier).toBe("STANDARD_HA");
    expect(synthCache((cache) => (cache.tier = "BASIC")).redis.tier).toBe("BASIC");
  });

  it("tells the application its password lives in the workload's Kubernetes Secret, and uses TLS", () => {
    const { value } = synthCache();
    expect(value.password).toEqual({ store: "kubernetes-secret", id: "medplum/medplum-server-secrets", key: "MEDPLUM_REDIS_PASSWORD" });
    expect(value.tls).toBe(true);
  });
});

describe("binary storage", () => {
  function synthStorage(storage: any) {
    const gcp = gcpConfig((doc) => (doc.targets.gcp.storage = storage)).targets.gcp!;
    let value: GcpStorage["value"] | undefined;
    const synth = synthModule((scope) => {
      value = new GcpStorage(scope, "bucket", { project: gcp.project, region: gcp.region, storage: gcp.storage, labels: {} }).value;
    });
    return { ...synth, value: value! };
  }

  it("uses an existing replicated bucket as it is, without managing it", () => {
    const synth = synthStorage({ mode: "existing", bucketName: "medplum-binaries-acme" });
    expect(synth.resources("google_storage_bucket")).toEqual([]);
    expect(synth.value).toEqual({ name: "medplum-binaries-acme", medplumBinaryStorage: "gs:medplum-binaries-acme" });
  });

  it("creates a new bucket private, versioned and never force-destroyed, in the recovery region by default", () => {
    const synth = synthStorage({ mode: "new", bucketName: "medplum-dr-binaries" });
    expect(synth.resource("google_storage_bucket")).toMatchObject({
      name: "medplum-dr-binaries",
      location: "US-WEST1",
      uniform_bucket_level_access: true,
      public_access_prevention: "enforced",
      versioning: { enabled: true },
      force_destroy: false,
    });
    expect(synth.value.medplumBinaryStorage).toMatch(/^gs:\$\{TfToken/);
  });

  it("places a new bucket in the configured location, e.g. a multi-region", () => {
    expect(synthStorage({ mode: "new", bucketName: "medplum-dr-binaries", location: "US" }).resource("google_storage_bucket").location).toBe("US");
  });
});

describe("Medplum's secrets from Secret Manager", () => {
  function synthSecrets(edit: (secrets: any) => void = () => undefined) {
    const gcp = gcpConfig((doc) => edit(doc.targets.gcp.secrets)).targets.gcp!;
    let value: GcpSecrets["value"] | undefined;
    const synth = synthModule((scope) => {
      value = new GcpSecrets(scope, "medplum", { project: gcp.project, secrets: gcp.secrets }).value;
    });
    return { ...synth, value: value! };
  }

  it("reads no signing key unless config names one: GCS storage never uses it", () => {
    const { value, data } = synthSecrets();
    expect(value.environment).toEqual({});
    expect(data("google_secret_manager_secret_version")).toEqual([]);
  });

  it("reads each signing setting from its secret in the recovery project, by reference", () => {
    const { value, data } = synthSecrets((secrets) =>
      Object.assign(secrets, {
        signingKey: "medplum-signing-key",
        signingKeyId: "medplum-signing-key-id",
        signingKeyPassphrase: "medplum-signing-key-passphrase",
      }),
    );
    expect(Object.keys(value.environment)).toEqual(["MEDPLUM_SIGNING_KEY", "MEDPLUM_SIGNING_KEY_ID", "MEDPLUM_SIGNING_KEY_PASSPHRASE"]);
    expect(value.environment.MEDPLUM_SIGNING_KEY).toEqual({
      store: "gcp-secret-manager",
      id: "projects/acme-medplum-dr/secrets/medplum-signing-key/versions/latest",
    });
    expect(
      data("google_secret_manager_secret_version")
        .map((version) => version.secret)
        .sort(),
    ).toEqual(["medplum-signing-key", "medplum-signing-key-id", "medplum-signing-key-passphrase"]);
  });

  it("adds further MEDPLUM_* settings named in config", () => {
    const { value } = synthSecrets((secrets) => (secrets.additional = { MEDPLUM_RECAPTCHA_SECRET_KEY: "medplum-recaptcha" }));
    expect(value.environment.MEDPLUM_RECAPTCHA_SECRET_KEY?.id).toBe("projects/acme-medplum-dr/secrets/medplum-recaptcha/versions/latest");
  });
});
