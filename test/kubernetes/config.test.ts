/** targets.kubernetes in the recovery config: what is accepted, and every refusal reads as path, value, remedy. */
import { RecoveryConfigError } from "../../config/load";
import { dumpScratchGiB } from "../../config/schema/kubernetes";
import { kubernetesConfig } from "./stack-fixtures";

function problems(edit: (document: any) => void): string[] {
  try {
    kubernetesConfig(edit);
  } catch (error) {
    if (error instanceof RecoveryConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

const k8s = (doc: any) => doc.targets.kubernetes;

describe("targets.kubernetes config", () => {
  test("accepts the example and fills the defaults", () => {
    const config = kubernetesConfig((doc) => {
      delete k8s(doc).kubeconfig;
      delete k8s(doc).namespace;
      delete k8s(doc).createNamespace;
    });
    const target = config.targets.kubernetes!;
    expect(target.kubeconfig).toEqual({ path: "~/.kube/config" });
    expect(target.namespace).toBe("medplum");
    expect(target.createNamespace).toBe(true);
    expect(target.database.mode === "restore-from-dump" && target.database.runAsUser).toBe(999);
  });

  test.each<[string, (doc: any) => void, RegExp]>([
    [
      "a floating Postgres tag",
      (doc) => (k8s(doc).database.image = "postgres:latest"),
      /targets\.kubernetes\.database\.image: "postgres:latest" is a floating tag; pin a PostgreSQL 14\+ version such as postgres:16\.4/,
    ],
    ["an untagged Postgres image", (doc) => (k8s(doc).database.image = "postgres"), /targets\.kubernetes\.database\.image: "postgres" has no tag/],
    ["a bare major Postgres tag", (doc) => (k8s(doc).database.image = "postgres:16"), /database\.image: "postgres:16" does not name a major\.minor version/],
    [
      "a Postgres older than Medplum supports",
      (doc) => (k8s(doc).database.image = "postgres:13.15"),
      /database\.image: "postgres:13\.15" is PostgreSQL 13; Medplum needs PostgreSQL 14 or later/,
    ],
    [
      "an Alpine-only floating Redis tag",
      (doc) => (k8s(doc).redis.image = "redis:alpine"),
      /targets\.kubernetes\.redis\.image: "redis:alpine" is a floating tag/,
    ],
    ["a Redis older than 7", (doc) => (k8s(doc).redis.image = "redis:6.2.14"), /redis\.image: "redis:6\.2\.14" is Redis 6; Medplum needs Redis 7 or later/],
    [
      "an unpinned downloader image",
      (doc) => (k8s(doc).database.dump.downloaderImage = "amazon/aws-cli:latest"),
      /database\.dump\.downloaderImage: "amazon\/aws-cli:latest" is not pinned/,
    ],
    [
      "a dump on a plain web server",
      (doc) => (k8s(doc).database.dump.url = "https://backups.example.com/medplum.dump"),
      /database\.dump\.url: "https:\/\/backups\.example\.com\/medplum\.dump" is not a dump location; give s3:\/\//,
    ],
    [
      "an S3 endpoint for a gs:// dump",
      (doc) => Object.assign(k8s(doc).database.dump, { url: "gs://acme/medplum.dump", s3Endpoint: "https://minio.example.com" }),
      /database\.dump\.s3Endpoint: "https:\/\/minio\.example\.com" is set, but the dump URL gs:\/\/acme\/medplum\.dump is not s3:\/\//,
    ],
    ["a malformed checksum", (doc) => (k8s(doc).database.dump.sha256 = "ABC"), /database\.dump\.sha256: "ABC" is not a lower-case hex SHA-256/],
    [
      "Medplum sharing the superuser's password",
      (doc) => (k8s(doc).database.credentials = { secretName: "medplum-postgres-superuser" }),
      /database\.credentials\.secretName: "medplum-postgres-superuser" names the same Secret key as the superuser/,
    ],
    [
      "a Secret name that is not a Kubernetes name",
      (doc) => (k8s(doc).secrets.applicationSecret = "Medplum_App"),
      /secrets\.applicationSecret: "Medplum_App" is not a Kubernetes Secret name/,
    ],
    ["a namespace that is not a DNS label", (doc) => (k8s(doc).namespace = "Medplum"), /targets\.kubernetes\.namespace: "Medplum" is not a Kubernetes name/],
    [
      "no ingress controller allowed in",
      (doc) => (k8s(doc).ingress.allowedFrom = []),
      /ingress\.allowedFrom: \[\] needs at least one peer \(the ingress controller\)/,
    ],
    [
      "an unknown TLS mode",
      (doc) => (k8s(doc).ingress.tls = { mode: "self-signed" }),
      /ingress\.tls\.mode: "self-signed" is not one of "cert-manager", "existing-secret"/,
    ],
    ["an external-dns TTL of zero", (doc) => (k8s(doc).traffic.ttlSeconds = 0), /traffic\.ttlSeconds: 0 is too small; expected at least 1/],
    [
      "an external-dns TTL that keeps users on the lost environment",
      (doc) => (k8s(doc).traffic.ttlSeconds = 300),
      /traffic\.ttlSeconds: 300 is above 60 seconds; a recovery record must expire within a minute/,
    ],
    [
      "an existing database without peers",
      (doc) => (k8s(doc).database = { mode: "existing", host: "db", credentials: { secretName: "db-app" }, allowedPeers: [] }),
      /database\.allowedPeers: \[\] needs at least one peer/,
    ],
    [
      "a storage credential as plain environment",
      (doc) => (k8s(doc).storage.environment = { AWS_SECRET_ACCESS_KEY: "x" }),
      /storage\.environment\.AWS_SECRET_ACCESS_KEY: "x" looks like a credential/,
    ],
    [
      "binaries on the pod's filesystem",
      (doc) => (k8s(doc).storage.binaryStorage = "file:/data/binary"),
      /storage\.binaryStorage: "file:\/data\/binary" keeps binaries on the pod's filesystem/,
    ],
    ["a misspelt field", (doc) => (k8s(doc).database.storageGb = 10), /database\.storageGb: is not a known field/],
  ])("refuses %s", (_name, edit, message) => {
    expect(problems(edit)).toContainEqual(expect.stringMatching(message));
  });

  test.each([
    ["postgres:16.4-bookworm", "redis:7.2.5-alpine"],
    ["postgres:17.2", "redis:7.4.1"],
    [`postgres@sha256:${"0".repeat(64)}`, `redis@sha256:${"1".repeat(64)}`],
    ["registry.example.com/mirror/postgres:16.4", "registry.example.com/mirror/redis:7.2"],
  ])("accepts pinned images %s and %s", (postgres, redis) => {
    expect(
      problems((doc) => {
        k8s(doc).database.image = postgres;
        k8s(doc).redis.image = redis;
      }),
    ).toEqual([]);
  });

  test.each<[string, (doc: any) => void, RegExp]>([
    ["no scratch space for the dump", (doc) => (k8s(doc).database.dump.scratchGiB = 0), /database\.dump\.scratchGiB: 0 is too small; expected at least 1/],
    [
      "an external-dns owner id with a comma (it would break the registry TXT)",
      (doc) => (k8s(doc).traffic.txtOwnerId = "dr,cluster"),
      /traffic\.txtOwnerId: "dr,cluster" is not an external-dns owner id/,
    ],
    [
      "a scratch storage class that is not a Kubernetes name",
      (doc) => (k8s(doc).database.dump.scratchStorageClass = "Fast_SSD"),
      /database\.dump\.scratchStorageClass: "Fast_SSD" is not a Kubernetes name/,
    ],
  ])("refuses %s", (_name, edit, message) => {
    expect(problems(edit)).toContainEqual(expect.stringMatching(message));
  });

  test("sizes the dump's scratch space at a third of the data volume unless told (the volume is about 3 x the dump)", () => {
    const sized = (edit: (doc: any) => void) => {
      const database = kubernetesConfig(edit).targets.kubernetes!.database;
      return database.mode === "restore-from-dump" ? dumpScratchGiB(database) : undefined;
    };
    expect(sized(() => {})).toBe(34);
    expect(sized((doc) => (k8s(doc).database.storageGiB = 90))).toBe(30);
    expect(sized((doc) => (k8s(doc).database.dump.scratchGiB = 12))).toBe(12);
  });

  test("reports every problem at once", () => {
    const found = problems((doc) => {
      k8s(doc).database.image = "postgres";
      k8s(doc).redis.image = "redis:latest";
      k8s(doc).namespace = "Medplum";
    });
    expect(found).toHaveLength(3);
  });
});
