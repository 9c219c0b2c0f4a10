/**
 * The report learns from drills: where the newest drill record of a stack measured a resource, its creation time
 * replaces the estimate, the report shows modeled and measured side by side, and the gate judges the measured figure.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildDrillRecord, writeDrillRecord } from "../../operations/drill-record";
import type { ApplyTiming } from "../../operations/terraform-events";
import { EXIT, main } from "../../report/cli";
import { buildStackReport } from "../../report/stack-report";
import { exampleConfig, exampleConfigText, FIXTURE_OUTDIR, FIXTURE_STACK, fixtureStackJson } from "./helpers";

const stack = { name: FIXTURE_STACK, json: fixtureStackJson() };
const cluster = Object.keys(fixtureStackJson().resource.aws_rds_cluster ?? {}).map((name) => `aws_rds_cluster.${name}`)[0]!;

describe("drill-calibrated RTO", () => {
  const modeled = buildStackReport({ stack, config: exampleConfig() });

  it("uses the drill's measured time where it measured a resource, and keeps the estimates beside it", () => {
    const slower = modeled.rto.path.find((step) => step.id === cluster)!.minutes + 30;
    const report = buildStackReport({
      stack,
      config: exampleConfig(),
      drill: { file: "drills/recovery-aws/20261130T080000Z.json", drillDate: "2026-11-30T08:00:00.000Z", byAddress: new Map([[cluster, slower]]) },
    });
    expect(report.rto.minutes.typical).toBeCloseTo(modeled.rto.minutes.typical + 30, 5);
    expect(report.rto.estimatedMinutes).toEqual(modeled.rto.minutes);
    expect(report.rto.measured).toEqual({ file: "drills/recovery-aws/20261130T080000Z.json", drillDate: "2026-11-30T08:00:00.000Z", resources: 1 });
    const step = report.rto.path.find((candidate) => candidate.id === cluster)!;
    expect(step.minutes).toBe(slower);
    expect(step.basis).toMatch(/^measured in the drill of 2026-11-30 \(estimate /);
    // A measured time is not a range: it is the same in the low and high scenarios.
    expect(report.rto.minutes.high - report.rto.estimatedMinutes.high).toBeLessThanOrEqual(30);
  });

  it("without a drill, is the estimates alone", () => {
    expect(modeled.rto.estimatedMinutes).toEqual(modeled.rto.minutes);
    expect(modeled.rto.measured).toBeUndefined();
  });
});

describe("npm run report with a drill record", () => {
  let scratch: string;
  const logs: string[] = [];
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), "report-drill-"));
    cpSync(FIXTURE_OUTDIR, join(scratch, "out"), { recursive: true });
    logs.length = 0;
    vi.spyOn(console, "log").mockImplementation((line: string) => void logs.push(line));
    vi.spyOn(console, "error").mockImplementation((line: string) => void logs.push(line));
    writeFileSync(join(scratch, "config.yaml"), exampleConfigText({ rtoMinutes: 40 }));
    vi.stubEnv("RECOVERY_CONFIG", join(scratch, "config.yaml"));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    rmSync(scratch, { recursive: true, force: true });
  });

  const record = (clusterSeconds: number) => {
    const timing: ApplyTiming = {
      outcome: "complete",
      startedAt: "2026-11-30T08:00:00.000Z",
      finishedAt: "2026-11-30T09:00:00.000Z",
      durationSeconds: 3600,
      changes: { add: 1, change: 0, remove: 0 },
      errors: [],
      resources: [
        {
          address: cluster,
          resourceAddress: cluster,
          resourceType: "aws_rds_cluster",
          action: "create",
          startedAt: "2026-11-30T08:00:00.000Z",
          finishedAt: "2026-11-30T08:50:00.000Z",
          seconds: clusterSeconds,
          status: "complete",
        },
      ],
    } as unknown as ApplyTiming;
    return buildDrillRecord({
      stack: FIXTURE_STACK,
      startedAt: new Date("2026-11-30T08:00:00Z"),
      finishedAt: new Date("2026-11-30T09:00:00Z"),
      timing,
      verify: null,
      objectives: { rtoMinutes: 40, rpoMinutes: 15 },
    });
  };

  it("shows measured beside modeled, and the gate judges the measured figure", async () => {
    const args = ["--outdir", join(scratch, "out"), "--terraform-plan", "off", "--drills", join(scratch, "drills"), "--gate", "--allow-unknown-rpo"];
    expect(await main(args)).toBe(EXIT.ok);
    writeDrillRecord(record(3600), join(scratch, "drills"));
    expect(await main(args)).toBe(EXIT.gateFailed);
    const markdown = readFileSync(join(scratch, "out", `recovery-plan-${FIXTURE_STACK}.md`), "utf8");
    expect(markdown).toMatch(
      /\*\*Measured\*\* in the drill of 2026-11-30 \(`.*20261130T080000Z\.json`\): 1 resources take the creation time the drill measured; from estimates alone/,
    );
    const json = JSON.parse(readFileSync(join(scratch, "out", `recovery-plan-${FIXTURE_STACK}.json`), "utf8"));
    expect(json.rto.measuredBy).toMatchObject({ resources: 1 });
    expect(json.rto.modeledMinutes.typical).toBeGreaterThan(json.rto.estimatedMinutes.typical);
  });

  it("refuses a damaged drill record with one line and exit 2", async () => {
    const path = writeDrillRecord(record(60), join(scratch, "drills"));
    writeFileSync(path, "{");
    expect(await main(["--outdir", join(scratch, "out"), "--terraform-plan", "off", "--drills", join(scratch, "drills")])).toBe(EXIT.badInput);
    expect(logs.join("\n")).toMatch(/^report: .*20261130T080000Z\.json: /m);
  });
});
