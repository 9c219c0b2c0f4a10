/**
 * recovery-k8s with `database.dump.manifest`: the restore Job takes the newest dump a standby wrote instead of one
 * URL. What the Job runs (the fetch script, then the restore script with --manifest, both from the ConfigMap byte for
 * byte), how it reaches each kind of folder (the same variables and mounts as the standby's CronJobs, credentials by
 * reference only), what the NetworkPolicy lets out, why a newer manifest never restores again, and how the config
 * refuses a dump given two ways or none. The scripts themselves run against a real PostgreSQL in
 * standby-round-trip.test.ts.
 */
import { readFileSync } from "node:fs";
import { RecoveryConfigError } from "../../config/load";
import { fetchScriptPath, RESTORE_SCRIPT_PATH } from "../../modules/kubernetes/target/restore-job";
import { only } from "./fixtures";
import { byName, kubernetesConfig, synthKubernetesStack } from "./stack-fixtures";

const k8s = (doc: any) => doc.targets.kubernetes;

/** The example's dump, its URL fields replaced by a manifest location. */
function withManifest(manifest: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return (doc: any) => {
    const { url: _url, s3Region: _region, credentialsSecret: _secret, ...rest } = k8s(doc).database.dump;
    k8s(doc).database.dump = { ...rest, manifest, ...extra };
  };
}

const VOLUME = { kind: "volume", claimName: "medplum-backups", path: "medplum" };
const S3 = { kind: "s3", bucket: "acme-medplum-backups-usw2", prefix: "medplum", region: "us-west-2", credentialsSecret: "medplum-backup-reader" };
const MINIO = { ...S3, endpoint: "https://minio.backup.example.com:9000" };
const GCS = { kind: "gcs", bucket: "acme-medplum-backups", prefix: "pg", credentialsSecret: "medplum-backup-reader" };
const AZURE = { kind: "azure-blob", account: "acmebackups", container: "dumps", prefix: "medplum", sasTokenSecret: "medplum-backup-sas" };

/** A standby section as test/standby/kubernetes.test.ts gives it: dumps every 30 minutes to the primary region's bucket. */
const STANDBY = {
  tier: "backup-restore",
  kubeconfig: { path: "~/.kube/config", context: "primary" },
  namespace: "medplum",
  database: { host: "postgres.medplum.svc", user: "medplum", passwordSecret: { secretName: "medplum-postgres-app" } },
  dumpEveryMinutes: 30,
  destination: { kind: "s3", bucket: "acme-medplum-backups", prefix: "medplum", region: "us-east-1", credentialsSecret: "medplum-backup-writer" },
};

const terraformUnescaped = (text: string) => text.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");

function problems(edit: (document: any) => void): string[] {
  try {
    kubernetesConfig(edit);
  } catch (error) {
    if (error instanceof RecoveryConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe("recovery-k8s: the restore Job from the newest dump in a standby's folder", () => {
  const stack = synthKubernetesStack(kubernetesConfig(withManifest(VOLUME)));
  const job = only(stack, "kubernetes_job_v1");
  const spec = job.spec.template.spec;
  const fetch = spec.init_container[0];
  const restore = spec.container[0];

  test("fetches in the init container with the fetch script, and restores with --manifest from what it fetched", () => {
    expect(fetch.command).toEqual(["bash", "/scripts/fetch-newest-dump.sh", "/dump"]);
    expect(restore.command).toEqual(["bash", "/scripts/restore-medplum-db.sh", "--manifest", "/dump/latest.json"]);
    expect(fetch.volume_mount).toContainEqual({ name: "dump", mount_path: "/dump" });
    expect(fetch.volume_mount).toContainEqual({ name: "script", mount_path: "/scripts", read_only: true });
    // The checksum is the manifest's: none is given in the spec.
    expect(restore.env.map((entry: any) => entry.name)).not.toContain("DUMP_SHA256");
  });

  test("mounts the fetch script, the store library and the restore script from the ConfigMap, each the tested file byte for byte", () => {
    const data: Record<string, string> = byName(stack, "kubernetes_config_map_v1")["medplum-restore-script"].data;
    expect(Object.keys(data).sort()).toEqual(["dump-store.sh", "fetch-newest-dump.sh", "restore-medplum-db.sh"]);
    expect(terraformUnescaped(data["restore-medplum-db.sh"] as string)).toBe(readFileSync(RESTORE_SCRIPT_PATH, "utf8"));
    expect(terraformUnescaped(data["fetch-newest-dump.sh"] as string)).toBe(readFileSync(fetchScriptPath("fetch-newest-dump.sh"), "utf8"));
    expect(terraformUnescaped(data["dump-store.sh"] as string)).toBe(readFileSync(fetchScriptPath("dump-store.sh"), "utf8"));
    for (const text of Object.values(data)) expect(text).not.toMatch(/(^|[^$])\$\{/);
  });

  test("reads a volume folder read-only, with the database image (bash and coreutils are all it needs), and opens no way out", () => {
    expect(fetch.image).toBe("postgres:16.4");
    expect(fetch.env).toContainEqual({ name: "DUMP_DESTINATION", value: "/backups/medplum" });
    expect(fetch.volume_mount).toContainEqual({ name: "backups", mount_path: "/backups", read_only: true });
    expect(spec.volume).toContainEqual({ name: "backups", persistent_volume_claim: { claim_name: "medplum-backups", read_only: true } });
    // The restore container never sees the folder, only the checked copy.
    expect(restore.volume_mount.map((mount: any) => mount.name)).not.toContain("backups");
    const egress = byName(stack, "kubernetes_network_policy_v1")["medplum-restore"].spec.egress;
    expect(egress.map((rule: any) => rule.ports.map((port: any) => port.port))).toEqual([["5432"], ["53", "53"]]);
  });

  test("says in the outputs that the newest dump of the folder is restored, read when the Job runs", () => {
    expect(stack.output!.restore_mode.value).toBe("logical-dump");
    expect(stack.output!.restore_source.value).toBe("newest dump in volume medplum-backups:medplum (latest.json, read when the restore Job runs)");
    expect(stack.output!.restore_point.value).toMatch(/^as of the newest dump when the restore Job ran, its SHA-256 checked against the manifest/);
  });

  test("never restores again on a re-run: the Job's spec names no dump, so a newer manifest changes nothing, and every change is ignored", () => {
    expect(job.lifecycle.ignore_changes).toBe("all");
    expect(job.spec.ttl_seconds_after_finished).toBeUndefined();
    const text = JSON.stringify(job);
    expect(text).not.toMatch(/medplum-\d{8}T\d{6}Z\.dump/);
    expect(text).not.toMatch(/[0-9a-f]{64}/);
    // Another config edit (a longer timeout) is ignored as well, and the servers still wait for the Job.
    expect(only(stack, "kubernetes_deployment_v1").depends_on).toEqual([expect.stringMatching(/^kubernetes_job_v1\./)]);
  });

  test.each([
    ["S3", S3, "amazon/aws-cli:2.17.0", "s3://acme-medplum-backups-usw2/medplum", "443"],
    ["an S3-compatible store", MINIO, "amazon/aws-cli:2.17.0", "s3://acme-medplum-backups-usw2/medplum", "9000"],
    ["GCS", GCS, "google/cloud-sdk:489.0.0-slim", "gs://acme-medplum-backups/pg", "443"],
    ["Azure Blob", AZURE, "mcr.microsoft.com/azure-cli:2.63.0", "https://acmebackups.blob.core.windows.net/dumps/medplum", "443"],
  ])(
    "reads %s with an image that has bash and the store's client, credentials by reference, and opens only its port",
    (_store, manifest, image, destination, port) => {
      const store = synthKubernetesStack(kubernetesConfig(withManifest(manifest)));
      const storeSpec = only(store, "kubernetes_job_v1").spec.template.spec;
      const init = storeSpec.init_container[0];
      expect(init.image).toBe(image);
      expect(init.env).toContainEqual({ name: "DUMP_DESTINATION", value: destination });
      // A value in clear would sit in the Job spec and the state; a *_FILE variable names a mounted Secret's path.
      for (const entry of init.env)
        if (/SECRET|TOKEN|KEY_ID/.test(entry.name) && !entry.name.endsWith("_FILE")) expect(entry.value, entry.name).toBeUndefined();
      const secretNames = [
        ...init.env.filter((entry: any) => entry.value_from !== undefined).map((entry: any) => entry.value_from.secret_key_ref.name),
        ...storeSpec.volume.filter((volume: any) => volume.secret !== undefined).map((volume: any) => volume.secret.secret_name),
      ];
      expect(new Set(secretNames)).toEqual(
        new Set([
          (manifest as { credentialsSecret?: string; sasTokenSecret?: string }).credentialsSecret ?? (manifest as { sasTokenSecret: string }).sasTokenSecret,
        ]),
      );
      const egress = byName(store, "kubernetes_network_policy_v1")["medplum-restore"].spec.egress;
      expect(egress.at(-1).ports).toEqual([{ port, protocol: "TCP" }]);
      expect(store.output!.restore_source.value).toContain(`newest dump in ${destination.replace(/^\/backups\//, "")}`);
    },
  );

  test("passes the S3 endpoint and region as the standby's CronJobs do", () => {
    const init = only(synthKubernetesStack(kubernetesConfig(withManifest(MINIO))), "kubernetes_job_v1").spec.template.spec.init_container[0];
    expect(init.env).toContainEqual({ name: "AWS_REGION", value: "us-west-2" });
    expect(init.env).toContainEqual({ name: "S3_ENDPOINT", value: "https://minio.backup.example.com:9000" });
    expect(init.env).toContainEqual({
      name: "AWS_SECRET_ACCESS_KEY",
      value_from: { secret_key_ref: { name: "medplum-backup-reader", key: "AWS_SECRET_ACCESS_KEY", optional: false } },
    });
  });
});

describe("targets.kubernetes.database.dump: url or manifest", () => {
  test("accepts an interval equal to the standby's", () => {
    expect(
      problems((doc) => {
        withManifest(S3, { intervalMinutes: 30 })(doc);
        k8s(doc).standby = STANDBY;
      }),
    ).toEqual([]);
  });

  test("accepts a manifest location instead of a URL", () => {
    const config = kubernetesConfig(withManifest(S3));
    const database = config.targets.kubernetes!.database;
    expect(database.mode === "restore-from-dump" && database.dump.manifest).toEqual(S3);
  });

  test.each<[string, (doc: any) => void, RegExp]>([
    [
      "both a URL and a manifest",
      (doc) => (k8s(doc).database.dump.manifest = S3),
      /^targets\.kubernetes\.database\.dump\.manifest: .* is set beside dump\.url; give one: url \(that dump\) or manifest/,
    ],
    [
      "neither",
      (doc) => delete k8s(doc).database.dump.url,
      /^targets\.kubernetes\.database\.dump\.url: .*is missing; give url \(one dump: s3:\/\/, gs:\/\/ or an Azure Blob URL\) or manifest/,
    ],
    [
      "a URL without its credentials",
      (doc) => delete k8s(doc).database.dump.credentialsSecret,
      /^targets\.kubernetes\.database\.dump\.credentialsSecret: .*is missing; name the Secret with read access to the dump/,
    ],
    [
      "a checksum beside a manifest",
      withManifest(S3, { sha256: "a".repeat(64) }),
      /^targets\.kubernetes\.database\.dump\.sha256: .*applies to dump\.url only, but the dump comes from dump\.manifest; the manifest records the dump's SHA-256/,
    ],
    [
      "URL credentials beside a manifest",
      withManifest(S3, { credentialsSecret: "medplum-backup-reader" }),
      /^targets\.kubernetes\.database\.dump\.credentialsSecret: .*applies to dump\.url only.*give the Secret in the manifest location/,
    ],
    [
      "an S3 manifest without credentials (the restore pod has no cloud identity)",
      withManifest({ ...S3, credentialsSecret: undefined }),
      /^targets\.kubernetes\.database\.dump\.manifest\.credentialsSecret: \(not set\) is missing/,
    ],
    [
      "a kind the standby does not write",
      withManifest({ kind: "ftp", bucket: "x" }),
      /^targets\.kubernetes\.database\.dump\.manifest\.kind: "ftp" is not one of "volume", "s3", "gcs", "azure-blob"/,
    ],
    ["a bucket name S3 refuses", withManifest({ ...S3, bucket: "Acme_Backups" }), /^targets\.kubernetes\.database\.dump\.manifest\.bucket: "Acme_Backups" /],
    [
      "a prefix that climbs out of the folder",
      withManifest({ ...VOLUME, path: "../etc" }),
      /^targets\.kubernetes\.database\.dump\.manifest\.path: "\.\.\/etc" is not a folder name dump-store\.sh accepts/,
    ],
    [
      "an endpoint with a path",
      withManifest({ ...MINIO, endpoint: "https://minio.example.com/backups" }),
      /^targets\.kubernetes\.database\.dump\.manifest\.endpoint: .*has a path, query or fragment/,
    ],
    [
      "a dump interval shorter than the standby's (the report would understate the RPO)",
      (doc) => {
        withManifest(S3, { intervalMinutes: 15 })(doc);
        k8s(doc).standby = STANDBY;
      },
      /^targets\.kubernetes\.database\.dump\.intervalMinutes: 15 is shorter than the 30 minutes between standby-k8s's dumps \(standby\.dumpEveryMinutes\)/,
    ],
  ])("refuses %s, naming the field", (_case, edit, expected) => {
    const found = problems(edit);
    expect(
      found.some((line) => expected.test(line)),
      found.join("\n"),
    ).toBe(true);
  });
});
