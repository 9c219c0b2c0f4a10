import { TerraformLocal } from "cdktf";
import { GcpMonitoring } from "../../modules/gcp/monitoring";
import { GcpTraffic } from "../../modules/gcp/traffic";
import { gcpConfig, synthGcpStack, synthModule } from "./support";

function synthTraffic(edit: (dns: any) => void = () => undefined) {
  const gcp = gcpConfig((doc) => edit(doc.targets.gcp.dns)).targets.gcp!;
  let value: GcpTraffic["value"] | undefined;
  const synth = synthModule((scope) => {
    value = new GcpTraffic(scope, "dns", {
      project: gcp.project,
      region: gcp.region,
      namePrefix: "medplum-dr",
      apiHostname: "api.medplum.example.com",
      apiUrl: "https://api.medplum.example.com/",
      dns: gcp.dns,
      entryPointAddress: "203.0.113.10",
      dependsOn: [new TerraformLocal(scope, "servers", "rolled out")],
    }).value;
  });
  return { ...synth, record: synth.resource("google_dns_record_set"), value: value! };
}

describe("the DNS switch", () => {
  it("cut-over: points the api host's A record at the recovery load balancer, TTL 60, once the servers are up", () => {
    const { record, value } = synthTraffic();
    expect(record).toMatchObject({ managed_zone: "medplum-example-com", name: "api.medplum.example.com.", type: "A", ttl: 60, rrdatas: ["203.0.113.10"] });
    expect(record.routing_policy).toBeUndefined();
    expect(record.depends_on).toEqual(["local.servers"]);
    expect(value.apiUrl).toBe("https://api.medplum.example.com/");
  });

  it("uses a shorter TTL when configured", () => {
    expect(synthTraffic((dns) => (dns.ttlSeconds = 30)).record.ttl).toBe(30);
  });

  it("primary-backup: answers with the primary while its /healthcheck passes, else with the recovery address", () => {
    const synth = synthTraffic(
      (dns) => (dns.routing = { mode: "primary-backup", primaryAddresses: ["198.51.100.7"], healthCheckRegions: ["us-east1", "us-central1", "us-west1"] }),
    );
    expect(synth.record.rrdatas).toBeUndefined();
    expect(synth.record.routing_policy.health_check).toMatch(/^\$\{google_compute_health_check\.[A-Za-z0-9_]+\.id\}$/);
    expect(synth.record.routing_policy.primary_backup).toEqual({
      primary: { external_endpoints: ["198.51.100.7"] },
      backup_geo: [{ location: "us-west1", rrdatas: ["203.0.113.10"] }],
      trickle_ratio: 0,
    });
    expect(synth.resource("google_compute_health_check")).toMatchObject({
      source_regions: ["us-east1", "us-central1", "us-west1"],
      https_health_check: { port: 443, host: "api.medplum.example.com", request_path: "/healthcheck" },
    });
  });

  it("in the whole stack, waits for the Deployment and Ingress before switching", () => {
    const dependsOn: string[] = synthGcpStack().resource("google_dns_record_set").depends_on;
    expect(dependsOn).toEqual([expect.stringMatching(/^kubernetes_deployment_v1\./), expect.stringMatching(/^kubernetes_ingress_v1\./)]);
  });
});

describe("monitoring", () => {
  function synthMonitoring(edit: (alerts: any) => void = () => undefined) {
    const gcp = gcpConfig((doc) => edit(doc.targets.gcp.alerts)).targets.gcp!;
    let value: GcpMonitoring["value"] | undefined;
    const synth = synthModule((scope) => {
      value = new GcpMonitoring(scope, "alerts", {
        project: gcp.project,
        namePrefix: "medplum-dr",
        apiHostname: "api.medplum.example.com",
        databaseId: "acme-medplum-dr:medplum-dr-postgres",
        alerts: gcp.alerts,
        labels: {},
      }).value;
    });
    return { ...synth, value: value! };
  }

  it("checks https://<api host>/healthcheck every minute and expects Medplum's ok answer", () => {
    const uptime = synthMonitoring().resource("google_monitoring_uptime_check_config");
    expect(uptime.monitored_resource).toEqual({ type: "uptime_url", labels: { project_id: "acme-medplum-dr", host: "api.medplum.example.com" } });
    expect(uptime.http_check).toMatchObject({ path: "/healthcheck", port: 443, use_ssl: true, validate_ssl: true });
    expect(uptime.period).toBe("60s");
  });

  it("alerts on uptime failure and on the recovered instance's CPU and disk", () => {
    const policies = synthMonitoring().resources("google_monitoring_alert_policy");
    // Sorted, so "metric.type=…" (the uptime policy) comes before the two "resource.type=…" Cloud SQL policies.
    const filters = policies.map((policy) => policy.conditions[0].condition_threshold.filter as string).sort();
    expect(filters).toEqual([
      expect.stringMatching(
        /^metric\.type="monitoring\.googleapis\.com\/uptime_check\/check_passed" AND metric\.label\.check_id="\$\{google_monitoring_uptime_check_config\.[A-Za-z0-9_]+\.uptime_check_id\}"/,
      ),
      expect.stringMatching(/database_id="acme-medplum-dr:medplum-dr-postgres".*database\/cpu\/utilization/),
      expect.stringMatching(/database_id="acme-medplum-dr:medplum-dr-postgres".*database\/disk\/utilization/),
    ]);
  });

  it("notifies an e-mail channel per configured address and the existing channels named in config", () => {
    const synth = synthMonitoring((alerts) => (alerts.channelIds = ["projects/acme-medplum-dr/notificationChannels/42"]));
    expect(synth.resource("google_monitoring_notification_channel")).toMatchObject({ type: "email", labels: { email_address: "oncall@medplum.example.com" } });
    for (const policy of synth.resources("google_monitoring_alert_policy")) {
      expect(policy.notification_channels).toEqual([
        expect.stringMatching(/^\$\{google_monitoring_notification_channel\.[A-Za-z0-9_]+\.id\}$/),
        "projects/acme-medplum-dr/notificationChannels/42",
      ]);
    }
  });
});
