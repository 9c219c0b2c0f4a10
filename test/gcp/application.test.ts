import { App, TerraformStack, Testing } from "cdktf";
import { createGcpBundle } from "../../modules/gcp";
import { GKE_MANAGED_ANNOTATIONS, GkeKubernetesProvider } from "../../modules/gcp/kubernetes-provider";
import { gcpConfig, policyErrorsOf, synthGcpStack } from "./support";

describe("the GKE Autopilot cluster", () => {
  const cluster = synthGcpStack().resource("google_container_cluster");

  it("is a regional Autopilot cluster with private nodes in the recovery subnet", () => {
    expect(cluster).toMatchObject({ enable_autopilot: true, location: "us-west1", name: "medplum-dr-gke" });
    expect(cluster.private_cluster_config).toEqual({ enable_private_nodes: true, enable_private_endpoint: false });
    expect(cluster.ip_allocation_policy).toEqual({ cluster_secondary_range_name: "pods", services_secondary_range_name: "services" });
  });

  it("admits only the configured networks to the control plane", () => {
    expect(cluster.master_authorized_networks_config).toEqual({
      gcp_public_cidrs_access_enabled: false,
      cidr_blocks: [{ cidr_block: "203.0.113.0/24", display_name: "ops-vpn" }],
    });
  });

  it("follows the configured release channel, uses the project's workload identity pool, and is protected from deletion", () => {
    expect(cluster.release_channel).toEqual({ channel: "REGULAR" });
    expect(cluster.workload_identity_config).toEqual({ workload_pool: "acme-medplum-dr.svc.id.goog" });
    expect(cluster.deletion_protection).toBe(true);
    expect(
      synthGcpStack(gcpConfig((doc) => (doc.targets.gcp.cluster.deletionProtection = false))).resource("google_container_cluster").deletion_protection,
    ).toBe(false);
  });
});

describe("the kubernetes provider", () => {
  it("authenticates by default with gke-gcloud-auth-plugin, whose fresh tokens outlast a 120-minute Cloud SQL restore", () => {
    const stack = synthGcpStack(gcpConfig((doc) => delete doc.targets.gcp.cluster.kubernetesCredentials));
    const [kubernetes] = stack.json.provider.kubernetes;
    expect(kubernetes.exec).toEqual([{ api_version: "client.authentication.k8s.io/v1beta1", command: "gke-gcloud-auth-plugin" }]);
    expect(kubernetes.token).toBeUndefined();
    expect(stack.data("google_client_config")).toEqual([]);
  });

  it("uses the runner's one-hour access token only when config asks for it", () => {
    const stack = synthGcpStack(gcpConfig((doc) => (doc.targets.gcp.cluster.kubernetesCredentials = "access-token")));
    const [kubernetes] = stack.json.provider.kubernetes;
    expect(kubernetes.token).toMatch(/^\$\{data\.google_client_config\.[A-Za-z0-9_]+\.access_token\}$/);
    expect(kubernetes.exec).toBeUndefined();
  });

  it("is declared on the stack by configureProviders, before any step, and points at the cluster the stack creates", () => {
    const stack = new TerraformStack(new App({ outdir: "unused", skipValidation: true }), "recovery-gcp");
    const providers = createGcpBundle(gcpConfig()).configureProviders(stack, "recovery-gcp");
    expect(providers.kubernetes).toBeInstanceOf(GkeKubernetesProvider);
    expect(providers.kubernetes.node.scope).toBe(stack);
    const [kubernetes] = synthGcpStack().json.provider.kubernetes;
    expect(kubernetes.host).toMatch(/^https:\/\/\$\{google_container_cluster\.[A-Za-z0-9_]+\.endpoint\}$/);
    expect(kubernetes.cluster_ca_certificate).toMatch(
      /^\$\{base64decode\(google_container_cluster\.[A-Za-z0-9_]+\.master_auth\[0\]\.cluster_ca_certificate\)\}$/,
    );
  });

  it("leaves the annotations GKE's controllers write to them, and only those (the provider keeps managing a key the config sets)", () => {
    const [kubernetes] = synthGcpStack().json.provider.kubernetes;
    expect(kubernetes.ignore_annotations).toEqual([...GKE_MANAGED_ANNOTATIONS]);
    // Go's regexp and JavaScript's agree on these patterns (anchors, escaped dots, an optional group).
    const ignored = (key: string) => kubernetes.ignore_annotations.some((pattern: string) => new RegExp(pattern).test(key));
    expect(["cloud.google.com/neg", "cloud.google.com/neg-status", "autopilot.gke.io/resource-adjustment"].filter(ignored)).toHaveLength(3);
    expect(["cloud.google.com/backend-config", "iam.gke.io/gcp-service-account", "networking.gke.io/certmap", "xcloud.google.com/neg"].filter(ignored)).toEqual(
      [],
    );
    // The Ingress mode sets the NEG annotation itself, so it stays managed.
    expect(synthGcpStack().resource("kubernetes_service_v1").metadata.annotations).toEqual({ "cloud.google.com/neg": '{"ingress": true}' });
  });

  it("is never written unconnected, which would send Kubernetes objects to the apply machine's kubeconfig context", () => {
    const stack = new TerraformStack(new App({ outdir: "unused", skipValidation: true }), "recovery-gcp");
    createGcpBundle(gcpConfig()).configureProviders(stack, "recovery-gcp");
    expect(() => Testing.synth(stack)).toThrow(/recovery-gcp\/kubernetes: was never connected to the GKE cluster/);
  });
});

describe("Medplum's Google identity", () => {
  const stack = synthGcpStack();

  it("may manage objects in the binary bucket only: no project-wide role", () => {
    expect(stack.resource("google_storage_bucket_iam_member")).toMatchObject({ bucket: "medplum-binaries-acme", role: "roles/storage.objectAdmin" });
    expect(stack.resources("google_project_iam_member")).toEqual([]);
  });

  it("is bound to the server's Kubernetes service account through workload identity", () => {
    const bindings = stack.resources("google_service_account_iam_member");
    const workloadIdentity = bindings.find((binding) => binding.role === "roles/iam.workloadIdentityUser");
    expect(workloadIdentity.member).toMatch(
      /^serviceAccount:acme-medplum-dr\.svc\.id\.goog\[\$\{kubernetes_namespace_v1\.[A-Za-z0-9_]+\.metadata\[0\]\.name\}\/\$\{kubernetes_service_account_v1\.[A-Za-z0-9_]+\.metadata\[0\]\.name\}\]$/,
    );
    const serviceAccount = stack.resource("kubernetes_service_account_v1");
    expect(serviceAccount.metadata.annotations["iam.gke.io/gcp-service-account"]).toMatch(/^\$\{google_service_account\.[A-Za-z0-9_]+\.email\}$/);
  });
});

describe("the load balancer in front of the servers", () => {
  it("is a GKE Ingress of class gce on a reserved global address, HTTPS only, with the peacetime certificate", () => {
    const stack = synthGcpStack();
    const ingress = stack.resource("kubernetes_ingress_v1");
    expect(ingress.metadata.annotations).toMatchObject({ "kubernetes.io/ingress.class": "gce", "kubernetes.io/ingress.allow-http": "false" });
    expect(ingress.metadata.annotations["ingress.gcp.kubernetes.io/pre-shared-cert"]).toMatch(
      /^\$\{data\.google_compute_ssl_certificate\.[A-Za-z0-9_]+\.name\}$/,
    );
    expect(ingress.metadata.annotations["kubernetes.io/ingress.global-static-ip-name"]).toMatch(/^\$\{google_compute_global_address\.[A-Za-z0-9_]+\.name\}$/);
    // GKE's controller skips an Ingress whose spec names a class; the annotation decides.
    expect(ingress.spec.ingress_class_name ?? "").toBe("");
    const address = stack.resources("google_compute_global_address").find((candidate) => candidate.address_type === "EXTERNAL");
    expect(address).toMatchObject({ ip_version: "IPV4", name: "medplum-dr-api" });
    expect(stack.resources("google_compute_managed_ssl_certificate")).toEqual([]);
  });

  it("reads every pre-shared certificate in the recovery project, so a certificate left in the primary's project fails the plan", () => {
    // GKE Ingress finds pre-shared certificates in the cluster's project only; the data source errors when one is absent.
    const stack = synthGcpStack(gcpConfig((doc) => (doc.targets.gcp.tls.certificateNames = ["medplum-api-2026", "medplum-api-2027"])));
    expect(stack.data("google_compute_ssl_certificate")).toEqual([
      { project: "acme-medplum-dr", name: "medplum-api-2026" },
      { project: "acme-medplum-dr", name: "medplum-api-2027" },
    ]);
    const attached = stack.resource("kubernetes_ingress_v1").metadata.annotations["ingress.gcp.kubernetes.io/pre-shared-cert"];
    expect(attached.split(",")).toHaveLength(2);
    for (const name of attached.split(",")) expect(name).toMatch(/^\$\{data\.google_compute_ssl_certificate\.[A-Za-z0-9_]+\.name\}$/);
  });

  it("with a google-managed certificate, creates one for the api host and attaches it", () => {
    const stack = synthGcpStack(gcpConfig((doc) => (doc.targets.gcp.tls = { mode: "google-managed" })));
    expect(stack.resource("google_compute_managed_ssl_certificate").managed).toEqual({ domains: ["api.medplum.example.com"] });
    expect(stack.resource("kubernetes_ingress_v1").metadata.annotations["ingress.gcp.kubernetes.io/pre-shared-cert"]).toMatch(
      /^\$\{google_compute_managed_ssl_certificate\.[A-Za-z0-9_]+\.name\}$/,
    );
  });

  it.each([
    ["pre-shared", {}],
    ["google-managed", { tls: { mode: "google-managed" } }],
    ["google-managed with a FrontendConfig", { tls: { mode: "google-managed", frontendConfigName: "medplum-frontend" } }],
  ])("passes the policy pack with tls.mode %s (a certificate given by reference is a certificate)", (_mode, change) => {
    expect(policyErrorsOf(synthGcpStack(gcpConfig((doc) => Object.assign(doc.targets.gcp, change))))).toEqual([]);
  });

  it("attaches a FrontendConfig (SSL policy, HTTP redirect) only when config names one", () => {
    const annotation = "networking.gke.io/v1beta1.FrontendConfig";
    expect(synthGcpStack().resource("kubernetes_ingress_v1").metadata.annotations[annotation]).toBeUndefined();
    const named = synthGcpStack(gcpConfig((doc) => (doc.targets.gcp.tls.frontendConfigName = "medplum-frontend")));
    expect(named.resource("kubernetes_ingress_v1").metadata.annotations[annotation]).toBe("medplum-frontend");
  });

  it("has an SSL policy ready for the FrontendConfig: TLS 1.2 minimum, MODERN profile", () => {
    expect(synthGcpStack().resource("google_compute_ssl_policy")).toMatchObject({ min_tls_version: "TLS_1_2", profile: "MODERN" });
  });

  it("targets pods directly (container-native load balancing) and lets only Google's load balancer ranges reach them", () => {
    const stack = synthGcpStack();
    expect(stack.resource("kubernetes_service_v1").metadata.annotations["cloud.google.com/neg"]).toBe('{"ingress": true}');
    const policy = stack.resource("kubernetes_network_policy_v1");
    expect(policy.spec.ingress[0].from).toEqual([{ ip_block: { cidr: "35.191.0.0/16" } }, { ip_block: { cidr: "130.211.0.0/22" } }]);
  });
});

describe("the Medplum servers", () => {
  const stack = synthGcpStack();

  it("connect to the restored database and the cache by their private addresses, with TLS", () => {
    const env = stack.resource("kubernetes_config_map_v1").data;
    expect(env.MEDPLUM_DATABASE_HOST).toMatch(/^\$\{google_sql_database_instance\.[A-Za-z0-9_]+\.private_ip_address\}$/);
    expect(env.MEDPLUM_DATABASE_DBNAME).toBe("medplum");
    // Verified against the instance's CA and the DNS name its shared-CA certificate carries: the host is an IP.
    expect(env.MEDPLUM_DATABASE_SSL).toMatch(
      /^\$\{jsonencode\(\{"require" = true, "rejectUnauthorized" = true, "ca" = google_sql_database_instance\.[A-Za-z0-9_]+\.server_ca_cert\[0\]\.cert, "servername" = local\.[A-Za-z0-9_]+\}\)\}$/,
    );
    expect(env.MEDPLUM_REDIS_HOST).toMatch(/^\$\{google_redis_instance\.[A-Za-z0-9_]+\.host\}$/);
    // TLS verified against the instance's own CA (Memorystore's server certificate is not signed by a public CA).
    expect(env.MEDPLUM_REDIS_TLS).toMatch(/^\$\{jsonencode\(\{"ca" = google_redis_instance\.[A-Za-z0-9_]+\.server_ca_certs\[0\]\.cert\}\)\}$/);
    expect(env.MEDPLUM_BINARY_STORAGE).toBe("gs:medplum-binaries-acme");
  });

  it("may reach only the database and cache addresses on their ports, besides DNS, HTTPS and the metadata server", () => {
    const egress = stack.resource("kubernetes_network_policy_v1").spec.egress;
    expect(egress[0].to[0].ip_block.cidr).toMatch(/private_ip_address\}\/32$/);
    expect(egress[1].to[0].ip_block.cidr).toMatch(/\.host\}\/32$/);
    expect(egress.map((rule: any) => rule.to?.[0]?.ip_block?.cidr)).toEqual(expect.arrayContaining(["169.254.169.254/32", "169.254.169.252/32"]));
  });

  it("start only once the restored instance and its user's password exist", () => {
    const dependsOn: string[] = stack.resource("kubernetes_deployment_v1").depends_on;
    expect(dependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^google_sql_database_instance\./), expect.stringMatching(/^google_sql_user\./)]));
  });
});
