/**
 * When the restored source was taken comes from the stack's restore_source_taken_at output (stacks/recovery-stack.ts),
 * not from the config: a time, "unknown", a Terraform reference the plan resolves, or an older synth without it.
 */
import { gateStack } from "../../report/gate";
import { toRecoveryPlan } from "../../report/model";
import { renderStackReport } from "../../report/render";
import { buildStackReport } from "../../report/stack-report";
import { exampleConfig, FIXTURE_STACK, fixtureStackJson, fixtureStackTakenAt } from "./helpers";

const NOW = new Date("2026-11-23T12:00:00Z");
const report = (json: ReturnType<typeof fixtureStackJson>, config = exampleConfig({ rpoMinutes: 15 })) =>
  buildStackReport({ stack: { name: FIXTURE_STACK, json }, config, now: NOW });

describe("restore_source_taken_at in the report", () => {
  it("measures the snapshot's age from the output, and shows the time in the restore line and the JSON", () => {
    const taken = report(fixtureStackTakenAt("2026-11-23T11:50:00Z"));
    expect(taken.rpo.minutes).toBe(10);
    expect(taken.rpo.basis).toContain("taken at 2026-11-23T11:50:00Z, 10 min before this report");
    expect(toRecoveryPlan(taken).restore.sourceTakenAt).toBe("2026-11-23T11:50:00Z");
    expect(renderStackReport(taken)).toContain("source taken at `2026-11-23T11:50:00Z`.");
  });

  it("ignores a snapshotTakenAt in the config: the stack written from it is the fact", () => {
    const config = exampleConfig({ rpoMinutes: 15 });
    const restore = config.targets.aws!.database.restore;
    if (restore.mode !== "snapshot") throw new Error("config/example.yaml's AWS restore is no longer a snapshot");
    const claimed = {
      ...config,
      targets: {
        ...config.targets,
        aws: { ...config.targets.aws!, database: { ...config.targets.aws!.database, restore: { ...restore, snapshotTakenAt: "2026-11-23T11:55:00Z" } } },
      },
    };
    const unknown = report(fixtureStackJson(), claimed);
    expect(unknown.restore.sourceTakenAt).toBe("unknown");
    expect(unknown.rpo.minutes).toBeUndefined();
    expect(unknown.rpo.howToBound).toMatch(/^give restore\.snapshotTakenAt in the config so the report can compute it/);
    expect(gateStack(unknown).passed).toBe(false);
  });

  it("says the plan knows the time where the output is a Terraform reference (restore from standby's newest recovery point)", () => {
    const reference = fixtureStackTakenAt("${data.aws_db_cluster_snapshot.database_newest_0A1B2C3D.snapshot_create_time}");
    // Without a standby schedule in the config, the synthesized stack cannot bound the point's age.
    const unscheduled = exampleConfig({ rpoMinutes: 15 });
    const aws = unscheduled.targets.aws!;
    const planned = report(reference, { ...unscheduled, targets: { ...unscheduled.targets, aws: { ...aws, standby: undefined } } });
    expect(planned.restore.sourceTakenAt).toBe("(not a plan-time literal)");
    expect(planned.rpo.minutes).toBeUndefined();
    expect(planned.rpo.basis).toContain("the stack reads when it was taken at plan time");
    expect(planned.rpo.howToBound).toMatch(/^read restore_source_taken_at in the plan/);
    expect(planned.notes).toEqual([]);
    // The example's standby-aws copies a recovery point every hour: that bounds the newest one's age.
    const scheduled = report(reference);
    expect(scheduled.rpo.minutes).toBe(60 * aws.standby!.database.backupEveryHours);
  });

  it("notes a stack synthesized before the output existed", () => {
    const json = fixtureStackJson();
    const { restore_source_taken_at: _dropped, ...older } = json.output as Record<string, unknown>;
    const stale = report({ ...json, output: older as typeof json.output });
    expect(stale.notes).toContainEqual(
      expect.stringMatching(/^the stack has no restore_source_taken_at output, so it was synthesized by an older version: synthesize again/),
    );
    expect(stale.restore.sourceTakenAt).toBe("unknown");
  });
});
