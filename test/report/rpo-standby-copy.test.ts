/**
 * A snapshot restore of standby's newest copy (AWS `restore.source: standby`) is only named at plan time, so the
 * synthesized stack does not say how old it is; while standby runs it is at most one copy interval old.
 */
import { impliedRpo } from "../../report/rpo";
import { restoreChoice } from "../../report/stack-report";
import { exampleConfig } from "../support/config";

const NOW = new Date("2026-12-02T12:00:00Z");

describe("the RPO of a restore from standby's newest copy", () => {
  it("is the copy interval standby keeps, from the config, when the time is only known at plan time", () => {
    const rpo = impliedRpo({ mode: "snapshot", sourceTakenAtAtPlan: true, standbyCopyIntervalMinutes: 60 }, "aws", NOW);
    expect(rpo.minutes).toBe(60);
    expect(rpo.basis).toMatch(/newest recovery point standby copies into the recovery location every 60 min/);
  });

  it("is the recovery point's real age once the stack carries its time", () => {
    expect(impliedRpo({ mode: "snapshot", sourceTakenAt: "2026-12-02T11:40:00Z", standbyCopyIntervalMinutes: 60 }, "aws", NOW).minutes).toBe(20);
  });

  it("is read from the example's standby schedule only where the restore takes standby's copy", () => {
    const config = exampleConfig();
    const restore = config.targets.aws!.database.restore;
    expect(restore.mode === "snapshot" && restore.source).toBe("standby");
    expect(restoreChoice(config, "aws")).toEqual({ mode: "snapshot", standbyCopyIntervalMinutes: 60 * config.targets.aws!.standby!.database.backupEveryHours });
    const named = exampleConfig({
      targets: {
        aws: {
          database: {
            restore: { mode: "snapshot", source: null, snapshotIdentifier: "arn:aws:rds:us-west-2:111122223333:cluster-snapshot:medplum-prod-copy" },
          },
        },
      },
    });
    expect(restoreChoice(named, "aws")).toEqual({ mode: "snapshot" });
  });
});
