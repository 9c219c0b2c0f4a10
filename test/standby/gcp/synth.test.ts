/**
 * The standby-gcp stack as synthesized, per tier: what it reads and attaches to on the primary, what it owns in the
 * recovery region, the watches, and that recovery-gcp adopts what pilot-light and warm-standby keep standing. Every
 * synthesis goes through the synth's policy pass (policy pack and apply-time rules).
 */
import { gcpStandingNames } from "../../../modules/gcp/standing-names";
import { STANDBY_STEPS } from "../../../stacks/standby-stack";
import { exampleRpoSeconds } from "../../support/config";
import { gcpStandbyConfig, PRIMARY, REPLICA_BUCKET, REPLICA_INSTANCE, ref, synthGcpStandby, type Resource, type Tier } from "./helpers";

const TIERS: readonly Tier[] = ["backup-restore", "pilot-light", "warm-standby"];
const byTier = Object.fromEntries(TIERS.map((tier) => [tier, synthGcpStandby(gcpStandbyConfig(tier))])) as Record<Tier, ReturnType<typeof synthGcpStandby>>;
const names = gcpStandingNames("medplum-dr");
const idOf = (resources: Record<string, Resource>, pick: (body: Resource) => boolean = () => true): string => {
  const found = Object.entries(resources).filter(([, body]) => pick(body));
  if (found.length !== 1) throw new Error(`expected one match, found ${found.length}`);
  return found[0]![0];
};

describe.each(TIERS)("tier %s", (tier) => {
  const { stacks, policy, standby } = byTier[tier];

  it("is built after recovery-gcp and synthesizes with no policy or apply-time rule error", () => {
    expect(stacks).toEqual(["recovery-gcp", "standby-gcp"]);
    expect(policy).toMatch(/policy standby-gcp: 0 errors,/);
    expect(policy).toMatch(/policy recovery-gcp: 0 errors,/);
    expect(standby.json.output.standby_tier.value).toBe(tier);
  });

  it("names a provider on every resource and data source: primary (its project and region) or recovery", () => {
    expect(standby.json.provider.google.map((block: Resource) => [block.alias, block.project, block.region])).toEqual([
      ["primary", PRIMARY.project, "us-east1"],
      ["recovery", "acme-medplum-dr", "us-west1"],
    ]);
    expect(
      standby
        .all()
        .filter(({ body }) => !["google.primary", "google.recovery"].includes(body.provider))
        .map(({ id }) => id),
    ).toEqual([]);
  });

  it("keeps its own state, apart from the recovery's", () => {
    expect(standby.json.terraform.backend.local.path).toBe("../../../state/standby-gcp.tfstate");
  });

  it("puts everything under one of StandbyStack's step constructs", () => {
    const steps = new Set(standby.all().map(({ body }) => String(body["//"].metadata.path).split("/")[1]));
    const expected = STANDBY_STEPS.filter((step) => tier !== "backup-restore" || step !== "standing");
    expect([...steps].sort()).toEqual([...expected].sort());
  });
});

describe("backup-restore: the primary's side, read and attached to, never owned", () => {
  const { standby } = byTier["backup-restore"];

  it("reads the primary Cloud SQL instance with the primary provider and fails the plan when its backups would not carry a recovery", () => {
    expect(standby.resources("google_sql_database_instance")).toEqual({});
    const [instance, ...more] = Object.values(standby.data("google_sql_database_instance"));
    expect(more).toEqual([]);
    expect(instance!).toMatchObject({ provider: "google.primary", project: PRIMARY.project, name: PRIMARY.databaseInstance });
    const conditions = instance!.lifecycle.postcondition.map((check: Resource) => check.condition);
    expect(conditions).toEqual([
      "${self.settings[0].backup_configuration[0].enabled}",
      '${self.settings[0].backup_configuration[0].location != "us-east1"}',
      "${self.settings[0].backup_configuration[0].backup_retention_settings[0].retained_backups >= 7}",
    ]);
    expect(standby.json.output.recovery_point_interval_minutes.value).toBe("1440");
  });

  it("replicates the binaries into a private, versioned replica bucket in the recovery region by a cross-bucket replication job", () => {
    const bucket = standby.only("google_storage_bucket");
    expect(bucket).toMatchObject({
      provider: "google.recovery",
      name: REPLICA_BUCKET,
      location: "US-WEST1",
      uniform_bucket_level_access: true,
      public_access_prevention: "enforced",
      versioning: { enabled: true },
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
    const job = standby.only("google_storage_transfer_job");
    const bucketId = idOf(standby.resources("google_storage_bucket"));
    expect(job.replication_spec).toEqual({
      gcs_data_source: { bucket_name: PRIMARY.bucketName },
      gcs_data_sink: { bucket_name: ref("google_storage_bucket", bucketId, "name") },
    });
    expect(job.transfer_spec).toBeUndefined();
    expect(job.logging_config).toEqual({ log_actions: ["COPY"], log_action_states: ["FAILED"] });
    expect(standby.json.output.binaries_replica.value).toBe(REPLICA_BUCKET);
  });

  it("grants Storage Transfer's service agent non-authoritative roles: owner on the primary bucket (primary provider), writer on the replica", () => {
    const members = Object.values(standby.resources("google_storage_bucket_iam_member")).map((member) => [member.provider, member.bucket, member.role]);
    const bucketId = idOf(standby.resources("google_storage_bucket"));
    expect(members.sort()).toEqual(
      [
        ["google.primary", PRIMARY.bucketName, "roles/storage.legacyBucketOwner"],
        ["google.recovery", ref("google_storage_bucket", bucketId, "name"), "roles/storage.legacyBucketWriter"],
      ].sort(),
    );
    const agentId = idOf(standby.data("google_storage_transfer_project_service_account"));
    for (const member of Object.values(standby.resources("google_storage_bucket_iam_member"))) {
      expect(member.member).toBe(`serviceAccount:\${data.google_storage_transfer_project_service_account.${agentId}.email}`);
    }
    for (const type of ["google_storage_bucket_iam_binding", "google_storage_bucket_iam_policy", "google_storage_notification"])
      expect(standby.resources(type)).toEqual({});
  });

  it("checks, in one project, that each secret the recovery reads survives the primary region; metadata only, no copy", () => {
    const checks = Object.values(standby.data("google_secret_manager_secret"));
    expect(checks.map((check) => check.secret_id)).toEqual(["medplum-db-password"]);
    expect(checks[0]!.lifecycle.postcondition[0].condition).toContain('replica.location != "us-east1"');
    expect(standby.resources("google_secret_manager_secret")).toEqual({});
    expect(standby.data("google_secret_manager_secret_version")).toEqual({});
  });

  it("copies each secret into the recovery project when the primary is another project, by reference only", () => {
    const other = synthGcpStandby(
      gcpStandbyConfig("backup-restore", (doc) => {
        doc.targets.gcp.standby.primary.project = "acme-medplum-prod";
        doc.targets.gcp.secrets.smtpPassword = "medplum-smtp-password";
        doc.medplum.smtp = { host: "smtp.sendgrid.net", port: 587, username: "apikey" };
      }),
    ).standby;
    const sources = Object.values(other.data("google_secret_manager_secret_version"));
    expect(sources.map((source) => [source.provider, source.project, source.secret])).toEqual([
      ["google.primary", "acme-medplum-prod", "medplum-db-password"],
      ["google.primary", "acme-medplum-prod", "medplum-smtp-password"],
    ]);
    const copies = Object.values(other.resources("google_secret_manager_secret"));
    expect(copies.map((copy) => [copy.provider, copy.project, copy.secret_id, copy.replication])).toEqual([
      ["google.recovery", "acme-medplum-dr", "medplum-db-password", { auto: {} }],
      ["google.recovery", "acme-medplum-dr", "medplum-smtp-password", { auto: {} }],
    ]);
    for (const version of Object.values(other.resources("google_secret_manager_secret_version")))
      expect(version.secret_data).toMatch(/^\$\{data\.google_secret_manager_secret_version\.[A-Za-z0-9_-]+\.secret_data\}$/);
    expect(other.json.output.secrets_in_recovery_location.value).toBe(
      "projects/acme-medplum-dr/secrets/medplum-db-password/versions/latest,projects/acme-medplum-dr/secrets/medplum-smtp-password/versions/latest",
    );
  });

  it("issues a Certificate Manager certificate for the api host with DNS authorization in the recovery's zone", () => {
    const authorizationId = idOf(standby.resources("google_certificate_manager_dns_authorization"));
    expect(standby.only("google_certificate_manager_dns_authorization")).toMatchObject({ domain: "api.medplum.example.com", project: "acme-medplum-dr" });
    const record = standby.only("google_dns_record_set");
    expect(record).toMatchObject({
      managed_zone: "medplum-example-com",
      name: `\${google_certificate_manager_dns_authorization.${authorizationId}.dns_resource_record[0].name}`,
      rrdatas: [`\${google_certificate_manager_dns_authorization.${authorizationId}.dns_resource_record[0].data}`],
    });
    const certificate = standby.only("google_certificate_manager_certificate");
    expect(certificate.managed).toEqual({
      domains: ["api.medplum.example.com"],
      dns_authorizations: [ref("google_certificate_manager_dns_authorization", authorizationId, "id")],
    });
    const certificateId = idOf(standby.resources("google_certificate_manager_certificate"));
    expect(standby.only("google_certificate_manager_certificate_map_entry")).toMatchObject({
      hostname: "api.medplum.example.com",
      certificates: [ref("google_certificate_manager_certificate", certificateId, "id")],
    });
    const none = synthGcpStandby(gcpStandbyConfig("backup-restore", (doc) => (doc.targets.gcp.standby.issueCertificate = false))).standby;
    expect(none.resources("google_certificate_manager_certificate")).toEqual({});
    expect(none.json.output.certificate_id.value).toBe("none");
  });

  it("watches the primary's /healthcheck and the replication job's failed copies", () => {
    expect(standby.only("google_monitoring_uptime_check_config")).toMatchObject({
      monitored_resource: { type: "uptime_url", labels: { host: "api.medplum.example.com" } },
      http_check: { path: "/healthcheck", use_ssl: true, validate_ssl: true },
    });
    const policies = Object.values(standby.resources("google_monitoring_alert_policy"));
    expect(policies.map((policy) => policy.display_name).sort()).toEqual([
      "medplum-dr standby: binaries replication failing",
      "medplum-dr standby: primary API health check failing",
    ]);
    const transfer = policies.find((policy) => policy.conditions[0].condition_matched_log !== undefined)!;
    const jobId = idOf(standby.resources("google_storage_transfer_job"));
    expect(transfer.conditions[0].condition_matched_log.filter).toBe(
      `resource.type="storage_transfer_job" AND severity>=ERROR AND resource.labels.job_id="\${google_storage_transfer_job.${jobId}.name}"`,
    );
    expect(transfer.alert_strategy.notification_rate_limit.period).toBe("3600s");
    const channel = idOf(standby.resources("google_monitoring_notification_channel"));
    for (const alert of policies) expect(alert.notification_channels).toEqual([ref("google_monitoring_notification_channel", channel, "id")]);
  });

  it("keeps nothing standing, and the recovery still creates its own network and cluster", () => {
    for (const type of ["google_compute_network", "google_container_cluster", "google_sql_database_instance"]) expect(standby.resources(type)).toEqual({});
    expect(standby.json.output.standing_infrastructure.value).toBe("");
    const { recovery } = byTier["backup-restore"];
    expect(Object.keys(recovery.resources("google_container_cluster"))).toHaveLength(1);
    expect(recovery.data("google_container_cluster")).toEqual({});
  });
});

describe("pilot-light: the recovery VPC and cluster stand, and the recovery adopts them", () => {
  const { standby, recovery } = byTier["pilot-light"];

  it("creates the VPC with private services access and NAT, and a private Autopilot cluster in it, in the recovery region", () => {
    expect(standby.only("google_compute_network")).toMatchObject({ name: names.network, provider: "google.recovery" });
    expect(standby.only("google_compute_subnetwork")).toMatchObject({ name: names.subnetwork, region: "us-west1", ip_cidr_range: "10.50.0.0/20" });
    expect(standby.only("google_compute_global_address")).toMatchObject({ name: names.privateServicesRange, purpose: "VPC_PEERING" });
    expect(Object.keys(standby.resources("google_service_networking_connection"))).toHaveLength(1);
    expect(standby.only("google_compute_router_nat")).toMatchObject({ name: names.nat });
    expect(standby.only("google_container_cluster")).toMatchObject({
      name: names.cluster,
      location: "us-west1",
      enable_autopilot: true,
      private_cluster_config: { enable_private_nodes: true },
      deletion_protection: true,
    });
    expect(standby.resources("google_sql_database_instance")).toEqual({});
  });

  it("makes the recovery create no network, no private services access and no cluster", () => {
    for (const type of [
      "google_compute_network",
      "google_compute_subnetwork",
      "google_service_networking_connection",
      "google_compute_router",
      "google_compute_router_nat",
      "google_container_cluster",
    ]) {
      expect(recovery.resources(type)).toEqual({});
    }
    expect(Object.values(recovery.resources("google_compute_global_address")).map((address) => address.address_type)).toEqual(["EXTERNAL"]);
  });

  it("makes the recovery look the cluster up by the name standby gives it, and point the kubernetes provider at it", () => {
    const [lookupId, lookup] = Object.entries(recovery.data("google_container_cluster"))[0]!;
    expect(lookup).toMatchObject({ name: names.cluster, location: "us-west1", project: "acme-medplum-dr" });
    const [kubernetes] = recovery.json.provider.kubernetes;
    expect(kubernetes.host).toBe(`https://\${data.google_container_cluster.${lookupId}.endpoint}`);
    // The recovery's instance and cache sit in the adopted VPC.
    const network = `projects/acme-medplum-dr/global/networks/${names.network}`;
    expect(recovery.only("google_sql_database_instance").settings.ip_configuration.private_network).toBe(network);
    expect(recovery.only("google_redis_instance").authorized_network).toBe(network);
  });

  it("lists what the recovery adopts in its output", () => {
    expect(standby.json.output.standing_infrastructure.value).toContain(`GKE Autopilot cluster ${names.cluster}`);
    expect(standby.json.output.database_replica.value).toBe("none");
  });
});

describe("warm-standby: a cross-region read replica the recovery promotes", () => {
  const { standby, recovery } = byTier["warm-standby"];
  const replica = standby.only("google_sql_database_instance");
  const replicaId = idOf(standby.resources("google_sql_database_instance"));

  it("replicates the primary into the standing VPC, private IP and TLS only, sized as the recovery runs", () => {
    const networkId = idOf(standby.resources("google_compute_network"));
    expect(replica).toMatchObject({
      provider: "google.recovery",
      name: REPLICA_INSTANCE,
      region: "us-west1",
      master_instance_name: PRIMARY.databaseInstance,
      instance_type: "READ_REPLICA_INSTANCE",
      database_version: "POSTGRES_16",
      settings: {
        tier: "db-custom-4-16384",
        ip_configuration: { ipv4_enabled: false, private_network: ref("google_compute_network", networkId, "id"), ssl_mode: "ENCRYPTED_ONLY" },
      },
    });
  });

  it("is never replaced or turned back into a replica by a later standby plan, and is protected from destroy", () => {
    expect(replica.lifecycle.ignore_changes).toEqual(
      expect.arrayContaining(["master_instance_name", "instance_type", "settings[0].disk_size", "settings[0].disk_type", "encryption_key_name"]),
    );
    expect(replica.lifecycle.prevent_destroy).toBe(true);
  });

  it("is the instance the recovery adopts and promotes (same name, import block, no master)", () => {
    const promoted = recovery.only("google_sql_database_instance");
    expect(promoted.name).toBe(REPLICA_INSTANCE);
    expect(promoted.master_instance_name).toBeUndefined();
    expect(promoted.instance_type).toBe("CLOUD_SQL_INSTANCE");
    expect(recovery.json.import).toContainEqual(expect.objectContaining({ id: `projects/acme-medplum-dr/instances/${REPLICA_INSTANCE}` }));
    expect(standby.json.output.database_replica.value).toBe(`acme-medplum-dr:${REPLICA_INSTANCE}`);
  });

  it("alerts when the replica lags more than the RPO objective", () => {
    const lag = Object.values(standby.resources("google_monitoring_alert_policy")).find((policy) => policy.display_name.includes("replica lag"))!;
    expect(lag.conditions[0].condition_threshold).toMatchObject({
      filter: `resource.type="cloudsql_database" AND resource.label.database_id="acme-medplum-dr:\${google_sql_database_instance.${replicaId}.name}" AND metric.type="cloudsql.googleapis.com/database/replication/replica_lag"`,
      comparison: "COMPARISON_GT",
      threshold_value: exampleRpoSeconds(),
    });
  });
});

describe("determinism", () => {
  it("gives byte-identical output for the same config", () => {
    expect(synthGcpStandby(gcpStandbyConfig("warm-standby")).standby.text).toBe(byTier["warm-standby"].standby.text);
  });
});
