/** The JSON model of a report (report/model.ts) against the committed JSON Schema, on the fixture stack's variants. */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { gateStack } from "../../report/gate";
import { toRecoveryPlan } from "../../report/model";
import { renderRecoveryPlan, renderStackReport } from "../../report/render";
import { buildStackReport, type PlanOutcome } from "../../report/stack-report";
import { RECOVERY_PLAN_SCHEMA_PATH, renderRecoveryPlanSchema } from "../../report/write-schema";
import { exampleConfig, FIXTURE_STACK, fixtureStackJson } from "./helpers";

const NOW = new Date("2026-11-23T12:00:00Z");
const committed = z.fromJSONSchema(JSON.parse(readFileSync(RECOVERY_PLAN_SCHEMA_PATH, "utf8")));
const reportWith = (plan?: PlanOutcome) =>
  buildStackReport({ stack: { name: FIXTURE_STACK, json: fixtureStackJson() }, config: exampleConfig(), now: NOW, ...(plan ? { plan } : {}) });
/** As written to disk and read back: undefined fields gone. */
const asWritten = (value: unknown) => JSON.parse(JSON.stringify(value));

describe("recovery-plan-<stack>.json", () => {
  it("has a committed schema generated from the zod model (run npx tsx report/write-schema.ts after changing report/model.ts)", () => {
    expect(readFileSync(RECOVERY_PLAN_SCHEMA_PATH, "utf8")).toBe(renderRecoveryPlanSchema());
  });

  it.each<[string, PlanOutcome | undefined]>([
    ["no plan", undefined],
    ["a failed plan", { status: "failed", reason: "Error: Invalid provider configuration" }],
    [
      "a plan with a replacement and a validate warning",
      {
        status: "planned",
        how: "offline harness",
        summary: { add: 2, change: 0, destroy: 1, replace: ["aws_rds_cluster.database_cluster"], changes: [] },
        overriddenData: ["data.aws_secretsmanager_secret_version.cache_auth_token"],
        validateWarnings: [{ severity: "warning", summary: "Deprecated attribute", address: "aws_lb.application_lb" }],
      },
    ],
  ])("validates with %s, gate verdict included", (_name, plan) => {
    const report = reportWith(plan);
    const json = asWritten(toRecoveryPlan(report, gateStack(report)));
    const result = committed.safeParse(json);
    expect(result.success, JSON.stringify(result.error?.issues.slice(0, 3))).toBe(true);
    expect(json.gate).toEqual({
      passed: false,
      checks: [expect.objectContaining({ ok: true }), expect.objectContaining({ ok: false, text: expect.stringMatching(/^RPO: unknown/) })],
    });
  });

  it("holds the facts the Markdown shows: critical path, RTO, RPO, steps", () => {
    const json = toRecoveryPlan(reportWith());
    expect(json.rto.modeledMinutes.typical).toBe(36.5);
    expect(json.rto.criticalPath.map((step) => step.id)).toContain("aws_rds_cluster.database_cluster");
    expect(json.rto.criticalPath.at(-1)).toMatchObject({ kind: "dns-tail", finishMinutes: 36.5 });
    expect(json.rpo).toMatchObject({ mode: "snapshot", minutes: null, withinObjective: null });
    expect(json.stepGraph.criticalPath).toEqual(["network", "database", "application", "traffic", "dns"]);
    expect(json.steps.map((step) => step.title)).toEqual([
      "1. Restore the database",
      "2. Provision the application tier",
      "3. Switch traffic",
      "4. Monitoring",
    ]);
    expect(json.steps[0]?.resources.find((entry) => entry.label === "database/cluster")).toMatchObject({
      type: "aws_rds_cluster",
      name: "medplum-dr",
      estimateMinutes: 20,
    });
    expect(renderRecoveryPlan(asWritten(json))).toBe(renderStackReport(reportWith()));
  });

  it.each([
    ["an unknown field", (json: Record<string, unknown>) => ({ ...json, surprise: true })],
    ["a negative duration", (json: { rto: { criticalPath: Array<{ minutes: number }> } }) => ((json.rto.criticalPath[0]!.minutes = -1), json)],
    ["a planned status without counts", (json: Record<string, unknown>) => ({ ...json, plan: { status: "planned", reason: "x" } })],
    ["another schema version", (json: Record<string, unknown>) => ({ ...json, schemaVersion: 99 })],
  ])("rejects %s", (_name, damage) => {
    const json = asWritten(toRecoveryPlan(reportWith()));
    expect(committed.safeParse(damage(json)).success).toBe(false);
  });
});
