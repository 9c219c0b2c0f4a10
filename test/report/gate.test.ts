import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main, EXIT } from "../../report/cli";
import { gateStack } from "../../report/gate";
import { impliedRpo } from "../../report/rpo";
import { buildStackReport } from "../../report/stack-report";
import { exampleConfig, exampleConfigText, FIXTURE_OUTDIR, FIXTURE_STACK, fixtureStackJson, fixtureStackTakenAt, writeFixtureTakenAt } from "./helpers";
import { runCommand } from "../support/cli";

const NOW = new Date("2026-11-23T12:00:00Z");
const minutesBefore = (minutes: number, from = new Date()) => new Date(from.getTime() - minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");

describe("gateStack", () => {
  /** The fixture stack, its restore_source_taken_at output set where `takenAt` is given. */
  const report = ({ takenAt, ...objectives }: Parameters<typeof exampleConfig>[0] & { takenAt?: string }) =>
    buildStackReport({
      stack: { name: FIXTURE_STACK, json: takenAt === undefined ? fixtureStackJson() : fixtureStackTakenAt(takenAt) },
      config: exampleConfig(objectives),
      now: NOW,
    });

  it("fails an RTO objective shorter than the modeled critical path, naming the path", () => {
    const verdict = gateStack(report({ rtoMinutes: 30, takenAt: minutesBefore(5, NOW) }));
    expect(verdict.passed).toBe(false);
    expect(verdict.lines[0]).toMatch(
      /^FAIL RTO: modeled 36\.5 min \(typical estimates\) exceeds objectives\.rtoMinutes 30; critical path: aws_vpc\.network_vpc -> .* -> aws_rds_cluster\.database_cluster -> /,
    );
  });

  it("judges the RTO with high estimates when pessimistic", () => {
    const config = { rtoMinutes: 45, takenAt: minutesBefore(5, NOW) };
    expect(gateStack(report(config)).passed).toBe(true);
    expect(gateStack(report(config), { pessimistic: true }).lines[0]).toMatch(/^FAIL RTO: modeled 5\d(\.\d)? min \(high estimates\)/);
  });

  it("fails an unknown snapshot RPO unless it is explicitly allowed", () => {
    const unknown = report({});
    expect(gateStack(unknown)).toMatchObject({ passed: false });
    expect(gateStack(unknown).lines[1]).toMatch(/^FAIL RPO: unknown for restore mode "snapshot" \(depends on the snapshot's age.*or pass --allow-unknown-rpo$/);
    expect(gateStack(unknown, { allowUnknownRpo: true })).toMatchObject({ passed: true });
  });

  it("measures a snapshot's age from the stack's restore_source_taken_at against the objective", () => {
    expect(gateStack(report({ rpoMinutes: 15, takenAt: minutesBefore(10, NOW) }))).toMatchObject({ passed: true });
    const stale = gateStack(report({ rpoMinutes: 15, takenAt: minutesBefore(26 * 60, NOW) }));
    expect(stale.passed).toBe(false);
    expect(stale.lines[1]).toMatch(/^FAIL RPO: restore mode "snapshot" loses up to 26\.0 h, more than objectives\.rpoMinutes 15/);
  });
});

describe("impliedRpo", () => {
  it.each([
    { mode: "point-in-time", cloud: "aws" as const, minutes: 5 },
    { mode: "geo-restore", cloud: "azure" as const, minutes: 60 },
    { mode: "replica-promotion", cloud: "azure" as const, minutes: 5 },
    { mode: "replica-promotion", cloud: "gcp" as const, minutes: 1 },
    { mode: "snapshot", cloud: "aws" as const, minutes: undefined },
    { mode: "backup", cloud: "gcp" as const, minutes: undefined },
    { mode: "logical-dump", cloud: "kubernetes" as const, minutes: undefined },
    { mode: "carrier-pigeon", cloud: "aws" as const, minutes: undefined },
  ])("$mode on $cloud loses $minutes min", ({ mode, cloud, minutes }) => {
    expect(impliedRpo({ mode }, cloud, NOW).minutes).toBe(minutes);
  });

  it("takes a logical dump's loss from its interval, and from its age when the config gives both", () => {
    expect(impliedRpo({ mode: "logical-dump", point: "as of the dump", dumpIntervalMinutes: 60 }, "kubernetes", NOW).minutes).toBe(60);
    expect(impliedRpo({ mode: "logical-dump", dumpIntervalMinutes: 60, sourceTakenAt: minutesBefore(20, NOW) }, "kubernetes", NOW).minutes).toBe(20);
  });

  it("measures a recovery point's age from the stack's restore_point when it is a time", () => {
    expect(impliedRpo({ mode: "backup", point: minutesBefore(90, NOW) }, "gcp", NOW).minutes).toBe(90);
    expect(impliedRpo({ mode: "snapshot", point: "as of snapshot medplum-copy" }, "aws", NOW).minutes).toBeUndefined();
  });

  it("keeps a continuous mode's lag when a time is chosen, and says what the chosen time discards", () => {
    const chosen = impliedRpo({ mode: "point-in-time", point: "2026-11-23T08:00:00Z" }, "aws", NOW);
    expect(chosen.minutes).toBe(5);
    expect(chosen.basis).toContain("the chosen time 2026-11-23T08:00:00Z deliberately discards");
    expect(impliedRpo({ mode: "point-in-time", point: "latest" }, "aws", NOW).basis).not.toContain("chosen time");
  });

  it("knows no alias: a mode no bundle emits is unknown", () => {
    expect(impliedRpo({ mode: "pitr" }, "aws", NOW).minutes).toBeUndefined();
    expect(impliedRpo({ mode: "carrier-pigeon" }, "aws", NOW).basis).toBe(
      'restore mode "carrier-pigeon" is not a RestoreMode (modules/contracts.ts), so its data loss is unknown',
    );
  });
});

describe("npm run report (report/cli.ts)", () => {
  let outdir: string;
  let scratch: string;
  const logs: string[] = [];
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), "report-cli-test-"));
    outdir = join(scratch, "synth-out");
    cpSync(FIXTURE_OUTDIR, outdir, { recursive: true });
    logs.length = 0;
    vi.spyOn(console, "log").mockImplementation((line: string) => void logs.push(line));
    vi.spyOn(console, "error").mockImplementation((line: string) => void logs.push(line));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    rmSync(scratch, { recursive: true, force: true });
  });
  const withConfig = (text: string) => {
    const path = join(scratch, "config.yaml");
    writeFileSync(path, text);
    vi.stubEnv("RECOVERY_CONFIG", path);
  };

  it("writes cdktf.out/recovery-plan-<stack>.md and succeeds without --gate even when objectives are missed", async () => {
    withConfig(exampleConfigText({ rtoMinutes: 10 }));
    expect(await main(["--outdir", outdir, "--terraform-plan", "off"])).toBe(EXIT.ok);
    expect(readFileSync(join(outdir, "recovery-plan-recovery-aws.md"), "utf8")).toContain("**Gate: FAILED**");
  });

  it("gate: passes when the modeled RTO and the snapshot's age meet the objectives", async () => {
    withConfig(exampleConfigText({ rtoMinutes: 60, rpoMinutes: 30 }));
    writeFixtureTakenAt(outdir, minutesBefore(5));
    expect(await main(["--outdir", outdir, "--terraform-plan", "off", "--gate"])).toBe(EXIT.ok);
    expect(logs).toContain("recovery gate passed");
  });

  it("gate: exits non-zero from a real process with a message naming each missed objective", async () => {
    withConfig(exampleConfigText({ rtoMinutes: 20, rpoMinutes: 15 }));
    const run = await runCommand("report", ["--outdir", outdir, "--terraform-plan", "off", "--gate"], {
      env: { RECOVERY_CONFIG: join(scratch, "config.yaml") },
    });
    expect(run.status).toBe(EXIT.gateFailed);
    expect(run.stderr).toContain("recovery gate FAILED for recovery-aws");
    expect(run.stderr).toMatch(/recovery-aws: FAIL RTO: modeled 36\.5 min \(typical estimates\) exceeds objectives\.rtoMinutes 20/);
    expect(run.stderr).toMatch(/recovery-aws: FAIL RPO: unknown for restore mode "snapshot"/);
  });

  it("gate: --allow-unknown-rpo lets an unknown snapshot age through, and only that", async () => {
    withConfig(exampleConfigText({ rtoMinutes: 60 }));
    expect(await main(["--outdir", outdir, "--terraform-plan", "off", "--gate", "--allow-unknown-rpo"])).toBe(EXIT.ok);
    withConfig(exampleConfigText({ rtoMinutes: 20 }));
    expect(await main(["--outdir", outdir, "--terraform-plan", "off", "--gate", "--allow-unknown-rpo"])).toBe(EXIT.gateFailed);
  });

  it.each([
    {
      name: "an unknown --stack",
      args: ["--stack", "recovery-mars"],
      message: /--stack recovery-mars: not in .*manifest\.json; synthesized stacks: recovery-aws/,
    },
    {
      name: "a bad --terraform-plan",
      args: ["--terraform-plan", "sometimes"],
      message: /--terraform-plan: "sometimes" is not one of auto, offline, online, off/,
    },
    { name: "an unknown option", args: ["--gaet"], message: /Unknown option '--gaet'/ },
  ])("rejects $name with exit 2", async ({ args, message }) => {
    withConfig(exampleConfigText());
    expect(await main(["--outdir", outdir, "--terraform-plan", "off", ...args])).toBe(EXIT.badInput);
    expect(logs.join("\n")).toMatch(message);
  });

  it("says to synthesize first when there is no synth output", async () => {
    withConfig(exampleConfigText());
    expect(await main(["--outdir", join(scratch, "nothing"), "--terraform-plan", "off"])).toBe(EXIT.badInput);
    expect(logs.join("\n")).toMatch(/manifest\.json: not found; run `npm run synth` first/);
  });

  it("reports a config error through the loader's message, with exit 2", async () => {
    withConfig(exampleConfigText().replace("rtoMinutes: 60", "rtoMinutes: -1"));
    expect(await main(["--outdir", outdir, "--terraform-plan", "off"])).toBe(EXIT.badInput);
    expect(logs.join("\n")).toMatch(/objectives\.rtoMinutes: -1 must be at least 1/);
  });

  it("reads a plan saved by CI (terraform show -json) from --plan-json-dir and bolds replacements", async () => {
    withConfig(exampleConfigText());
    writeFileSync(
      join(scratch, "recovery-aws.tfplan.json"),
      JSON.stringify({
        resource_changes: [{ address: "aws_rds_cluster.database_cluster", type: "aws_rds_cluster", change: { actions: ["delete", "create"] } }],
      }),
    );
    expect(await main(["--outdir", outdir, "--plan-json-dir", scratch, "--terraform-plan", "off"])).toBe(EXIT.ok);
    const markdown = readFileSync(join(outdir, "recovery-plan-recovery-aws.md"), "utf8");
    expect(markdown).toContain("**REPLACES `aws_rds_cluster.database_cluster`**");
    expect(markdown).toContain("Plan (terraform show -json, ");
  });
});
