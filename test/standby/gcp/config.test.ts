/**
 * `targets.gcp.standby` in the config: what is refused with a one-line error naming the field, and that a routine
 * change of the config never touches an input the provider replaces standby-gcp's resources over.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { recoverySecretIds } from "../../../modules/gcp/standby/secrets";
import { buildRecoveryApp } from "../../../stacks/app";
import { exampleYaml, gcpConfig, problemsOf, withoutStandby } from "../../gcp/support";
import { adoptedNetwork, gcpStandbyDocument, gcpStandbyConfig, PRIMARY, REPLICA_BUCKET, synthGcpStandby, type Resource, type Tier } from "./helpers";

function problemsFor(tier: Tier, edit: (doc: any) => void): string[] {
  return problemsOf(
    exampleYaml((doc) => {
      doc.targets = { gcp: doc.targets.gcp };
      withoutStandby(doc);
      gcpStandbyDocument(tier, edit)(doc);
    }),
  );
}

describe("the secrets standby-gcp makes readable", () => {
  it("are every Secret Manager secret the recovery reads, an existing Redis's AUTH string included, each once", () => {
    const gcp = gcpConfig((doc) => {
      doc.targets.gcp.secrets = {
        smtpPassword: "medplum-smtp",
        additional: { MEDPLUM_RECAPTCHA_SECRET_KEY: "medplum-recaptcha", MEDPLUM_BOT_CUSTOM_FUNCTIONS_ENABLED: "medplum-db-password" },
      };
      doc.medplum.smtp = { host: "smtp.sendgrid.net", port: 587, username: "apikey" };
      doc.targets.gcp.cache = { mode: "existing", host: "10.60.0.5", authSecretId: "platform-redis-auth" };
    }).targets.gcp!;
    expect(recoverySecretIds(gcp)).toEqual(["medplum-db-password", "medplum-recaptcha", "medplum-smtp", "platform-redis-auth"]);
  });
});

describe("the standby section", () => {
  it("is optional: the example's GCP target builds recovery-gcp alone", () => {
    const outdir = mkdtempSync(join(tmpdir(), "medplum-dr-standby-gcp-none-"));
    try {
      expect(buildRecoveryApp(gcpConfig(), outdir).stacks.map((stack) => stack.node.id)).toEqual(["recovery-gcp"]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it.each<[string, Tier, (doc: any) => void, RegExp]>([
    [
      "an unknown tier",
      "backup-restore",
      (doc) => (doc.targets.gcp.standby.tier = "cold"),
      /^targets\.gcp\.standby\.tier: "cold" is not one of "backup-restore", "pilot-light", "warm-standby"/,
    ],
    [
      "pilot-light without the VPC to build",
      "pilot-light",
      (doc) => delete doc.targets.gcp.standby.network,
      /^targets\.gcp\.standby\.network: \(not set\) is required for tier pilot-light/,
    ],
    [
      "pilot-light with a recovery that builds its own VPC",
      "pilot-light",
      (doc) => (doc.targets.gcp.network = { mode: "new", subnetCidr: "10.60.0.0/20", podsCidr: "10.62.0.0/17", servicesCidr: "10.64.0.0/20" }),
      /^targets\.gcp\.network: .* must adopt the VPC standby-gcp keeps for tier pilot-light: set mode: existing, networkName: medplum-dr-vpc, .*createNat: false \(differs in mode, networkName/,
    ],
    [
      "an adopted VPC that would get a second NAT",
      "pilot-light",
      (doc) => (doc.targets.gcp.network = { ...adoptedNetwork(), createNat: true }),
      /^targets\.gcp\.network: .*\(differs in createNat\)$/,
    ],
    [
      "warm-standby whose recovery restores a backup",
      "warm-standby",
      (doc) => (doc.targets.gcp.database.restore = { mode: "backup", sourceInstance: "medplum-prod", backupRunId: 1 }),
      /^targets\.gcp\.database\.restore\.mode: "backup" must be "replica-promotion" for tier warm-standby/,
    ],
    [
      "warm-standby promoting a replica of another primary",
      "warm-standby",
      (doc) => (doc.targets.gcp.database.restore.primaryInstance = "medplum-other"),
      /^targets\.gcp\.database\.restore\.primaryInstance: "medplum-other" is not targets\.gcp\.standby\.primary\.databaseInstance \(medplum-prod\)/,
    ],
    [
      "warm-standby with the primary in another project",
      "warm-standby",
      (doc) => (doc.targets.gcp.standby.primary.project = "acme-medplum-prod"),
      /^targets\.gcp\.standby\.primary\.project: "acme-medplum-prod" is not targets\.gcp\.project \(acme-medplum-dr\); a Cloud SQL read replica lives in its primary's project/,
    ],
    [
      "the recovery's state",
      "backup-restore",
      (doc) => {
        doc.targets.gcp.backend = { type: "local", path: "state/recovery-gcp.tfstate" };
        doc.targets.gcp.standby.backend = { type: "local", path: "state/recovery-gcp.tfstate" };
      },
      /^targets\.gcp\.standby\.backend: .*is the recovery's state/,
    ],
    [
      "the primary bucket as the replica",
      "backup-restore",
      (doc) => (doc.targets.gcp.standby.binaries.replicaBucketName = PRIMARY.bucketName),
      /^targets\.gcp\.standby\.binaries\.replicaBucketName: .*is the primary bucket too/,
    ],
    [
      "a recovery that would create the replica bucket itself",
      "backup-restore",
      (doc) => (doc.targets.gcp.storage = { mode: "new", bucketName: REPLICA_BUCKET }),
      /^targets\.gcp\.storage\.bucketName: .*is targets\.gcp\.standby\.binaries\.replicaBucketName, which standby-gcp creates/,
    ],
  ])("refuses %s, naming the field", (_, tier, edit, expected) => {
    const problems = problemsFor(tier, edit);
    expect(problems).toEqual([expect.stringMatching(expected)]);
  });

  it("accepts each tier with the recovery settings it asks for", () => {
    for (const tier of ["backup-restore", "pilot-light", "warm-standby"] as const) expect(problemsFor(tier, () => undefined)).toEqual([]);
  });
});

/**
 * Attributes google provider 6.50.0 replaces each owned resource over (schema `ForceNew`, in
 * google/services/storage/resource_storage_bucket.go, storagetransfer/resource_storage_transfer_job.go,
 * sql/resource_sql_database_instance.go, compute/resource_compute_network.go and resource_compute_subnetwork.go,
 * container/resource_container_cluster.go, certificatemanager/resource_certificate_manager_*.go,
 * secretmanager/resource_secret_manager_secret.go), as far as standby-gcp sets them.
 */
const FORCE_NEW: Readonly<Record<string, readonly string[]>> = {
  google_storage_bucket: ["name", "location", "project"],
  google_storage_transfer_job: ["project"],
  google_sql_database_instance: ["name", "region", "project", "master_instance_name", "encryption_key_name"],
  google_compute_network: ["name", "project", "auto_create_subnetworks"],
  google_compute_subnetwork: ["name", "network", "region", "project"],
  google_container_cluster: ["name", "location", "network", "subnetwork", "ip_allocation_policy", "enable_autopilot", "private_cluster_config", "project"],
  google_certificate_manager_dns_authorization: ["name", "domain", "project"],
  google_certificate_manager_certificate: ["name", "managed", "project"],
  google_secret_manager_secret: ["secret_id", "replication", "project"],
};

describe("what a routine config change replaces", () => {
  const forceNewInputs = (config: ReturnType<typeof gcpStandbyConfig>) => {
    const { standby } = synthGcpStandby(config);
    return Object.fromEntries(
      Object.entries(FORCE_NEW).flatMap(([type, attributes]) =>
        Object.entries(standby.resources(type)).map(([id, body]: [string, Resource]) => [
          `${type}.${id}`,
          Object.fromEntries(attributes.map((attribute) => [attribute, body[attribute]])),
        ]),
      ),
    );
  };

  it("replaces nothing standby-gcp owns when the RPO, alerts, retention check, sizes or release channel change", () => {
    const before = forceNewInputs(gcpStandbyConfig("warm-standby"));
    const after = forceNewInputs(
      gcpStandbyConfig("warm-standby", (doc) => {
        doc.objectives.rpoMinutes = 5;
        doc.targets.gcp.alerts.emails = ["pager@medplum.example.com"];
        doc.targets.gcp.standby.database = { minimumRetainedBackups: 14 };
        doc.targets.gcp.standby.watchPrimary = false;
        doc.targets.gcp.database.tier = "db-custom-8-32768";
        doc.targets.gcp.database.diskSizeGiB = 200;
        doc.targets.gcp.cluster.releaseChannel = "STABLE";
        doc.targets.gcp.cluster.masterAuthorizedNetworks = [{ cidr: "198.51.100.0/24", name: "ci" }];
      }),
    );
    // Every owned type but the secret copies (the example's primary is the recovery project) is compared.
    expect(
      Object.keys(before)
        .map((address) => address.split(".")[0])
        .sort(),
    ).toEqual(
      Object.keys(FORCE_NEW)
        .filter((type) => type !== "google_secret_manager_secret")
        .sort(),
    );
    expect(after).toEqual(before);
  });

  it("does replace the replica bucket when its name changes (the name is the bucket's identity)", () => {
    const before = forceNewInputs(gcpStandbyConfig("backup-restore"));
    const after = forceNewInputs(gcpStandbyConfig("backup-restore", (doc) => (doc.targets.gcp.standby.binaries.replicaBucketName = "medplum-binaries-usw1-b")));
    const bucket = Object.keys(before).find((key) => key.startsWith("google_storage_bucket."))!;
    expect(after[bucket]).not.toEqual(before[bucket]);
  });
});
