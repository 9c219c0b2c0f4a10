import { App } from "cdktf";
import { createAzureBundle } from "../../modules/azure";
import { codeSuppressions, hasBlockingFindings, RECOVERY_PACK } from "../../policy";
import { RecoveryStack } from "../../stacks/recovery-stack";
import { evaluateStack } from "../support/policy";
import { azureConfig, synthAzure } from "./support";

describe("traffic: cut-over (the example)", () => {
  const stack = synthAzure();

  it("points an A record for the api host at the ingress address, with a 60 s TTL", () => {
    const record = stack.only("azurerm_dns_a_record");
    expect(record).toMatchObject({ name: "api", zone_name: "medplum.example.com", resource_group_name: "dns", ttl: 60 });
    expect(record.records[0]).toMatch(/kubernetes_ingress_v1\..*\.status\[0\]\.load_balancer\[0\]\.ingress\[0\]/);
    expect(stack.resources("azurerm_traffic_manager_profile")).toEqual({});
  });

  it("adopts the primary's existing A record with an import block, by the id azurerm builds from subscription, zone resource group, zone and name", () => {
    expect(stack.json.import).toEqual([
      {
        id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/dns/providers/Microsoft.Network/dnsZones/medplum.example.com/A/api",
        to: stack.address("azurerm_dns_a_record", "traffic/dns/api"),
      },
    ]);
  });

  it("creates the record instead where config says none exists yet (a first deploy, a drill into another zone)", () => {
    const fresh = synthAzure(azureConfig({ dns: { adoptExistingRecord: false } }));
    expect(fresh.json.import).toBeUndefined();
    expect(fresh.only("azurerm_dns_a_record").name).toBe("api");
  });

  it("synthesizes without adopting: the module records the config's word that the record is new, so DnsRecordAdopted does not block", () => {
    const config = azureConfig({ dns: { adoptExistingRecord: false } });
    const stack = new RecoveryStack(new App({ outdir: "unused", skipValidation: true }), "recovery-azure", { config, bundle: createAzureBundle(config) });
    const report = evaluateStack(stack, { suppressions: codeSuppressions(stack) }, RECOVERY_PACK);
    expect(hasBlockingFindings([report])).toBe(false);
    expect(report.findings.filter((finding) => finding.ruleId === "DnsRecordAdopted")).toEqual([
      expect.objectContaining({ suppressedBecause: "targets.azure.dns.adoptExistingRecord is false: the config says the record does not exist yet" }),
    ]);
  });

  it("reports the switch in the outputs", () => {
    expect(stack.json.output.api_url.value).toBe("https://api.medplum.example.com/");
    expect(stack.json.output.traffic_routing.value).toMatch(/^Azure DNS A record api\.medplum\.example\.com/);
  });
});

describe("traffic: Traffic Manager", () => {
  const stack = synthAzure(
    azureConfig({ dns: { ttlSeconds: 30, routing: { mode: "traffic-manager", profileName: "medplum-api", primaryEndpoint: "primary.medplum.example.com" } } }),
  );
  const profile = stack.only("azurerm_traffic_manager_profile");

  it("routes by priority with an HTTPS monitor on /healthcheck that asks for the api host", () => {
    expect(profile.traffic_routing_method).toBe("Priority");
    expect(profile.dns_config).toEqual({ relative_name: "medplum-api", ttl: 30 });
    expect(profile.monitor_config).toMatchObject({
      protocol: "HTTPS",
      port: 443,
      path: "/healthcheck",
      custom_header: [{ name: "host", value: "api.medplum.example.com" }],
    });
  });

  it("prefers the primary environment while it is healthy and fails over to the recovery", () => {
    const endpoints = Object.values(stack.resources("azurerm_traffic_manager_external_endpoint"));
    const byName = Object.fromEntries(endpoints.map((endpoint) => [endpoint.name, endpoint]));
    expect(byName.primary).toMatchObject({ target: "primary.medplum.example.com", priority: 1 });
    expect(byName.recovery.priority).toBe(2);
    expect(byName.recovery.target).toMatch(/kubernetes_ingress_v1\./);
  });

  it("makes the api host a CNAME to the profile", () => {
    const record = stack.only("azurerm_dns_cname_record");
    expect(record).toMatchObject({ name: "api", ttl: 30 });
    expect(record.record).toMatch(/azurerm_traffic_manager_profile\..*\.fqdn/);
    expect(stack.resources("azurerm_dns_a_record")).toEqual({});
  });

  it("adopts the existing CNAME with an import block", () => {
    expect(stack.json.import).toEqual([
      {
        id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/dns/providers/Microsoft.Network/dnsZones/medplum.example.com/CNAME/api",
        to: stack.address("azurerm_dns_cname_record", "traffic/dns/api"),
      },
    ]);
  });
});
