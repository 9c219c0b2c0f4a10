import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildRecoveryApp } from "../../stacks/app";
import { TARGETS } from "../../modules/registry";
import { EXAMPLE, gcpConfig, policyErrorsOf, problemsOf, SECRET_DATA_REFERENCE, SOURCE_VPC_CONFIG, synthGcpStack } from "./support";

describe("the recovery-gcp stack, synthesized from the example config", () => {
  const stack = synthGcpStack();

  it("is registered as recovery-gcp and built by buildRecoveryApp when the config names targets.gcp", () => {
    expect(TARGETS.gcp.stackName).toBe("recovery-gcp");
    const { app, stacks } = buildRecoveryApp(gcpConfig(), mkdtempSync(join(tmpdir(), "gcp-app-")));
    expect(stacks.map((s) => s.node.id)).toEqual(["recovery-gcp"]);
    app.synth();
    const written = JSON.parse(readFileSync(join(app.outdir, "stacks", "recovery-gcp", "cdk.tf.json"), "utf8"));
    expect(Object.keys(written.resource)).toContain("google_sql_database_instance");
  });

  it("validates the example's targets.gcp section", () => {
    expect(problemsOf(EXAMPLE)).toEqual([]);
  });

  it("restores Cloud SQL from the lost instance's backup in the recovery region, private and TLS-only", () => {
    const instance = stack.resource("google_sql_database_instance");
    expect(instance.region).toBe("us-west1");
    expect(instance.database_version).toBe("POSTGRES_16");
    expect(instance.restore_backup_context).toEqual({ backup_run_id: 1732262400000, instance_id: "medplum-prod", project: "acme-medplum-prod" });
    expect(instance.settings.ip_configuration).toMatchObject({ ipv4_enabled: false, ssl_mode: "ENCRYPTED_ONLY" });
    expect(instance.settings.ip_configuration.private_network).toMatch(/^\$\{google_compute_network\./);
    expect(instance.lifecycle).toMatchObject({ prevent_destroy: true });
  });

  it("runs the shared Medplum workload on the Autopilot cluster, through a kubernetes provider configured from that cluster", () => {
    const cluster = stack.resource("google_container_cluster");
    expect(cluster.enable_autopilot).toBe(true);
    const [kubernetes] = stack.json.provider.kubernetes;
    expect(kubernetes.host).toMatch(/^https:\/\/\$\{google_container_cluster\.[A-Za-z0-9_]+\.endpoint\}$/);
    expect(kubernetes.cluster_ca_certificate).toMatch(
      /^\$\{base64decode\(google_container_cluster\.[A-Za-z0-9_]+\.master_auth\[0\]\.cluster_ca_certificate\)\}$/,
    );
    expect(kubernetes.exec).toEqual([{ api_version: "client.authentication.k8s.io/v1beta1", command: "gke-gcloud-auth-plugin" }]);
    const deployment = stack.resource("kubernetes_deployment_v1");
    expect(deployment.spec.template.spec.container[0].image).toBe("medplum/medplum-server:4.3.9");
  });

  it("configures the google provider for the recovery project and region, labelling every resource", () => {
    const [google] = stack.json.provider.google;
    expect(google).toMatchObject({ project: "acme-medplum-dr", region: "us-west1" });
    expect(google.default_labels).toMatchObject({ application: "medplum", purpose: "disaster-recovery", environment: "medplum-dr" });
  });

  it("outputs where the API is, what the database was restored from and to, and where alerts go, from the contract values", () => {
    const outputs = stack.json.output;
    expect(outputs.api_url.value).toBe("https://api.medplum.example.com/");
    expect(outputs.entry_point.value).toMatch(/^\$\{google_compute_global_address\.[A-Za-z0-9_]+\.address\}$/);
    expect(outputs.database_endpoint.value).toMatch(/^\$\{google_sql_database_instance\.[A-Za-z0-9_]+\.private_ip_address\}:5432$/);
    expect(outputs.restore_mode.value).toBe("backup");
    expect(outputs.restore_source.value).toBe("backup run 1732262400000 of acme-medplum-prod:medplum-prod");
    expect(outputs.restore_point.value).toBe("2026-11-22T08:00:00Z");
    expect(outputs.alert_destination.value).toMatch(/^\$\{google_monitoring_notification_channel\.[A-Za-z0-9_]+\.id\}$/);
  });

  it("never puts a secret value in the synthesized JSON: every sensitive value is a Terraform reference", () => {
    const secret = stack.resource("kubernetes_secret_v1");
    for (const [key, value] of Object.entries<string>(secret.data)) {
      expect({ key, reference: /^\$\{[^{}]+\}$/.test(value) }).toEqual({ key, reference: true });
    }
    expect(secret.data.MEDPLUM_DATABASE_PASSWORD).toMatch(SECRET_DATA_REFERENCE);
    expect(secret.data.MEDPLUM_REDIS_PASSWORD).toMatch(/^\$\{google_redis_instance\.[A-Za-z0-9_]+\.auth_string\}$/);
    expect(stack.resource("google_sql_user").password).toMatch(SECRET_DATA_REFERENCE);
    const configMap = stack.resource("kubernetes_config_map_v1");
    expect(Object.keys(configMap.data).filter((name) => /PASSWORD|SIGNING_KEY/.test(name))).toEqual([]);
  });

  it("gives byte-identical output for the same config", () => {
    const config = gcpConfig();
    expect(JSON.stringify(synthGcpStack(config, { fresh: true }).json)).toBe(JSON.stringify(synthGcpStack(config, { fresh: true }).json));
  });

  it("keeps Terraform addresses of the restored database and cluster stable (they are a public contract)", () => {
    expect(stack.addresses("google_sql_database_instance")).toEqual(["google_sql_database_instance.database_postgres_cloudSql_instance_5DF45080"]);
    expect(stack.addresses("google_container_cluster")).toEqual(["google_container_cluster.application_gke_cluster_ADAC71E0"]);
    // docs/targets/gcp.md quotes these in its import and -target commands.
    expect(stack.addresses("google_sql_user")).toEqual(["google_sql_user.database_postgres_user_152404A8"]);
    expect(stack.addresses("google_redis_instance")).toEqual(["google_redis_instance.cache_redis_58FFD8AB"]);
  });

  it("reports a replica promotion in its outputs: the replica it promoted and that the point is the replication lag", () => {
    const promoted = synthGcpStack(
      gcpConfig((doc) => {
        doc.targets.gcp.database.restore = { mode: "replica-promotion", replicaInstance: "medplum-prod-replica-usw1", primaryInstance: "medplum-prod" };
        doc.targets.gcp.network = { ...SOURCE_VPC_CONFIG };
      }),
    );
    expect(promoted.json.output.restore_mode.value).toBe("replica-promotion");
    expect(promoted.json.output.restore_source.value).toBe("replica acme-medplum-dr:medplum-prod-replica-usw1 of medplum-prod");
    expect(promoted.resource("google_sql_database_instance").name).toBe("medplum-prod-replica-usw1");
  });

  it.each([
    { mode: "backup", edit: () => undefined },
    {
      mode: "point-in-time-clone",
      edit: (gcp: any) => {
        gcp.region = gcp.primaryRegion;
        gcp.network = { ...SOURCE_VPC_CONFIG };
        gcp.database.restore = { mode: "point-in-time-clone", sourceInstance: "medplum-prod", time: "2026-11-22T08:30:00Z" };
      },
    },
    {
      mode: "replica-promotion",
      edit: (gcp: any) => {
        gcp.network = { ...SOURCE_VPC_CONFIG };
        gcp.database.restore = { mode: "replica-promotion", replicaInstance: "medplum-prod-replica-usw1", primaryInstance: "medplum-prod" };
      },
    },
  ])("synthesizes restore mode $mode with a valid config and no policy error", ({ mode, edit }) => {
    const stack = synthGcpStack(gcpConfig((doc) => edit(doc.targets.gcp)));
    expect(policyErrorsOf(stack)).toEqual([]);
    expect(stack.json.output.restore_mode.value).toBe(mode);
  });
});
