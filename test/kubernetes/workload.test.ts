/**
 * MedplumWorkload on synthesized JSON: the security properties a reviewer (and Checkov's CKV_K8S rules) look for, the
 * configuration wiring that keeps secrets out of the JSON, and the prop checks.
 */
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { Testing, TerraformVariable } from "cdktf";
import { MedplumWorkload, MedplumWorkloadPropsError, requireIngress, SENSITIVE_MEDPLUM_VARIABLES } from "../../modules/kubernetes/workload";
import { exampleConfig, only, synthWorkload, WORKLOAD_INGRESS, workloadProps, type Synthesized } from "./fixtures";

const server = (synthesized: Synthesized) => only(synthesized, "kubernetes_deployment_v1");
const podSpec = (synthesized: Synthesized) => server(synthesized).spec.template.spec;
const container = (synthesized: Synthesized) => podSpec(synthesized).container[0];

describe("MedplumWorkload: the server Deployment", () => {
  const synthesized = synthWorkload();

  test("runs the pinned image from config with the env config source on 8103", () => {
    expect(container(synthesized).image).toBe("medplum/medplum-server:4.3.9");
    expect(container(synthesized).args).toEqual(["env"]);
    expect(container(synthesized).port).toEqual([{ name: "http", container_port: 8103, protocol: "TCP" }]);
  });

  test("takes pods out of the Service on /healthcheck, with Medplum's Helm timings: startup up to 60 x 10 s, liveness after 60 s", () => {
    const { startup_probe: startup, liveness_probe: liveness, readiness_probe: readiness } = container(synthesized);
    expect(readiness.http_get).toMatchObject({ path: "/healthcheck", port: "http" });
    expect(startup).toMatchObject({ failure_threshold: 60, period_seconds: 10 });
    expect(liveness.initial_delay_seconds).toBe(60);
  });

  test("never restarts a server because the database or Redis is down: startup and liveness only connect to the port", () => {
    // /healthcheck queries PostgreSQL and Redis: as a liveness probe it would restart every pod at once on a failover.
    const { startup_probe: startup, liveness_probe: liveness } = container(synthesized);
    for (const probe of [startup, liveness]) {
      expect(probe.tcp_socket).toEqual([{ port: "http" }]);
      expect(probe.http_get).toBeUndefined();
      expect(probe.exec).toBeUndefined();
    }
  });

  test("runs as the non-root user 65532 with fsGroup, at pod and container level", () => {
    expect(podSpec(synthesized).security_context).toMatchObject({ run_as_non_root: true, run_as_user: "65532", fs_group: "65532" });
    expect(container(synthesized).security_context).toMatchObject({ run_as_non_root: true, run_as_user: "65532" });
  });

  test("cannot escalate privileges, drops every capability and uses the runtime's seccomp profile", () => {
    expect(container(synthesized).security_context).toMatchObject({
      allow_privilege_escalation: false,
      privileged: false,
      capabilities: { drop: ["ALL"] },
      seccomp_profile: { type: "RuntimeDefault" },
    });
    expect(container(synthesized).security_context.capabilities.add).toBeUndefined();
    expect(podSpec(synthesized).security_context.seccomp_profile).toEqual({ type: "RuntimeDefault" });
  });

  test("keeps the root filesystem read-only and gives /tmp an emptyDir", () => {
    expect(container(synthesized).security_context.read_only_root_filesystem).toBe(true);
    expect(container(synthesized).volume_mount).toEqual([{ name: "tmp", mount_path: "/tmp" }]);
    expect(podSpec(synthesized).volume).toEqual([{ name: "tmp", empty_dir: { size_limit: "1Gi" } }]);
  });

  test("requests and limits the CPU and memory from config.medplum.server", () => {
    const config = exampleConfig();
    const sized = synthWorkload(
      workloadProps({ config: { ...config, medplum: { ...config.medplum, server: { ...config.medplum.server, cpuMillicores: 1000, memoryMiB: 3072 } } } }),
    );
    const expected = { cpu: "1000m", memory: "3072Mi" };
    expect(container(sized).resources).toEqual({ requests: expected, limits: expected });
  });

  test("starts config.medplum.server.count replicas and leaves the count to the autoscaler afterwards", () => {
    expect(server(synthesized).spec.replicas).toBe("2");
    expect(server(synthesized).lifecycle.ignore_changes).toEqual(["spec[0].replicas"]);
  });

  test("mounts no service account token by default, on the pod and on its own service account", () => {
    expect(podSpec(synthesized).automount_service_account_token).toBe(false);
    expect(only(synthesized, "kubernetes_service_account_v1").automount_service_account_token).toBe(false);
    expect(podSpec(synthesized).service_account_name).toMatch(/^\$\{kubernetes_service_account_v1\./);
  });

  test("mounts the token and carries workload identity labels and annotations when the caller opts in (AKS)", () => {
    const aks = synthWorkload(
      workloadProps({
        serviceAccount: { annotations: { "azure.workload.identity/client-id": "00000000-0000-0000-0000-000000000000" }, automountToken: true },
        podLabels: { "azure.workload.identity/use": "true" },
      }),
    );
    expect(podSpec(aks).automount_service_account_token).toBe(true);
    expect(only(aks, "kubernetes_service_account_v1").metadata.annotations).toEqual({
      "azure.workload.identity/client-id": "00000000-0000-0000-0000-000000000000",
    });
    expect(server(aks).spec.template.metadata.labels["azure.workload.identity/use"]).toBe("true");
  });

  test("spreads servers across zones without refusing to schedule in a single-zone cluster", () => {
    const zone = podSpec(synthesized).topology_spread_constraint.find((c: any) => c.topology_key === "topology.kubernetes.io/zone");
    expect(zone).toMatchObject({ max_skew: 1, when_unsatisfiable: "ScheduleAnyway" });
    expect(zone.label_selector[0].match_labels).toEqual(server(synthesized).spec.selector.match_labels);
  });

  test("starts only after what the caller depends on, e.g. the restore Job", () => {
    const synthesizedWithDependency = JSON.parse(
      Testing.synthScope((scope) => {
        const restore = new ConfigMapV1(scope, "restore", { metadata: { name: "stand-in-for-the-restore-job" } });
        new MedplumWorkload(scope, "application", workloadProps({ dependsOn: [restore] }));
      }),
    ) as Synthesized;
    expect(server(synthesizedWithDependency).depends_on).toEqual([expect.stringMatching(/^kubernetes_config_map_v1\.restore/)]);
    expect(server(synthesized).depends_on).toBeUndefined();
  });
});

describe("MedplumWorkload: configuration", () => {
  const synthesized = synthWorkload();
  const configMap = only(synthesized, "kubernetes_config_map_v1");

  test("reads the non-sensitive settings whole from the ConfigMap", () => {
    expect(container(synthesized).env_from).toEqual([{ config_map_ref: { name: expect.stringMatching(/^\$\{kubernetes_config_map_v1\./) } }]);
    expect(configMap.data).toMatchObject({
      MEDPLUM_BASE_URL: "https://api.medplum.example.com/",
      MEDPLUM_PORT: "8103",
      MEDPLUM_APP_BASE_URL: "https://app.medplum.example.com/",
      MEDPLUM_DATABASE_HOST: "medplum-postgres.medplum.svc.cluster.local",
      MEDPLUM_DATABASE_PORT: "5432",
      MEDPLUM_DATABASE_DBNAME: "medplum",
      MEDPLUM_REDIS_HOST: "medplum-redis.medplum.svc.cluster.local",
      MEDPLUM_BINARY_STORAGE: "s3:medplum-binaries",
      MEDPLUM_SUPPORT_EMAIL: "support@medplum.example.com",
    });
  });

  test("reads every sensitive setting from a Secret by name and key, never as a literal value", () => {
    const env = container(synthesized).env as Array<{ name: string; value?: string; value_from?: any }>;
    expect(env.find((entry) => entry.name === "MEDPLUM_SIGNING_KEY")).toEqual({
      name: "MEDPLUM_SIGNING_KEY",
      value_from: { secret_key_ref: { name: "medplum-app", key: "signingKey", optional: false } },
    });
    for (const entry of env) expect(entry.value).toBeUndefined();
    // The fixture's database user is a plain name, which is no secret.
    for (const name of SENSITIVE_MEDPLUM_VARIABLES.filter((variable) => variable !== "MEDPLUM_DATABASE_USERNAME"))
      expect(Object.keys(configMap.data)).not.toContain(name);
    expect(env.map((entry) => entry.name)).toEqual(Object.keys(workloadProps().secretEnvironment).sort());
  });

  test("turns on database TLS with verification and Redis TLS when the services offer it", () => {
    const managed = synthWorkload(workloadProps({ databaseTls: undefined, cache: { ...workloadProps().cache, tls: true, port: 6380 } }));
    // Medplum turns TLS on only from database.ssl, a JSON object (MEDPLUM_DATABASE_SSL); the default verifies the
    // server certificate against Node's bundled roots.
    expect(only(managed, "kubernetes_config_map_v1").data).toMatchObject({
      MEDPLUM_DATABASE_SSL: '{"require":true,"rejectUnauthorized":true}',
      MEDPLUM_REDIS_TLS: "{}",
      MEDPLUM_REDIS_PORT: "6380",
    });
    expect(configMap.data.MEDPLUM_DATABASE_SSL).toBeUndefined();
  });

  test("names the region of Medplum's S3 client for s3: storage", () => {
    expect(configMap.data.MEDPLUM_AWS_REGION).toBe("us-west-2");
    const onGcs = synthWorkload(workloadProps({ storage: { name: "b", medplumBinaryStorage: "gs:b" }, awsRegion: undefined }));
    expect(only(onGcs, "kubernetes_config_map_v1").data.MEDPLUM_AWS_REGION).toBeUndefined();
  });

  test("verifies Redis against the cache's private CA when the contract names one (Memorystore)", () => {
    const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    const synthesized = synthWorkload(workloadProps({ cache: { ...workloadProps().cache, tls: true, serverCaCertificate: pem } }));
    expect(JSON.parse(only(synthesized, "kubernetes_config_map_v1").data.MEDPLUM_REDIS_TLS)).toEqual({ ca: pem });
  });

  test("creates a caller's Secret from a sensitive Terraform variable (a token), never a literal", () => {
    const withVariable = JSON.parse(
      Testing.synthScope((scope) => {
        const signing = new TerraformVariable(scope, "signingKey", { type: "string", sensitive: true }).stringValue;
        new MedplumWorkload(
          scope,
          "application",
          workloadProps({ secretsToCreate: [{ id: "application", name: "medplum-app", data: { signingKey: signing } }] }),
        );
      }),
    ) as Synthesized;
    expect(only(withVariable, "kubernetes_secret_v1").data).toEqual({ signingKey: "${var.signingKey}" });
  });

  test("creates a caller's Secret from Terraform references only and reads it through the resource", () => {
    const reference = "${data.google_secret_manager_secret_version.signing.secret_data}";
    const withSecret = synthWorkload(
      workloadProps({
        secretsToCreate: [
          { id: "application", name: "medplum-app", data: { signingKey: reference, signingKeyId: reference, signingKeyPassphrase: reference } },
        ],
      }),
    );
    const secret = only(withSecret, "kubernetes_secret_v1");
    expect(secret.data.signingKey).toBe(reference);
    const env = container(withSecret).env.find((entry: any) => entry.name === "MEDPLUM_SIGNING_KEY");
    expect(env.value_from.secret_key_ref.name).toMatch(/^\$\{kubernetes_secret_v1\./);
  });

  test("rolls the pods when a setting changes, and only then", () => {
    const checksum = (s: Synthesized) => server(s).spec.template.metadata.annotations["medplum-dr/config-checksum"];
    const again = synthWorkload();
    const changed = synthWorkload(workloadProps({ extraEnvironment: { MEDPLUM_LOG_LEVEL: "debug" } }));
    expect(checksum(again)).toBe(checksum(synthesized));
    expect(checksum(changed)).not.toBe(checksum(synthesized));
    expect(checksum(synthesized)).toMatch(/^[0-9a-f]{16}$/);
  });

  test("gives byte-identical output for the same props", () => {
    expect(JSON.stringify(synthWorkload())).toBe(JSON.stringify(synthesized));
  });
});

describe("MedplumWorkload: Service and Ingress", () => {
  test("exposes the servers only inside the cluster, with the caller's annotations (GKE NEG)", () => {
    const gke = synthWorkload(workloadProps({ service: { annotations: { "cloud.google.com/neg": '{"ingress": true}' } } }));
    const service = only(gke, "kubernetes_service_v1");
    expect(service.spec.type).toBe("ClusterIP");
    expect(service.metadata.annotations).toEqual({ "cloud.google.com/neg": '{"ingress": true}' });
  });

  test("serves the api host over TLS from a cert-manager certificate", () => {
    const ingress = only(synthWorkload(), "kubernetes_ingress_v1");
    expect(ingress.spec.ingress_class_name).toBe("nginx");
    expect(ingress.spec.tls).toEqual([{ hosts: ["api.medplum.example.com"], secret_name: "medplum-server-tls" }]);
    expect(ingress.metadata.annotations["cert-manager.io/cluster-issuer"]).toBe("letsencrypt");
    expect(ingress.spec.rule[0].host).toBe("api.medplum.example.com");
  });

  test("leaves spec.ingressClassName unset for controllers that take the class from an annotation (GKE)", () => {
    const ingress = only(
      synthWorkload(
        workloadProps({
          ingress: {
            tls: { mode: "cloud-managed", annotations: { "ingress.gcp.kubernetes.io/pre-shared-cert": "medplum-api" } },
            annotations: { "kubernetes.io/ingress.class": "gce" },
          },
        }),
      ),
      "kubernetes_ingress_v1",
    );
    expect(ingress.spec).not.toHaveProperty("ingress_class_name");
    expect(ingress.metadata.annotations["kubernetes.io/ingress.class"]).toBe("gce");
  });

  test("publishes the ingress (where DNS is switched to) only after the servers rolled out", () => {
    const synthesized = synthWorkload();
    const ingress = only(synthesized, "kubernetes_ingress_v1");
    const deploymentName = Object.keys(synthesized.resource.kubernetes_deployment_v1)[0];
    expect(ingress.depends_on).toEqual([`kubernetes_deployment_v1.${deploymentName}`]);
  });

  test("serves TLS from an existing Secret, without cert-manager", () => {
    const ingress = only(
      synthWorkload(workloadProps({ ingress: { className: "nginx", tls: { mode: "existing-secret", secretName: "api-tls" } } })),
      "kubernetes_ingress_v1",
    );
    expect(ingress.spec.tls).toEqual([{ hosts: ["api.medplum.example.com"], secret_name: "api-tls" }]);
    expect(Object.keys(ingress.metadata.annotations).filter((key) => key.startsWith("cert-manager.io/"))).toEqual([]);
  });

  test("serves TLS from a cloud-managed certificate named by annotations (GKE pre-shared cert)", () => {
    const ingress = only(
      synthWorkload(
        workloadProps({
          ingress: { className: "gce", tls: { mode: "cloud-managed", annotations: { "ingress.gcp.kubernetes.io/pre-shared-cert": "medplum-api" } } },
        }),
      ),
      "kubernetes_ingress_v1",
    );
    expect(ingress.metadata.annotations["ingress.gcp.kubernetes.io/pre-shared-cert"]).toBe("medplum-api");
    expect(ingress.spec.tls).toBeUndefined();
  });

  test.each([
    ["with the given TTL", { ttlSeconds: 30 }, "30"],
    ["with a 60 s TTL by default", {}, "60"],
  ])("annotates for external-dns when asked, %s", (_name, externalDns, ttl) => {
    const ingress = only(synthWorkload(workloadProps({ ingress: { ...WORKLOAD_INGRESS, externalDns } })), "kubernetes_ingress_v1");
    expect(ingress.metadata.annotations).toMatchObject({
      "external-dns.alpha.kubernetes.io/hostname": "api.medplum.example.com",
      "external-dns.alpha.kubernetes.io/ttl": ttl,
    });
  });

  test("leaves DNS alone unless asked, and waits for the published address", () => {
    const ingress = only(synthWorkload(), "kubernetes_ingress_v1");
    expect(Object.keys(ingress.metadata.annotations).filter((key) => key.startsWith("external-dns"))).toEqual([]);
    expect(ingress.wait_for_load_balancer).toBe(true);
  });

  test("builds no Ingress for a caller that routes to the Service itself, and says so to one that asks for it", () => {
    const synthesized = synthWorkload(workloadProps({ ingress: null }));
    expect(synthesized.resource.kubernetes_ingress_v1).toBeUndefined();
    expect(only(synthesized, "kubernetes_service_v1").metadata.name).toBe("medplum-server");
    Testing.synthScope((scope) => {
      const workload = new MedplumWorkload(scope, "application", workloadProps({ ingress: null }));
      expect(() => requireIngress(workload)).toThrow(/application: was built with ingress: null/);
      const withIngress = new MedplumWorkload(scope, "other", workloadProps({ namespace: "other" }));
      expect(requireIngress(withIngress).ingress).toBe(withIngress.ingress);
    });
  });
});

describe("MedplumWorkload: autoscaling, disruption budget, network policy", () => {
  const synthesized = synthWorkload();

  test("scales on CPU between the server count and maxCount", () => {
    const hpa = only(synthesized, "kubernetes_horizontal_pod_autoscaler_v2").spec;
    expect(hpa).toMatchObject({
      min_replicas: 2,
      max_replicas: 6,
      scale_target_ref: { kind: "Deployment", name: expect.stringMatching(/kubernetes_deployment_v1/) },
    });
    expect(hpa.metric).toEqual([{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", average_utilization: 70 } } }]);
  });

  test("scales up to three times the server count when maxCount is not set", () => {
    const config = exampleConfig();
    const { maxCount: _dropped, ...server } = config.medplum.server;
    const hpa = only(
      synthWorkload(workloadProps({ config: { ...config, medplum: { ...config.medplum, server: { ...server, count: 3 } } } })),
      "kubernetes_horizontal_pod_autoscaler_v2",
    ).spec;
    expect(hpa).toMatchObject({ min_replicas: 3, max_replicas: 9 });
  });

  test("lets one server at a time be disrupted by default, or keeps the caller's minimum", () => {
    expect(only(synthesized, "kubernetes_pod_disruption_budget_v1").spec).toMatchObject({ max_unavailable: "1" });
    const pdb = only(synthWorkload(workloadProps({ disruptionBudget: { minAvailable: 1 } })), "kubernetes_pod_disruption_budget_v1").spec;
    expect(pdb.min_available).toBe("1");
    expect(pdb.max_unavailable).toBeUndefined();
    expect(pdb.selector.match_labels).toEqual(server(synthesized).spec.selector.match_labels);
  });

  test("admits only the ingress controller, on 8103", () => {
    const policy = only(synthesized, "kubernetes_network_policy_v1").spec;
    expect(policy.policy_types).toEqual(["Ingress", "Egress"]);
    expect(policy.pod_selector.match_labels).toEqual(server(synthesized).spec.selector.match_labels);
    expect(policy.ingress).toEqual([
      {
        from: [
          {
            namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "ingress-nginx" } },
            pod_selector: { match_labels: { "app.kubernetes.io/name": "ingress-nginx" } },
          },
        ],
        ports: [{ port: "8103", protocol: "TCP" }],
      },
    ]);
  });

  test("lets the servers reach only the database, Redis, DNS and HTTPS", () => {
    const egress = only(synthesized, "kubernetes_network_policy_v1").spec.egress as Array<{ to?: unknown[]; ports: Array<{ port: string; protocol: string }> }>;
    expect(egress.map((rule) => rule.ports.map((p) => `${p.protocol}/${p.port}`).join(","))).toEqual(["TCP/5432", "TCP/6379", "UDP/53,TCP/53", "TCP/443"]);
    expect(egress[0]!.to).toEqual([{ pod_selector: { match_labels: { "app.kubernetes.io/name": "medplum-postgres" } } }]);
    expect(egress[1]!.to).toEqual([{ pod_selector: { match_labels: { "app.kubernetes.io/name": "medplum-redis" } } }]);
  });

  test("reaches managed services and load-balancer ranges by CIDR (GKE)", () => {
    const gke = synthWorkload(
      workloadProps({
        networkPolicy: {
          ingressFrom: [{ cidr: "35.191.0.0/16" }, { cidr: "130.211.0.0/22" }],
          database: [{ cidr: "10.20.0.0/24" }],
          cache: [{ cidr: "10.30.0.0/29" }],
          additionalEgress: [{ peers: [{ cidr: "169.254.169.254/32" }], ports: [{ port: 80 }] }],
        },
      }),
    );
    const policy = only(gke, "kubernetes_network_policy_v1").spec;
    expect(policy.ingress[0].from).toEqual([{ ip_block: { cidr: "35.191.0.0/16" } }, { ip_block: { cidr: "130.211.0.0/22" } }]);
    expect(policy.egress[0].to).toEqual([{ ip_block: { cidr: "10.20.0.0/24" } }]);
    expect(policy.egress[4]).toEqual({ to: [{ ip_block: { cidr: "169.254.169.254/32" } }], ports: [{ port: "80", protocol: "TCP" }] });
  });
});

describe("MedplumWorkload: namespace", () => {
  test("creates a namespace that enforces the restricted Pod Security profile", () => {
    const namespace = only(synthWorkload(), "kubernetes_namespace_v1");
    expect(namespace.metadata.name).toBe("medplum");
    expect(namespace.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });

  test("uses the caller's namespace as given when asked not to create one", () => {
    const synthesized = synthWorkload(workloadProps({ createNamespace: false, namespace: "shared" }));
    expect(synthesized.resource.kubernetes_namespace_v1).toBeUndefined();
    expect(server(synthesized).metadata.namespace).toBe("shared");
  });
});

describe("MedplumWorkload: prop checks", () => {
  const base = workloadProps();
  const { MEDPLUM_SIGNING_KEY: _signing, ...withoutSigningKey } = base.secretEnvironment;
  const { MEDPLUM_DATABASE_PASSWORD: _password, ...withoutDatabasePassword } = base.secretEnvironment;
  test.each<[string, Partial<typeof base>, RegExp]>([
    ["a required secret is missing", { secretEnvironment: withoutDatabasePassword }, /secretEnvironment\.MEDPLUM_DATABASE_PASSWORD: is missing/],
    ["half a signing key is given", { secretEnvironment: withoutSigningKey }, /not both MEDPLUM_SIGNING_KEY and MEDPLUM_SIGNING_KEY_ID/],
    [
      "a plain setting is no Medplum setting",
      { extraEnvironment: { MEDPLUM_DATABASE_SSL_REQUIRE: "true" } },
      /Medplum 4\.x reads MEDPLUM_DATABASE_SSL_REQUIRE as "database\.sslRequire"/,
    ],
    ["s3: storage comes without its region", { awsRegion: undefined }, /awsRegion: is not set, but binary storage is s3:medplum-binaries/],
    [
      "an SMTP password is given without medplum.smtp",
      { secretEnvironment: { ...base.secretEnvironment, MEDPLUM_SMTP_PASSWORD: { secretName: "smtp", key: "password" } } },
      /MEDPLUM_SMTP_PASSWORD: is given, but medplum\.smtp is not set/,
    ],
    [
      "the database user is neither a plain name nor a Secret",
      { database: { ...base.database, username: { store: "kubernetes-secret", id: "medplum/db", key: "username" } } },
      /secretEnvironment\.MEDPLUM_DATABASE_USERNAME: is missing/,
    ],
    [
      "a credential is passed as plain environment",
      { extraEnvironment: { MEDPLUM_SMTP_PASSWORD: "hunter2" } },
      /extraEnvironment\.MEDPLUM_SMTP_PASSWORD: looks sensitive/,
    ],
    [
      "plain environment overrides a setting the workload owns",
      { extraEnvironment: { MEDPLUM_BASE_URL: "https://elsewhere.example.com/" } },
      /extraEnvironment\.MEDPLUM_BASE_URL: is set by the workload itself/,
    ],
    [
      "a Secret to create holds a literal",
      { secretsToCreate: [{ id: "application", name: "medplum-app", data: { signingKey: "-----BEGIN PRIVATE KEY-----" } }] },
      /secretsToCreate\.application\.data\.signingKey: is a literal value/,
    ],
    [
      "a Secret name is not a Kubernetes name",
      { secretEnvironment: { ...base.secretEnvironment, MEDPLUM_REDIS_PASSWORD: { secretName: "Redis_Secret", key: "password" } } },
      /MEDPLUM_REDIS_PASSWORD\.secretName: "Redis_Secret" is not a Kubernetes object name/,
    ],
    ["no ingress controller may reach the servers", { networkPolicy: { ...base.networkPolicy, ingressFrom: [] } }, /networkPolicy\.ingressFrom: is empty/],
    [
      "a peer CIDR is malformed",
      { networkPolicy: { ...base.networkPolicy, database: [{ cidr: "10.0.0.0" }] } },
      /networkPolicy\.database\[0\]\.cidr: "10\.0\.0\.0" is not a CIDR/,
    ],
    [
      "the cloud-managed certificate is not named",
      { ingress: { className: "gce", tls: { mode: "cloud-managed", annotations: {} } } },
      /ingress\.tls\.annotations: is empty/,
    ],
    [
      "the external-dns TTL is zero",
      { ingress: { ...WORKLOAD_INGRESS, externalDns: { ttlSeconds: 0 } } },
      /ingress\.externalDns\.ttlSeconds: 0 is not a whole number/,
    ],
    [
      "the disruption budget blocks every drain",
      { disruptionBudget: { minAvailable: 2 } },
      /disruptionBudget\.minAvailable: 2 is not below medplum\.server\.count \(2\)/,
    ],
  ])("refuses props where %s", (_name, overrides, message) => {
    expect(() => synthWorkload(workloadProps(overrides))).toThrow(MedplumWorkloadPropsError);
    expect(() => synthWorkload(workloadProps(overrides))).toThrow(message);
  });

  test("reports every problem at once", () => {
    const error = (() => {
      try {
        synthWorkload(
          workloadProps({
            secretEnvironment: {},
            extraEnvironment: { MEDPLUM_DATABASE_SSL_REQUIRE: "true" },
            networkPolicy: { ...base.networkPolicy, cache: [] },
          }),
        );
      } catch (caught) {
        return caught as MedplumWorkloadPropsError;
      }
      throw new Error("expected the props to be refused");
    })();
    // Database and Redis passwords, the unknown setting, the empty cache peers.
    expect(error.problems.length).toBeGreaterThanOrEqual(4);
  });
});
