/**
 * A drill is the recovery config with what a drill must differ in (config/drill.ts). These tests read the derived
 * config and the stacks synthesized from it, as Terraform would get them.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deepMerge, deriveDrillConfig, DRILL_SUPPRESSIONS } from "../../config/drill";
import { defaultLocalStatePath } from "../../providers/backend";
import { buildRecoveryApp } from "../../stacks/app";
import { hostMention, synthesize } from "../../synth/synthesize";
import { configProblem, exampleConfig, exampleDocument, type ConfigOverrides } from "../support/config";
import { writtenStackJson } from "../support/policy";

const derive = (overrides: ConfigOverrides = {}, options: { expiresOn?: string } = { expiresOn: "2026-12-04" }) =>
  deriveDrillConfig(exampleDocument(overrides), "config/example.yaml", options);
const problemOf = configProblem;

describe("the example's drill", () => {
  const production = exampleConfig();
  const { config, productionHosts } = derive();

  it("has its own environment, so every resource name differs from a recovery's", () => {
    expect(config.environment).toBe("medplum-dr-drill");
    expect(config.purpose).toBe("drill");
    expect(config.drill).toEqual({ suffix: "drill", expiresOn: "2026-12-04", overrides: {} });
  });

  it("keeps its Terraform state apart from the recovery's, for every target", () => {
    for (const [target, settings] of Object.entries(config.targets)) {
      const backend = settings!.backend as { type: string; path?: string };
      const recovery = production.targets[target as keyof typeof production.targets]!.backend as { type: string; path?: string };
      expect(backend.type).toBe("local");
      expect(backend.path).toMatch(/\.drill\.tfstate$/);
      expect(backend.path).not.toBe(recovery.path ?? defaultLocalStatePath(`recovery-${target === "kubernetes" ? "k8s" : target}`));
    }
  });

  it("moves a remote state to a key or prefix of its own", () => {
    const s3 = derive({ targets: { aws: { backend: { type: "s3", bucket: "acme-dr-state", key: "medplum/recovery-aws.tfstate", region: "us-west-2" } } } });
    expect(s3.config.targets.aws!.backend).toMatchObject({ type: "s3", key: "drill/medplum/recovery-aws.tfstate" });
    const gcs = derive({ targets: { gcp: { backend: { type: "gcs", bucket: "acme-dr-state", prefix: "medplum/recovery-gcp" } } } });
    expect(gcs.config.targets.gcp!.backend).toMatchObject({ type: "gcs", prefix: "medplum/recovery-gcp-drill" });
  });

  it("turns every deletion guard off, so the drill can be torn down", () => {
    expect(config.targets.aws!.database.deletionProtection).toBe(false);
    expect(config.targets.gcp!.database.deletionProtection).toBe(false);
    expect(config.targets.gcp!.cluster.deletionProtection).toBe(false);
    expect(config.targets.azure!.database.deletionProtection).toBe(false);
    expect(config.targets.kubernetes!.database).toMatchObject({ mode: "restore-from-dump", deletionProtection: false });
    expect(production.targets.aws!.database.deletionProtection).toBe(true);
  });

  it("suppresses only the findings a drill raises on purpose, with the reason", () => {
    expect(config.policy.suppressions).toEqual([...production.policy.suppressions, ...DRILL_SUPPRESSIONS]);
  });

  it("names no production host in any synthesized stack, and tags every resource as a drill with its expiry", () => {
    const { stacks } = buildRecoveryApp(config, "unused");
    expect(stacks.map((stack) => stack.node.id)).toEqual(["recovery-aws", "recovery-gcp", "recovery-azure", "recovery-k8s"]);
    for (const stack of stacks) expect(hostMention(writtenStackJson(stack), productionHosts), stack.node.id).toBeUndefined();
    // The same scan finds the hosts in a real recovery's stacks, so it is not vacuous.
    const recovery = buildRecoveryApp(production, "unused").stacks;
    for (const stack of recovery) expect(hostMention(writtenStackJson(stack), productionHosts), stack.node.id).toBeDefined();
    const aws = writtenStackJson(stacks[0]!) as { provider: { aws: Array<{ default_tags: Array<{ tags: Record<string, string> }> }> } };
    expect(aws.provider.aws[0]!.default_tags[0]!.tags).toMatchObject({
      environment: "medplum-dr-drill",
      purpose: "disaster-recovery-drill",
      "drill-expires": "2026-12-04",
    });
  });
});

describe("a drill that could touch production is refused", () => {
  it("when a production host is left in it", () => {
    const message = problemOf(() => derive({ drill: { overrides: { medplum: { hostnames: { api: "api.medplum.example.com" } } } } }));
    expect(message).toMatch(
      /drill\.overrides\.medplum\.hostnames\.api: is still the production host api\.medplum\.example\.com; a drill must not touch production DNS/,
    );
  });

  it("when the overrides give it the recovery's own state", () => {
    const backend = { type: "local" };
    const message = problemOf(() => derive({ targets: { aws: { backend } }, drill: { overrides: { targets: { aws: { backend } } } } }));
    expect(message).toMatch(/drill\.overrides\.targets\.aws\.backend: is the recovery's own backend; a drill keeps its own state/);
  });

  it("when the config has no drill section, or the drill no expiry", () => {
    expect(problemOf(() => derive({ drill: null }))).toMatch(/drill: is not set; add a drill section/);
    expect(problemOf(() => derive({}, {}))).toMatch(/drill\.expiresOn: is not set/);
  });

  it("when the suffix makes the environment name too long for the clouds", () => {
    // Without gcp: its warm standby's VPC names derive from the environment, so another environment is a second problem.
    expect(problemOf(() => derive({ environment: "medplum-dr-prod", drill: { suffix: "drill" }, targets: { gcp: null } }))).toMatch(
      /drill\.suffix: "drill" makes the drill's environment medplum-dr-prod-drill \(21 characters\)/,
    );
  });

  it("when the synthesized stacks still name a production host (the last check before anything is written)", () => {
    const root = mkdtempSync(join(tmpdir(), "medplum-dr-drill-"));
    try {
      const outdir = join(root, "cdktf.out.drill");
      const { config } = derive();
      const outcome = synthesize({ config, outdir, fromCli: false, forbiddenHosts: ["api.drill.medplum.example.com"] });
      expect(outcome).toMatchObject({
        status: "refused",
        reason: expect.stringMatching(/^recovery-aws: the drill names the production host api\.drill\.medplum\.example\.com at /),
      });
      expect(readdirSync(root)).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("hostMention", () => {
  it("finds a host as a whole name only", () => {
    expect(hostMention({ a: { b: "https://api.example.com/x" } }, ["api.example.com"])).toBe("api.example.com at a.b");
    expect(hostMention({ a: "api.example.com." }, ["api.example.com"])).toBe("api.example.com at a");
    expect(hostMention({ a: "drill.api.example.com", b: "xapi.example.com", c: "api.example.community" }, ["api.example.com"])).toBeUndefined();
  });

  it("skips construct metadata", () => {
    expect(hostMention({ "//": { note: "api.example.com" } }, ["api.example.com"])).toBeUndefined();
  });
});

describe("deepMerge", () => {
  it("merges objects, replaces lists, removes on null, and replaces an object whose variant changes", () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, d: null })).toEqual({ a: { b: 1, c: [3] } });
    expect(deepMerge({ backend: { type: "local", path: "x" } }, { backend: { type: "s3", bucket: "b" } })).toEqual({ backend: { type: "s3", bucket: "b" } });
  });
});

describe("a drill of a replica promotion", () => {
  it("is refused while it would promote production's replica, and accepted once it restores something of its own", () => {
    // The example's drill restores a backup; without that override it would import and promote standby-gcp's replica.
    const withoutOwnRestore = { drill: { overrides: { targets: { gcp: { database: null } } } } };
    expect(problemOf(() => derive(withoutOwnRestore))).toMatch(
      /drill\.overrides\.targets\.gcp\.database\.restore: \(not set\) leaves the drill promoting production's replica medplum-prod-replica-usw1, which would detach it from the primary for good/,
    );
    expect(derive().config.targets.gcp!.database.restore.mode).toBe("backup");
  });
});
