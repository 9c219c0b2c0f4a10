/**
 * The standby plan (report/standby-report.ts), read off the standby-aws stack synthesized from the example's standby
 * section, and `npm run report` over an output that holds it beside the recovery.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { writeFileSync } from "node:fs";
import { EXIT, main } from "../../report/cli";
import { buildStandbyReport, renderStandbyReport, standbyTargetOf } from "../../report/standby-report";
import { buildRecoveryApp } from "../../stacks/app";
import { standbyConfig, standbyDocument } from "../standby/helpers";

describe("the standby plan of the example's standby-aws", () => {
  const config = standbyConfig();
  const outdir = mkdtempSync(join(tmpdir(), "medplum-dr-standby-report-"));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const { app } = buildRecoveryApp(config, outdir);
  app.synth();
  const json = JSON.parse(readFileSync(join(outdir, "stacks", "standby-aws", "cdk.tf.json"), "utf8"));
  const report = buildStandbyReport({ name: "standby-aws", json }, config);

  it("knows which target a standby stack prepares, and that a recovery stack is none", () => {
    expect(standbyTargetOf("standby-aws")).toBe("aws");
    expect(standbyTargetOf("recovery-aws")).toBeUndefined();
  });

  it("gives the tier and the database RPO it buys from the stack's own outputs, against the objective", () => {
    expect(report.tier).toBe("backup-restore");
    expect(report.rpoMinutes).toBe(60);
    // The example's objective (120 min) is above the hourly copies: within.
    expect(renderStandbyReport(report)).toMatch(
      new RegExp(`\\| Database RPO \\| up to 60 min plus the copy's time \\| ${config.objectives.rpoMinutes} min \\(within\\) \\|`),
    );
  });

  it("lists what each step prepares, every resource of the stack in exactly one step", () => {
    const listed = report.steps.flatMap((step) => step.resources);
    const all = Object.entries(json.resource as Record<string, Record<string, unknown>>).flatMap(([type, byName]) =>
      Object.keys(byName).map((name) => `${type}.${name}`),
    );
    expect([...listed].sort()).toEqual([...all].sort());
    expect(report.steps.find((step) => step.step === "recoveryPoints")!.resources.some((address) => address.startsWith("aws_backup_plan."))).toBe(true);
  });
});

describe("the database RPO of a standby plan, on hand-written outputs", () => {
  // A 15-minute objective, which a replica meets and an hourly or daily copy does not.
  const config = standbyConfig({}, { objectives: { rpoMinutes: 15 } });
  const outputs = (values: Record<string, string>) => ({ output: Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { value }])) });
  const plan = (name: string, values: Record<string, string>) => buildStandbyReport({ name, json: outputs(values) }, config);

  it("is the live replica's lag in warm-standby, not the backup interval, and meets a 15-minute objective", () => {
    expect(config.objectives.rpoMinutes).toBe(15);
    const warm = { standby_tier: "warm-standby", recovery_point_interval_minutes: "60", continuous_backup: "none" };
    const aws = plan("standby-aws", { ...warm, database_replica: "${aws_rds_cluster.standing_replica_cluster_0A1B2C3D.arn}" });
    expect(aws).toMatchObject({ tier: "warm-standby", rpoMinutes: 1, rpo: { kind: "replication-lag" } });
    expect(renderStandbyReport(aws)).toMatch(/\| Database RPO \| up to 1 min \(the live replica's replication lag\) \| 15 min \(within\) \|/);
    expect(renderStandbyReport(aws)).toMatch(/^Database RPO basis: replication lag of the live replica \(id known after apply\): AWS docs/m);
    const gcp = plan("standby-gcp", { ...warm, recovery_point_interval_minutes: "1440", database_replica: "acme:medplum-prod-replica-usw1" });
    expect(gcp.rpoMinutes).toBe(1);
    const azure = plan("standby-azure", { ...warm, database_replica: "${azurerm_postgresql_flexible_server.standing_replica_0A1B2C3D.id}" });
    expect(renderStandbyReport(azure)).toMatch(/\| Database RPO \| up to 5 min \(the live replica's replication lag\) \| 15 min \(within\) \|/);
  });

  it("is the backup interval where the stack keeps no replica, and exceeds the objective", () => {
    const gcp = plan("standby-gcp", {
      standby_tier: "pilot-light",
      recovery_point_interval_minutes: "1440",
      continuous_backup: "none",
      database_replica: "none",
    });
    expect(gcp).toMatchObject({ rpoMinutes: 1440, rpo: { kind: "schedule" } });
    expect(renderStandbyReport(gcp)).toMatch(/\| Database RPO \| up to 24\.0 h plus the copy's time \| 15 min \(\*\*exceeds\*\*\) \|/);
  });

  it("is unknown, not a guess, when the outputs carry no schedule", () => {
    const bare = plan("standby-aws", { standby_tier: "backup-restore" });
    expect(bare.rpoMinutes).toBeUndefined();
    expect(renderStandbyReport(bare)).toMatch(/\| Database RPO \| unknown \| 15 min \|/);
  });
});

describe("npm run report over a synth with standby-aws", () => {
  it("writes the standby plan beside the recovery plan instead of refusing the stack", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "medplum-dr-standby-cli-"));
    const logs: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void logs.push(line));
    vi.spyOn(console, "error").mockImplementation((line: string) => void logs.push(line));
    try {
      const configPath = join(scratch, "config.yaml");
      writeFileSync(configPath, stringify(standbyDocument()));
      vi.stubEnv("RECOVERY_CONFIG", configPath);
      const { app } = buildRecoveryApp(standbyConfig(), join(scratch, "out"));
      app.synth();
      expect(await main(["--outdir", join(scratch, "out"), "--terraform-plan", "off"])).toBe(EXIT.ok);
      const standby = readFileSync(join(scratch, "out", "standby-plan-standby-aws.md"), "utf8");
      expect(standby).toMatch(/^# Standby plan: standby-aws/);
      expect(standby).toMatch(/\| Recovery RTO in this tier \| .* \(`recovery-plan-recovery-aws\.md`\) \| 60 min \|/);
      expect(logs.join("\n")).toMatch(
        new RegExp(`^standby-aws: tier backup-restore, database RPO up to 60 min \\(objective ${standbyConfig().objectives.rpoMinutes} min\\)`, "m"),
      );
      // The tiers side by side, in both plans, with the tier standby-aws prepares (its standby_tier output) marked.
      expect(standby).toMatch(/^## DR tiers for this target$/m);
      const recovery = readFileSync(join(scratch, "out", "recovery-plan-recovery-aws.md"), "utf8");
      for (const plan of [standby, recovery]) {
        expect(plan).toContain("Chosen: **backup-restore** (the standby-aws stack's outputs)");
        expect(plan).toMatch(/^\| \*\*backup-restore\*\* \(chosen\) \| [\d.]+ min \([^)]*\) \| up to 60 min \| \$\d+\.\d\d \| \$\d+\.\d\d \|$/m);
        expect(plan).toMatch(/^\| warm-standby \| .* \| up to 1 min \| /m);
      }
      const json = JSON.parse(readFileSync(join(scratch, "out", "recovery-plan-recovery-aws.json"), "utf8")) as {
        tiers: { chosen: string; rows: Array<{ tier: string; chosen: boolean }> };
      };
      expect(json.tiers.chosen).toBe("backup-restore");
    } finally {
      vi.restoreAllMocks();
      vi.unstubAllEnvs();
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
