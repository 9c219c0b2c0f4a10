import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildDrillRecord,
  DrillRecordError,
  measuredCreationMinutes,
  newestDrillRecord,
  readDrillRecord,
  recordFileName,
  writeDrillRecord,
  type DrillRecord,
} from "../../operations/drill-record";
import type { ApplyTiming } from "../../operations/terraform-events";
import type { VerifyResult } from "../../operations/verify/result";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "medplum-dr-drills-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const resource = (
  address: string,
  action: "create" | "update",
  startedAt: string,
  seconds: number | undefined,
  status: "complete" | "errored" | "running" = "complete",
) => ({
  address,
  resourceAddress: address.replace(/\[[^\]]*\]$/, ""),
  resourceType: address.split(".")[0] as string,
  action,
  startedAt,
  ...(seconds === undefined ? {} : { finishedAt: new Date(Date.parse(startedAt) + seconds * 1000).toISOString(), seconds }),
  status,
});

const timing: ApplyTiming = {
  terraformVersion: "1.11.4",
  startedAt: "2026-11-30T09:00:01.000000Z",
  finishedAt: "2026-11-30T09:25:31.000000Z",
  durationSeconds: 1530,
  outcome: "complete",
  changes: { add: 4, change: 1, remove: 0 },
  resources: [
    resource("aws_rds_cluster.database_cluster_1A2B", "create", "2026-11-30T09:00:05.000Z", 840),
    resource("aws_rds_cluster_instance.database_instance_3C4D[0]", "create", "2026-11-30T09:14:05.000Z", 480),
    resource("aws_rds_cluster_instance.database_instance_3C4D[1]", "create", "2026-11-30T09:14:05.000Z", 540),
    resource("aws_route53_record.traffic_api_5E6F", "update", "2026-11-30T09:25:00.000Z", 30),
    resource("aws_ecs_service.application_service_7A8B", "create", "2026-11-30T09:23:05.000Z", undefined, "running"),
  ],
  errors: [],
};

function verifyResult(passed: boolean): VerifyResult {
  return {
    schemaVersion: 1,
    stack: "recovery-aws",
    baseUrl: "https://api.drill.medplum.example.com/",
    startedAt: "2026-11-30T09:26:00.000Z",
    finishedAt: "2026-11-30T09:27:00.000Z",
    passed,
    server: { version: "5.0.10-3b9c1e2", expectedVersion: "5.0.10" },
    rpo: {
      disasterTime: "2026-11-30T08:00:00.000Z",
      objectiveMinutes: 15,
      measuredMinutes: 7.5,
      newestWrite: { resourceType: "Observation", id: "o1", lastUpdated: "2026-11-30T07:52:30.000Z" },
      byResourceType: [],
    },
    checks: [{ id: "healthcheck", name: "healthcheck", status: passed ? "pass" : "fail", summary: "ok", elapsedMs: 12 }],
  };
}

const record = (verify: VerifyResult | null = verifyResult(true)): DrillRecord =>
  buildDrillRecord({
    stack: "recovery-aws",
    startedAt: new Date("2026-11-30T09:00:00Z"),
    finishedAt: new Date("2026-11-30T09:27:05Z"),
    timing,
    verify,
    objectives: { rtoMinutes: 60, rpoMinutes: 15 },
  });

describe("drill records", () => {
  it("measure the RTO from the drill's start to a passing verify, and carry verify's RPO", () => {
    const built = record();
    expect(built.rto).toEqual({ objectiveMinutes: 60, measuredMinutes: 27 });
    expect(built.rpo).toEqual({ objectiveMinutes: 15, measuredMinutes: 7.5 });
    expect(built.resources[4]).toMatchObject({ status: "running", finishedAt: null, seconds: null });
  });

  it("leave the RTO unmeasured when verify did not pass: the recovery was not proven", () => {
    expect(record(verifyResult(false)).rto.measuredMinutes).toBeNull();
    expect(record(null).rto.measuredMinutes).toBeNull();
  });

  it("are written to drills/<stack>/<timestamp>.json, read back identical, and never overwritten", () => {
    const file = writeDrillRecord(record(), root);
    expect(file).toBe(join(root, "recovery-aws", "20261130T090000Z.json"));
    expect(readDrillRecord(file)).toEqual(record());
    expect(() => writeDrillRecord(record(), root)).toThrow(`${file}: already exists; a drill record is never overwritten`);
  });

  it("refuse a malformed record on read with one line naming the file and the field", () => {
    const file = writeDrillRecord(record(), root);
    const text = JSON.parse(readFileSync(file, "utf8"));
    text.resources[1].seconds = "eight minutes";
    writeFileSync(file, JSON.stringify(text));
    let message = "";
    try {
      readDrillRecord(file);
    } catch (error) {
      expect(error).toBeInstanceOf(DrillRecordError);
      message = (error as Error).message;
    }
    expect(message).toMatch(
      new RegExp(
        `^${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: resources\\[1\\]\\.seconds: Invalid input: expected number, received string; not a valid drill record`,
      ),
    );
    expect(message.split("\n")).toHaveLength(1);
    writeFileSync(file, "{ truncated");
    expect(() => readDrillRecord(file)).toThrow(/: not JSON \(.*\); expected a drill record/);
  });

  it("give the report measured minutes per address and per type from the newest record", () => {
    writeDrillRecord({ ...record(), startedAt: "2026-10-01T09:00:00.000Z", resources: [] }, root);
    writeDrillRecord(record(), root);
    const measured = measuredCreationMinutes("recovery-aws", root);
    expect(measured?.file).toBe(join(root, "recovery-aws", "20261130T090000Z.json"));
    expect(measured?.drillDate).toBe("2026-11-30T09:00:00.000Z");
    // Created and completed only: the record update and the still-running service are not creation times.
    expect(Object.fromEntries(measured?.byAddress ?? [])).toEqual({
      "aws_rds_cluster.database_cluster_1A2B": 14,
      "aws_rds_cluster_instance.database_instance_3C4D": 9,
    });
    expect(Object.fromEntries(measured?.byResourceType ?? [])).toEqual({ aws_rds_cluster: 14, aws_rds_cluster_instance: 9 });
    expect(measuredCreationMinutes("recovery-gcp", root)).toBeUndefined();
  });

  it("refuse a newest record that is in another stack's folder or misnamed", () => {
    mkdirSync(join(root, "recovery-gcp"), { recursive: true });
    const file = writeDrillRecord(record(), root);
    writeFileSync(join(root, "recovery-gcp", "20261130T090000Z.json"), readFileSync(file));
    expect(() => newestDrillRecord("recovery-gcp", root)).toThrow(
      /recovery-gcp\/20261130T090000Z\.json: stack: "recovery-aws" is not recovery-gcp, the folder it is in$/,
    );
    writeFileSync(join(root, "recovery-aws", "20261201T000000Z.json"), readFileSync(file));
    expect(() => newestDrillRecord("recovery-aws", root)).toThrow(
      /startedAt: "2026-11-30T09:00:00.000Z" does not match the file name; expected 20261130T090000Z\.json$/,
    );
    expect(readdirSync(join(root, "recovery-aws")).sort()).toEqual(["20261130T090000Z.json", "20261201T000000Z.json"]);
  });

  it("name files after the drill's start time in UTC", () => {
    expect(recordFileName("2026-11-30T10:15:07.999+02:00")).toBe("20261130T081507Z.json");
  });
});
