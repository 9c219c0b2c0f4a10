/**
 * `tls.mode: certificate-map`: recovery-gcp serves through a GKE Gateway that attaches the Certificate Manager map
 * standby-gcp issues in peacetime. Field names are those of the CRDs (kubernetes-sigs/gateway-api apis/v1,
 * GoogleCloudPlatform/gke-gateway-api apis/networking/v1); the tests pin that the objects point at each other (the
 * route at the Gateway's listener and at the Service's port, the policies at their targets) as the controller
 * resolves them, by name in one namespace.
 */
import { deriveDrillConfig } from "../../config/drill";
import { RecoveryConfigError } from "../../config/load";
import { parse } from "yaml";
import { evaluateStackJson } from "../../policy";
import { estimateFor } from "../../report/estimates";
import { gcpStandbyConfig, gcpStandbyDocument, synthGcpStandby } from "../standby/gcp/helpers";
import { EXAMPLE, exampleYaml, gcpConfig, problemsOf, synthGcpStack, type Synthesized } from "./support";

const MAP = "medplum-dr-api";
const certificateMap = (doc: any) => (doc.targets.gcp.tls = { mode: "certificate-map", mapName: MAP });

const manifests = (stack: Synthesized): any[] => stack.resources("kubernetes_manifest").map((resource) => resource.manifest);
const manifestOf = (stack: Synthesized, kind: string): any => {
  const found = manifests(stack).filter((manifest) => manifest.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0];
};
const addressOf = (stack: Synthesized, type: string, predicate: (body: any) => boolean): string => {
  const entry = Object.entries(stack.json.resource[type] ?? {}).find(([, body]) => predicate(body));
  if (entry === undefined) throw new Error(`no ${type} matches`);
  return `${type}.${entry[0]}`;
};

describe("recovery-gcp with a certificate map", () => {
  const stack = synthGcpStack(gcpConfig(certificateMap));
  const service = stack.resource("kubernetes_service_v1");
  const namespace = stack.resource("kubernetes_namespace_v1").metadata.name;

  it("puts a global external Application Load Balancer Gateway in front of the servers, instead of an Ingress", () => {
    expect(stack.resources("kubernetes_ingress_v1")).toEqual([]);
    expect(stack.data("google_compute_ssl_certificate")).toEqual([]);
    expect(stack.resources("google_compute_managed_ssl_certificate")).toEqual([]);
    const gateway = manifestOf(stack, "Gateway");
    expect(gateway.apiVersion).toBe("gateway.networking.k8s.io/v1");
    expect(gateway.spec.gatewayClassName).toBe("gke-l7-global-external-managed");
    expect(gateway.metadata.annotations).toEqual({ "networking.gke.io/certmap": MAP });
    // The Ingress's container-native annotation is Ingress-only; the Gateway controller makes its own NEGs.
    expect(service.metadata.annotations).toEqual({});
  });

  it("listens on 443 for the api host only: no plain-HTTP front end", () => {
    expect(manifestOf(stack, "Gateway").spec.listeners).toEqual([
      { name: "https", protocol: "HTTPS", port: 443, hostname: "api.medplum.example.com", allowedRoutes: { namespaces: { from: "Same" } } },
    ]);
  });

  it("takes the reserved global address by name, the address DNS points at", () => {
    const address = addressOf(stack, "google_compute_global_address", () => true);
    expect(manifestOf(stack, "Gateway").spec.addresses).toEqual([{ type: "NamedAddress", value: `\${${address}.name}` }]);
    expect(stack.resource("google_dns_record_set").rrdatas).toEqual([`\${${address}.address}`]);
  });

  it("routes the api host to the Service's port through the Gateway's HTTPS listener, all in the servers' namespace", () => {
    const gateway = manifestOf(stack, "Gateway");
    const route = manifestOf(stack, "HTTPRoute");
    expect(route.spec.parentRefs).toEqual([{ name: gateway.metadata.name, sectionName: gateway.spec.listeners[0].name }]);
    expect(route.spec.hostnames).toEqual(["api.medplum.example.com"]);
    expect(route.spec.rules).toEqual([{ backendRefs: [{ name: service.metadata.name, port: service.spec.port[0].port }] }]);
    for (const manifest of manifests(stack)) expect(manifest.metadata.namespace).toBe(namespace);
  });

  it("health-checks Medplum's /healthcheck on the serving port, which the CRD requires when no port is given", () => {
    const policy = manifestOf(stack, "HealthCheckPolicy");
    expect(policy.apiVersion).toBe("networking.gke.io/v1");
    expect(policy.spec.targetRef).toEqual({ group: "", kind: "Service", name: service.metadata.name });
    expect(policy.spec.default.config).toEqual({ type: "HTTP", httpHealthCheck: { requestPath: "/healthcheck" } });
  });

  it("attaches the stack's TLS 1.2+ SSL policy to the Gateway, with no FrontendConfig step", () => {
    const policy = manifestOf(stack, "GCPGatewayPolicy");
    const sslPolicy = addressOf(stack, "google_compute_ssl_policy", () => true);
    expect(policy.spec).toEqual({
      default: { sslPolicy: `\${${sslPolicy}.name}` },
      targetRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: manifestOf(stack, "Gateway").metadata.name },
    });
    expect(stack.resource("google_compute_ssl_policy")).toMatchObject({ min_tls_version: "TLS_1_2", profile: "MODERN" });
  });

  it("builds the load balancer while the servers roll out: the Gateway waits for the Service, not the Deployment", () => {
    const gateway = stack.resources("kubernetes_manifest").find((body) => body.manifest.kind === "Gateway");
    const serviceAddress = addressOf(stack, "kubernetes_service_v1", () => true);
    expect(gateway.depends_on).toContain(serviceAddress);
    expect(gateway.depends_on.filter((address: string) => address.startsWith("kubernetes_deployment_v1."))).toEqual([]);
    const deployment = addressOf(stack, "kubernetes_deployment_v1", () => true);
    expect(stack.resource("google_dns_record_set").depends_on).toContain(deployment);
  });

  it("switches DNS only once the Gateway is Programmed and its route exists", () => {
    const [gateway, route] = ["Gateway", "HTTPRoute"].map((kind) => addressOf(stack, "kubernetes_manifest", (body) => body.manifest.kind === kind));
    const gatewayBody = stack.resources("kubernetes_manifest").find((body) => body.manifest.kind === "Gateway");
    expect(gatewayBody.wait).toEqual({ condition: [{ type: "Programmed", status: "True" }] });
    expect(stack.resource("google_dns_record_set").depends_on).toEqual(expect.arrayContaining([gateway, route]));
  });

  it("reads the map and fails the plan unless an issued certificate in the project covers the api host", () => {
    expect(stack.data("google_certificate_manager_certificate_map")).toEqual([{ project: "acme-medplum-dr", name: MAP }]);
    const [check] = stack.data("google_certificate_manager_certificates");
    const [postcondition] = check.lifecycle.postcondition;
    expect(postcondition.condition).toContain('contains(certificate.san_dnsnames, "api.medplum.example.com")');
    expect(postcondition.condition).toContain('contains(certificate.san_dnsnames, "*.medplum.example.com")');
    expect(postcondition.error_message).toMatch(/covers api\.medplum\.example\.com .*tls\.mode pre-shared or google-managed$/);
  });

  it("counts the Gateway's load balancer in the report's creation-time model, and the other manifests as quick calls", () => {
    const variants = stack.resources("kubernetes_manifest").map((body) => [body.manifest.kind, estimateFor("kubernetes_manifest", body).variant]);
    expect(Object.fromEntries(variants)).toEqual({
      Gateway: "a Gateway API Gateway",
      HTTPRoute: undefined,
      HealthCheckPolicy: undefined,
      GCPGatewayPolicy: undefined,
    });
  });

  it("turns on the cluster's Gateway API, an in-place setting, only when the mode needs it", () => {
    expect(stack.resource("google_container_cluster").gateway_api_config).toEqual({ channel: "CHANNEL_STANDARD" });
    expect(synthGcpStack().resource("google_container_cluster").gateway_api_config).toBeUndefined();
  });

  it("passes the policy pack, and its HTTPS-only rule judges the Gateway", () => {
    const findings = evaluateStackJson(stack.json, "recovery-gcp", { suppressions: [] }).findings;
    expect(findings.filter((finding) => finding.severity === "error" && finding.suppressedBecause === undefined)).toEqual([]);
    const gateway = addressOf(stack, "kubernetes_manifest", (body) => body.manifest.kind === "Gateway");
    const plainHttp = structuredClone(stack.json);
    const [name] = gateway.split(".").slice(1);
    plainHttp.resource.kubernetes_manifest[name!].manifest.spec.listeners.push({ name: "http", protocol: "HTTP", port: 80 });
    const flagged = evaluateStackJson(plainHttp, "recovery-gcp", { suppressions: [] }).findings.filter((finding) => finding.ruleId === "LoadBalancerHttpsOnly");
    expect(flagged.map((finding) => finding.message)).toEqual([expect.stringMatching(/^listener http serves plain HTTP/)]);
    delete plainHttp.resource.kubernetes_manifest[name!].manifest.metadata.annotations;
    plainHttp.resource.kubernetes_manifest[name!].manifest.spec.listeners.pop();
    const noCertificate = evaluateStackJson(plainHttp, "recovery-gcp", { suppressions: [] }).findings.filter(
      (finding) => finding.ruleId === "LoadBalancerHttpsOnly",
    );
    expect(noCertificate.map((finding) => finding.message)).toEqual([expect.stringMatching(/^listener https is HTTPS without a certificate/)]);
  });
});

describe("certificate-map config", () => {
  it("needs the map's name", () => {
    expect(problemsOf(exampleYaml((doc) => (doc.targets.gcp.tls = { mode: "certificate-map" })))).toEqual([
      expect.stringMatching(/^targets\.gcp\.tls\.mapName: /),
    ]);
  });

  it("has no FrontendConfig: the GCPGatewayPolicy attaches the SSL policy", () => {
    expect(problemsOf(exampleYaml((doc) => (doc.targets.gcp.tls = { mode: "certificate-map", mapName: MAP, frontendConfigName: "medplum-frontend" })))).toEqual(
      ['targets.gcp.tls.frontendConfigName: is not a field of mode "certificate-map"; it belongs to mode "pre-shared"'],
    );
  });

  it("refuses a drill that would attach production's map, whose certificate covers production's host", () => {
    const document = parse(exampleYaml(certificateMap));
    delete document.drill.overrides.targets.gcp.tls;
    expect(() => deriveDrillConfig(document, "config.yaml", { expiresOn: "2027-01-01" })).toThrow(RecoveryConfigError);
    expect(() => deriveDrillConfig(document, "config.yaml", { expiresOn: "2027-01-01" })).toThrow(
      /drill\.overrides\.targets\.gcp\.tls: attaches production's certificate map medplum-dr-api/,
    );
    document.drill.overrides.targets.gcp.tls = { mode: "google-managed" };
    expect(() => deriveDrillConfig(document, "config.yaml", { expiresOn: "2027-01-01" })).not.toThrow();
  });

  it("leaves the bundled example's pre-shared certificates as they are", () => {
    expect(parse(EXAMPLE).targets.gcp.tls.mode).toBe("pre-shared");
  });
});

describe("standby-gcp and the pilot-light recovery with a certificate map", () => {
  const synthesized = synthGcpStandby(gcpStandbyConfig("pilot-light", certificateMap));

  it("synthesizes with no policy or apply-time rule error", () => {
    expect(synthesized.stacks).toEqual(expect.arrayContaining(["standby-gcp", "recovery-gcp"]));
  });

  it("issues the certificate into the map the recovery attaches", () => {
    const map = synthesized.standby.only("google_certificate_manager_certificate_map");
    expect(map.name).toBe(MAP);
    const gateway = Object.values(synthesized.recovery.resources("kubernetes_manifest")).find((body) => body.manifest.kind === "Gateway");
    expect(gateway!.manifest.metadata.annotations["networking.gke.io/certmap"]).toBe(map.name);
  });

  it("builds the standing cluster with the Gateway API, and the recovery's plan fails if the adopted one lacks it", () => {
    expect(synthesized.standby.only("google_container_cluster").gateway_api_config).toEqual({ channel: "CHANNEL_STANDARD" });
    const [adopted] = Object.values(synthesized.recovery.data("google_container_cluster"));
    const [postcondition] = adopted!.lifecycle.postcondition;
    expect(postcondition.condition).toBe('${length(self.gateway_api_config) > 0 && try(self.gateway_api_config[0].channel, "") != "CHANNEL_DISABLED"}');
    expect(postcondition.error_message).toMatch(/does not report the Gateway API .*--gateway-api=standard$/);
  });

  it("leaves the standing cluster of the other TLS modes unchanged", () => {
    const standing = synthGcpStandby(gcpConfig(gcpStandbyDocument("pilot-light")));
    expect(standing.standby.only("google_container_cluster").gateway_api_config).toBeUndefined();
    const [adopted] = Object.values(standing.recovery.data("google_container_cluster"));
    expect(adopted!.lifecycle).toBeUndefined();
  });
});
