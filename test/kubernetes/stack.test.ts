/**
 * The whole recovery-k8s stack, built by buildRecoveryApp from the example config (Kubernetes target only): what the
 * runbook relies on (the servers wait for the restore, a re-run never restores again) and the security properties of
 * every pod, in both database modes, both Redis modes, with and without external-dns.
 */
import { readFileSync } from "node:fs";
import { RESTORE_SCRIPT_PATH } from "../../modules/kubernetes/target/restore-job";
import { only } from "./fixtures";
import { address, byName, kubernetesConfig, synthKubernetesStack } from "./stack-fixtures";

const synthesized = synthKubernetesStack();
/** The stack creating its own namespace (the example expects the platform team to have created it). */
const ownNamespace = synthKubernetesStack(kubernetesConfig((doc) => (doc.targets.kubernetes.createNamespace = true)));
const statefulSets = byName(synthesized, "kubernetes_stateful_set_v1");
const postgres = statefulSets["medplum-postgres"];
const redis = statefulSets["medplum-redis"];
const job = only(synthesized, "kubernetes_job_v1");

/** Every pod template of the stack: Deployment, StatefulSets and the restore Job. */
function podSpecs(stack: ReturnType<typeof synthKubernetesStack>): Array<[string, any]> {
  return (["kubernetes_deployment_v1", "kubernetes_stateful_set_v1", "kubernetes_job_v1"] as const).flatMap((type) =>
    Object.values(stack.resource[type] ?? {}).map((resource: any): [string, any] => [`${type} ${resource.metadata.name}`, resource.spec.template.spec]),
  );
}

describe("recovery-k8s: order of recovery", () => {
  test("starts the Medplum servers only after the restore Job completed", () => {
    const deployment = only(synthesized, "kubernetes_deployment_v1");
    expect(deployment.depends_on).toEqual([address(synthesized, "kubernetes_job_v1", "medplum-restore")]);
    expect(job.wait_for_completion).toBe(true);
  });

  test("runs the restore Job only once Postgres has rolled out", () => {
    expect(job.depends_on).toEqual([address(synthesized, "kubernetes_stateful_set_v1", "medplum-postgres")]);
    expect(postgres.wait_for_rollout).toBe(true);
  });

  test("gives the restore generous time and few retries", () => {
    expect(job.timeouts).toEqual({ create: "240m", update: "240m" });
    expect(job.spec.active_deadline_seconds).toBe(240 * 60);
    expect(job.spec.backoff_limit).toBe(2);
  });

  test("never restores again on a re-run: the Job ignores every later change, and no TTL deletes it", () => {
    expect(job.lifecycle.ignore_changes).toBe("all");
    expect(job.spec.ttl_seconds_after_finished).toBeUndefined();
  });

  test("never replaces or destroys the recovered data volume", () => {
    expect(postgres.lifecycle).toEqual({ ignore_changes: ["spec[0].volume_claim_template"], prevent_destroy: true });
    expect(postgres.spec.persistent_volume_claim_retention_policy).toEqual([{ when_deleted: "Retain", when_scaled: "Retain" }]);
    expect(only(ownNamespace, "kubernetes_namespace_v1").lifecycle.prevent_destroy).toBe(true);
  });

  test("lets drills destroy everything when deletion protection is off", () => {
    const drill = synthKubernetesStack(
      kubernetesConfig((doc) =>
        Object.assign(doc.targets.kubernetes, { createNamespace: true, database: { ...doc.targets.kubernetes.database, deletionProtection: false } }),
      ),
    );
    expect(byName(drill, "kubernetes_stateful_set_v1")["medplum-postgres"].lifecycle.prevent_destroy).toBe(false);
    expect(only(drill, "kubernetes_namespace_v1").lifecycle.prevent_destroy).toBe(false);
  });
});

describe("recovery-k8s: the restore Job", () => {
  const restore = job.spec.template.spec.container[0];
  const download = job.spec.template.spec.init_container[0];

  test("runs the project's restore script, mounted from a ConfigMap holding the file byte for byte", () => {
    const script = byName(synthesized, "kubernetes_config_map_v1")["medplum-restore-script"];
    const data: string = script.data["restore-medplum-db.sh"];
    // Terraform reads `$${` as a literal `${`; unescaped, the ConfigMap is exactly the tested file.
    expect(data.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{")).toBe(readFileSync(RESTORE_SCRIPT_PATH, "utf8"));
    expect(data).not.toMatch(/(^|[^$])\$\{/);
    expect(restore.command).toEqual(["bash", "/scripts/restore-medplum-db.sh", "/dump/medplum.dump"]);
    expect(job.spec.template.spec.volume.find((v: any) => v.name === "script").config_map.name).toContain("kubernetes_config_map_v1.");
  });

  test("downloads the dump in an init container into a scratch volume the restore reads", () => {
    expect(download.command).toEqual([
      "aws",
      "s3",
      "cp",
      "--only-show-errors",
      "s3://acme-medplum-backups/medplum/medplum-2026-11-22.dump",
      "/dump/medplum.dump",
    ]);
    expect(download.volume_mount).toContainEqual({ name: "dump", mount_path: "/dump" });
    expect(restore.volume_mount).toContainEqual({ name: "dump", mount_path: "/dump", read_only: true });
  });

  test("bounds the dump's scratch space and reserves it on the node: a third of storageGiB by default", () => {
    // An unbounded emptyDir lets a 30 GB dump fill the node's ephemeral storage until the kubelet evicts pods.
    const dump = job.spec.template.spec.volume.find((volume: any) => volume.name === "dump");
    expect(dump).toEqual({ name: "dump", empty_dir: { size_limit: "34Gi" } });
    // The pod's request is the larger of its init container's and its containers' sum: both carry the dump's size.
    for (const container of [download, restore]) {
      expect(container.resources.requests["ephemeral-storage"], container.name).toBe("35Gi");
      expect(container.resources.limits["ephemeral-storage"], container.name).toBe("36Gi");
    }
  });

  test("sizes the scratch space from dump.scratchGiB", () => {
    const stack = synthKubernetesStack(kubernetesConfig((doc) => (doc.targets.kubernetes.database.dump.scratchGiB = 30)));
    const spec = only(stack, "kubernetes_job_v1").spec.template.spec;
    expect(spec.volume.find((volume: any) => volume.name === "dump")).toEqual({ name: "dump", empty_dir: { size_limit: "30Gi" } });
    expect(spec.init_container[0].resources.requests["ephemeral-storage"]).toBe("31Gi");
    expect(spec.container[0].resources.limits["ephemeral-storage"]).toBe("32Gi");
  });

  test("claims the scratch space from dump.scratchStorageClass as a generic ephemeral volume, off the node's disk", () => {
    const stack = synthKubernetesStack(
      kubernetesConfig((doc) => Object.assign(doc.targets.kubernetes.database.dump, { scratchGiB: 30, scratchStorageClass: "fast-ssd" })),
    );
    const spec = only(stack, "kubernetes_job_v1").spec.template.spec;
    const dump = spec.volume.find((volume: any) => volume.name === "dump");
    expect(dump.empty_dir).toBeUndefined();
    expect(dump.ephemeral.volume_claim_template.spec).toEqual({
      access_modes: ["ReadWriteOnce"],
      storage_class_name: "fast-ssd",
      resources: { requests: { storage: "30Gi" } },
    });
    expect(dump.ephemeral.volume_claim_template.metadata.labels).toMatchObject({ "app.kubernetes.io/name": "medplum-restore" });
    // Only /tmp, logs and writable layers stay on the node.
    for (const container of [spec.init_container[0], spec.container[0]]) expect(container.resources.requests["ephemeral-storage"]).toBe("1Gi");
  });

  test("takes every credential from the existing Secrets, by name and key", () => {
    const env = Object.fromEntries(restore.env.map((e: any) => [e.name, e]));
    expect(env.PGPASSWORD.value_from.secret_key_ref).toEqual({ name: "medplum-postgres-superuser", key: "password", optional: false });
    expect(env.MEDPLUM_DB_PASSWORD.value_from.secret_key_ref).toEqual({ name: "medplum-postgres-app", key: "password", optional: false });
    const downloadEnv = Object.fromEntries(download.env.map((e: any) => [e.name, e]));
    expect(downloadEnv.AWS_SECRET_ACCESS_KEY.value_from.secret_key_ref.name).toBe("medplum-backup-reader");
    for (const entry of [...restore.env, ...download.env]) {
      if (/PASSWORD|SECRET|TOKEN/.test(entry.name)) expect(entry.value).toBeUndefined();
    }
  });

  test.each([
    [
      "an S3-compatible store",
      { url: "s3://backups/medplum.dump", s3Endpoint: "https://minio.example.com:9000" },
      ["--endpoint-url", "https://minio.example.com:9000"],
      "amazon/aws-cli:2.17.0",
      "9000",
    ],
    ["Google Cloud Storage", { url: "gs://acme-backups/medplum.dump" }, ["sh", "-c"], "google/cloud-sdk:489.0.0-slim", "443"],
    ["Azure Blob storage", { url: "https://acmebackups.blob.core.windows.net/dumps/medplum.dump" }, ["sh", "-c"], "curlimages/curl:8.9.1", "443"],
  ])("downloads from %s with the matching CLI and opens only its port", (_store, dump, commandPart, image, port) => {
    const stack = synthKubernetesStack(
      kubernetesConfig((doc) => {
        const { s3Endpoint: _endpoint, url: _url, ...rest } = doc.targets.kubernetes.database.dump;
        doc.targets.kubernetes.database.dump = { ...rest, ...dump };
      }),
    );
    const init = only(stack, "kubernetes_job_v1").spec.template.spec.init_container[0];
    expect(init.image).toBe(image);
    expect(init.command.join(" ")).toContain(commandPart.join(" "));
    const policy = byName(stack, "kubernetes_network_policy_v1")["medplum-restore"];
    expect(policy.spec.egress.at(-1).ports).toEqual([{ port, protocol: "TCP" }]);
  });

  test("keeps the Azure SAS token out of every argument and the synthesized JSON", () => {
    const stack = synthKubernetesStack(
      kubernetesConfig((doc) => (doc.targets.kubernetes.database.dump.url = "https://acmebackups.blob.core.windows.net/dumps/medplum.dump")),
    );
    const init = only(stack, "kubernetes_job_v1").spec.template.spec.init_container[0];
    expect(init.env.find((e: any) => e.name === "SAS_TOKEN").value_from.secret_key_ref).toEqual({
      name: "medplum-backup-reader",
      key: "sasToken",
      optional: false,
    });
    expect(init.command.at(-1)).toContain('"$DUMP_URL?$SAS_TOKEN"');
  });

  test("passes the expected checksum to the script when the config gives one", () => {
    const sha256 = "a".repeat(64);
    const stack = synthKubernetesStack(kubernetesConfig((doc) => (doc.targets.kubernetes.database.dump.sha256 = sha256)));
    const env = only(stack, "kubernetes_job_v1").spec.template.spec.container[0].env;
    expect(env).toContainEqual({ name: "DUMP_SHA256", value: sha256 });
    expect(stack.output!.restore_point.value).toBe(`as of the dump (sha256 ${sha256})`);
  });
});

describe("recovery-k8s: PostgreSQL and Redis", () => {
  test("runs Postgres from the pinned image with Medplum's settings as server arguments", () => {
    const container = postgres.spec.template.spec.container[0];
    expect(container.image).toBe("postgres:16.4");
    expect(container.args).toEqual(["-c", "statement_timeout=60000", "-c", "default_transaction_isolation=repeatable read"]);
    expect(container.env).toContainEqual({
      name: "POSTGRES_PASSWORD",
      value_from: { secret_key_ref: { name: "medplum-postgres-superuser", key: "password", optional: false } },
    });
  });

  test("gives Postgres a persistent volume of the configured class and size, behind a headless Service", () => {
    expect(postgres.spec.volume_claim_template).toEqual([
      expect.objectContaining({ spec: { access_modes: ["ReadWriteOnce"], storage_class_name: "standard", resources: { requests: { storage: "100Gi" } } } }),
    ]);
    expect(byName(synthesized, "kubernetes_service_v1")["medplum-postgres"].spec.cluster_ip).toBe("None");
  });

  test("keeps Postgres writable only where it must be: the data volume, /var/run/postgresql and /tmp", () => {
    const container = postgres.spec.template.spec.container[0];
    expect(container.security_context.read_only_root_filesystem).toBe(true);
    expect(container.volume_mount.map((m: any) => m.mount_path)).toEqual(["/var/lib/postgresql/data", "/var/run/postgresql", "/tmp"]);
  });

  test("starts Redis with the password from the Secret through its environment, never as an argument", () => {
    const container = redis.spec.template.spec.container[0];
    expect(container.image).toBe("redis:7.2.5");
    expect(container.env).toContainEqual({
      name: "REDIS_PASSWORD",
      value_from: { secret_key_ref: { name: "medplum-redis", key: "password", optional: false } },
    });
    expect(container.command.join(" ")).toContain("requirepass $REDIS_PASSWORD");
    expect(container.command.join(" ")).not.toContain("--requirepass");
    expect(JSON.stringify(container.command)).not.toContain("${");
  });

  test.each(["kubernetes_deployment_v1", "kubernetes_stateful_set_v1", "kubernetes_job_v1"])(
    "%s pods: non-root, no privilege escalation, read-only root, no capabilities, probes and resources",
    (type) => {
      const specs = podSpecs(synthesized).filter(([label]) => label.startsWith(type));
      expect(specs.length).toBe(type === "kubernetes_stateful_set_v1" ? 2 : 1);
      for (const [name, spec] of specs) {
        expect(spec.security_context, name).toMatchObject({ run_as_non_root: true, seccomp_profile: { type: "RuntimeDefault" } });
        expect(spec.automount_service_account_token, name).toBe(false);
        for (const container of [...spec.container, ...(spec.init_container ?? [])]) {
          expect(container.security_context, `${name} ${container.name}`).toMatchObject({
            run_as_non_root: true,
            allow_privilege_escalation: false,
            read_only_root_filesystem: true,
            capabilities: { drop: ["ALL"] },
          });
          expect(container.resources.limits, `${name} ${container.name}`).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
          expect(container.resources.requests, `${name} ${container.name}`).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
        }
        if (type !== "kubernetes_job_v1") expect(spec.container[0].readiness_probe, name).toBeDefined();
        if (type !== "kubernetes_job_v1") expect(spec.container[0].liveness_probe, name).toBeDefined();
      }
    },
  );

  test("admits only the servers (and the restore Job) to Postgres and Redis, and lets neither call out", () => {
    const policies = byName(synthesized, "kubernetes_network_policy_v1");
    const serverPods = { match_labels: { "app.kubernetes.io/component": "server", "app.kubernetes.io/name": "medplum-server" } };
    expect(policies["medplum-postgres"].spec.ingress[0].from).toEqual([
      { pod_selector: serverPods },
      { pod_selector: { match_labels: { "app.kubernetes.io/name": "medplum-restore", "app.kubernetes.io/part-of": "medplum" } } },
    ]);
    expect(policies["medplum-redis"].spec.ingress[0].from).toEqual([{ pod_selector: serverPods }]);
    for (const name of ["medplum-postgres", "medplum-redis"]) {
      expect(policies[name].spec.policy_types).toEqual(["Ingress", "Egress"]);
      expect(policies[name].spec.egress).toBeUndefined();
    }
  });
});

describe("recovery-k8s: the application", () => {
  const deployment = only(synthesized, "kubernetes_deployment_v1");
  const configMap = byName(synthesized, "kubernetes_config_map_v1")["medplum-server-env"];

  test("connects Medplum to the in-cluster Postgres and Redis with credentials from the named Secrets", () => {
    expect(configMap.data).toMatchObject({
      MEDPLUM_DATABASE_HOST: "medplum-postgres.medplum.svc",
      MEDPLUM_DATABASE_DBNAME: "medplum",
      MEDPLUM_REDIS_HOST: expect.stringMatching(/^medplum-redis\./),
      MEDPLUM_BINARY_STORAGE: "s3:medplum-binaries-replica",
      // Medplum's S3 client reads its region from awsRegion, not AWS_REGION.
      MEDPLUM_AWS_REGION: "us-west-2",
    });
    // The in-cluster Postgres has no TLS; only the servers' pods reach it.
    expect(configMap.data.MEDPLUM_DATABASE_SSL).toBeUndefined();
    const env = Object.fromEntries(deployment.spec.template.spec.container[0].env.map((e: any) => [e.name, e.value_from.secret_key_ref]));
    expect(env).toMatchObject({
      MEDPLUM_DATABASE_USERNAME: { name: "medplum-postgres-app", key: "username" },
      MEDPLUM_REDIS_PASSWORD: { name: "medplum-redis", key: "password" },
      MEDPLUM_SIGNING_KEY: { name: "medplum-app", key: "signingKey" },
      AWS_SECRET_ACCESS_KEY: { name: "medplum-binaries-writer", key: "AWS_SECRET_ACCESS_KEY" },
    });
  });

  test("admits the ingress controller named in config to the servers", () => {
    const policy = byName(synthesized, "kubernetes_network_policy_v1")["medplum-server"];
    expect(policy.spec.ingress[0].from).toEqual([
      {
        namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "ingress-nginx" } },
        pod_selector: { match_labels: { "app.kubernetes.io/name": "ingress-nginx" } },
      },
    ]);
  });

  test("puts every object in the namespace the network step created, which enforces the restricted profile", () => {
    const namespace = only(ownNamespace, "kubernetes_namespace_v1");
    expect(namespace.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    const reference = `\${${address(ownNamespace, "kubernetes_namespace_v1", "medplum")}.metadata[0].name}`;
    for (const type of [
      "kubernetes_deployment_v1",
      "kubernetes_stateful_set_v1",
      "kubernetes_job_v1",
      "kubernetes_config_map_v1",
      "kubernetes_network_policy_v1",
    ]) {
      for (const resource of Object.values(ownNamespace.resource[type]!) as any[])
        expect(resource.metadata.namespace, `${type} ${resource.metadata.name}`).toBe(reference);
    }
  });

  test("uses the namespace the platform team created (with its Secrets) when told not to create one", () => {
    expect(synthesized.resource.kubernetes_namespace_v1).toBeUndefined();
    expect(deployment.metadata.namespace).toBe("medplum");
    expect(job.metadata.namespace).toBe("medplum");
  });

  test("configures the provider from the kubeconfig path and context", () => {
    expect(synthesized.provider.kubernetes).toEqual([{ config_path: "~/.kube/config", config_context: "dr-cluster" }]);
  });
});

describe("recovery-k8s: existing database and Redis", () => {
  const existing = synthKubernetesStack(
    kubernetesConfig((doc) => {
      doc.targets.kubernetes.createNamespace = true;
      doc.targets.kubernetes.database = {
        mode: "existing",
        host: "medplum-db-rw.databases.svc",
        credentials: { secretName: "medplum-db-app" },
        tls: true,
        allowedPeers: [{ namespace: "databases", podLabels: { "cnpg.io/cluster": "medplum-db" } }],
      };
      doc.targets.kubernetes.redis = {
        mode: "existing",
        host: "redis.example.internal",
        port: 6380,
        tls: true,
        password: { secretName: "medplum-redis" },
        allowedPeers: [{ cidr: "10.30.0.0/24" }],
      };
    }),
  );

  test("creates no Postgres, Redis or restore Job, and the servers wait for nothing", () => {
    expect(existing.resource.kubernetes_stateful_set_v1).toBeUndefined();
    expect(existing.resource.kubernetes_job_v1).toBeUndefined();
    expect(only(existing, "kubernetes_deployment_v1").depends_on).toBeUndefined();
    // Nothing holds recovered data in the namespace, so nothing stops a drill's teardown.
    expect(only(existing, "kubernetes_namespace_v1").lifecycle.prevent_destroy).toBe(false);
  });

  test("points Medplum at the existing services with TLS, and the NetworkPolicy at their peers", () => {
    expect(only(existing, "kubernetes_config_map_v1").data).toMatchObject({
      MEDPLUM_DATABASE_HOST: "medplum-db-rw.databases.svc",
      MEDPLUM_DATABASE_PORT: "5432",
      MEDPLUM_DATABASE_SSL: '{"require":true,"rejectUnauthorized":true}',
      MEDPLUM_REDIS_HOST: "redis.example.internal",
      MEDPLUM_REDIS_PORT: "6380",
      MEDPLUM_REDIS_TLS: "{}",
    });
    const egress = byName(existing, "kubernetes_network_policy_v1")["medplum-server"].spec.egress;
    expect(egress[0]).toEqual({
      to: [
        {
          namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "databases" } },
          pod_selector: { match_labels: { "cnpg.io/cluster": "medplum-db" } },
        },
      ],
      ports: [{ port: "5432", protocol: "TCP" }],
    });
    expect(egress[1]).toEqual({ to: [{ ip_block: { cidr: "10.30.0.0/24" } }], ports: [{ port: "6380", protocol: "TCP" }] });
    expect(existing.output!.restore_mode.value).toBe("existing");
  });
});

describe("recovery-k8s: traffic", () => {
  test("with external-dns, annotates the Ingress for the api host with the configured TTL", () => {
    const ingress = only(synthesized, "kubernetes_ingress_v1");
    expect(ingress.metadata.annotations).toMatchObject({
      "external-dns.alpha.kubernetes.io/hostname": "api.medplum.example.com",
      "external-dns.alpha.kubernetes.io/ttl": "60",
    });
    expect(synthesized.output!.traffic_routing.value).toMatch(/^external-dns points api\.medplum\.example\.com at the Ingress/);
  });

  test("states the external-dns owner id the switch depends on: on the Ingress and in the traffic_routing output", () => {
    // external-dns reads no per-object owner (it is the controller's --txt-owner-id), so the stack can only say which it expects.
    const ingress = only(synthesized, "kubernetes_ingress_v1");
    expect(ingress.metadata.annotations["medplum-dr/external-dns-owner-id"]).toBe("medplum-dr");
    expect(synthesized.output!.traffic_routing.value).toContain('its registry TXT must name owner id "medplum-dr"');
    const defaulted = synthKubernetesStack(kubernetesConfig((doc) => delete doc.targets.kubernetes.traffic.txtOwnerId));
    expect(only(defaulted, "kubernetes_ingress_v1").metadata.annotations["medplum-dr/external-dns-owner-id"]).toBe("default");
  });

  test("without external-dns, leaves DNS alone and outputs the Ingress address to point the record at", () => {
    const manual = synthKubernetesStack(kubernetesConfig((doc) => (doc.targets.kubernetes.traffic = { mode: "output-address" })));
    const ingress = only(manual, "kubernetes_ingress_v1");
    expect(Object.keys(ingress.metadata.annotations).filter((key) => key.startsWith("external-dns"))).toEqual([]);
    expect(manual.output!.entry_point.value).toMatch(
      /^\$\{coalesce\(kubernetes_ingress_v1\..*\.status\[0\]\.load_balancer\[0\]\.ingress\[0\]\.hostname, .*\.ip\)\}$/,
    );
    expect(manual.output!.traffic_routing.value).toMatch(/^manual: point api\.medplum\.example\.com at the entry_point output/);
  });

  test("serves TLS from an existing Secret when cert-manager is not used", () => {
    const stack = synthKubernetesStack(
      kubernetesConfig((doc) => (doc.targets.kubernetes.ingress.tls = { mode: "existing-secret", secretName: "medplum-api-tls" })),
    );
    expect(only(stack, "kubernetes_ingress_v1").spec.tls).toEqual([{ hosts: ["api.medplum.example.com"], secret_name: "medplum-api-tls" }]);
  });

  test("says honestly that no alerting is configured", () => {
    expect(synthesized.output!.alert_destination.value).toMatch(/^none: /);
  });
});

describe("recovery-k8s: determinism", () => {
  test("gives byte-identical output for the same config", () => {
    expect(JSON.stringify(synthKubernetesStack(kubernetesConfig(), { fresh: true }))).toBe(
      JSON.stringify(synthKubernetesStack(kubernetesConfig(), { fresh: true })),
    );
  });
});
