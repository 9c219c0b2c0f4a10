/**
 * standby-k8s: the Kubernetes standby (modules/kubernetes/standby/bundle.ts) built from a config's
 * targets.kubernetes.standby section, read from the JSON it synthesizes and through the synth the CLI runs.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dumpSchedule } from "../../modules/kubernetes/standby/bundle";
import { buildStandbyReport, renderStandbyReport } from "../../report/standby-report";
import { buildRecoveryApp } from "../../stacks/app";
import { synthesize } from "../../synth/synthesize";
import { configProblem, exampleDocument, type ConfigOverrides, validatedConfig } from "../support/config";

const STANDBY = {
  tier: "backup-restore",
  kubeconfig: { path: "~/.kube/config", context: "primary" },
  namespace: "medplum",
  database: { host: "postgres.medplum.svc", user: "medplum", passwordSecret: { secretName: "medplum-postgres-app" } },
  dumpEveryMinutes: 30,
  destination: { kind: "s3", bucket: "acme-medplum-backups", prefix: "medplum/", region: "us-west-2", credentialsSecret: "medplum-backup-writer" },
  webhookSecret: { secretName: "medplum-backup-webhook" },
};
/**
 * The example's kubernetes target with STANDBY as its whole standby section (the example's own is taken out, so a
 * field left out here stays out), and a 15-minute RPO objective the dump interval below exceeds.
 */
const config = (standby: ConfigOverrides = {}) => {
  const document = exampleDocument({ objectives: { rpoMinutes: 15 }, targets: { aws: null, gcp: null, azure: null, kubernetes: { standby: null } } }) as {
    targets: { kubernetes: Record<string, unknown> };
  };
  document.targets.kubernetes.standby = { ...STANDBY, ...standby };
  return validatedConfig(document, "config/example.yaml (kubernetes) with test overrides");
};

describe("standby-k8s from targets.kubernetes.standby", () => {
  const outdir = mkdtempSync(join(tmpdir(), "medplum-dr-standby-k8s-"));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const built = config();
  const { app, stacks } = buildRecoveryApp(built, outdir);
  app.synth();
  const json = JSON.parse(readFileSync(join(outdir, "stacks", "standby-k8s", "cdk.tf.json"), "utf8"));

  it("is built beside the recovery, against the primary cluster, with its own state", () => {
    expect(stacks.map((stack) => stack.node.id)).toEqual(["recovery-k8s", "standby-k8s"]);
    expect(json.provider.kubernetes[0]).toEqual({ config_context: "primary", config_path: "~/.kube/config" });
    expect(json.terraform.backend.local.path).toBe("../../../state/standby-k8s.tfstate");
  });

  it("dumps on the RPO's schedule and verifies daily, as CronJobs in the primary's namespace", () => {
    const jobs = Object.values(json.resource.kubernetes_cron_job_v1 as Record<string, any>);
    expect(jobs.map((job) => [job.metadata.namespace, job.spec.schedule]).sort()).toEqual([
      ["medplum", "*/30 * * * *"],
      ["medplum", "30 3 * * *"],
    ]);
    expect(JSON.stringify(json)).not.toMatch(/AWS_SECRET_ACCESS_KEY"\s*:\s*"[^$]/);
  });

  it("synthesizes with no policy or apply-time error, and its standby plan gives the dump interval as the RPO", () => {
    const root = mkdtempSync(join(tmpdir(), "medplum-dr-standby-k8s-synth-"));
    try {
      const outcome = synthesize({ config: built, outdir: join(root, "cdktf.out"), fromCli: false });
      expect(outcome.status, outcome.status === "refused" ? `${outcome.reason}\n${outcome.policy ?? ""}` : "").toBe("written");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    const report = buildStandbyReport({ name: "standby-k8s", json }, built);
    expect(report).toMatchObject({ target: "kubernetes", tier: "backup-restore", rpoMinutes: 30 });
    expect(renderStandbyReport(report)).toMatch(/\| Database RPO \| up to 30 min plus the copy's time \| 15 min \(\*\*exceeds\*\*\) \|/);
  });

  it("turns an interval into a cron schedule that repeats evenly", () => {
    expect([15, 60, 180, 1440].map(dumpSchedule)).toEqual(["*/15 * * * *", "0 */1 * * *", "0 */3 * * *", "0 0 * * *"]);
  });
});

describe("a Kubernetes standby section is refused", () => {
  it("with an interval a cron schedule cannot repeat evenly", () => {
    expect(configProblem(() => config({ dumpEveryMinutes: 45 }))).toMatch(
      /targets\.kubernetes\.standby\.dumpEveryMinutes: 45 is not an interval a cron schedule repeats evenly/,
    );
  });

  it("with a tier not built for Kubernetes", () => {
    expect(configProblem(() => config({ tier: "warm-standby" }))).toMatch(/targets\.kubernetes\.standby\.tier: "warm-standby" is not one of "backup-restore"/);
  });

  it("without the primary cluster's context (the recovery's kubeconfig is another cluster)", () => {
    expect(configProblem(() => config({ kubeconfig: { path: "~/.kube/config" } }))).toMatch(/targets\.kubernetes\.standby\.kubeconfig\.context/);
  });
});
