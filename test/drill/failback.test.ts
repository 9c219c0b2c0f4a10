/**
 * The failback variant (config/failback.ts): the recovery config pointed back at the primary region, restoring the
 * recovered database. Checked on the derived config and on the stacks synthesized from it.
 */
import { deriveFailbackConfig } from "../../config/failback";
import { codeSuppressions, evaluateStackJson, hasBlockingFindings, RECOVERY_PACK } from "../../policy";
import { buildRecoveryApp } from "../../stacks/app";
import { configProblem, exampleConfig, exampleDocument, type ConfigOverrides } from "../support/config";
import { writtenStackJson } from "../support/policy";

const derive = (overrides: ConfigOverrides = {}) => deriveFailbackConfig(exampleDocument(overrides), "config/example.yaml");
const problemOf = configProblem;

describe("the example's failback", () => {
  const recovery = exampleConfig();
  const config = derive();

  it("recovers into the old primary region, from the region the recovery runs in, for every cloud target", () => {
    expect([config.targets.aws!.region, config.targets.aws!.primaryRegion]).toEqual([recovery.targets.aws!.primaryRegion, recovery.targets.aws!.region]);
    expect([config.targets.gcp!.region, config.targets.gcp!.primaryRegion]).toEqual([recovery.targets.gcp!.primaryRegion, recovery.targets.gcp!.region]);
    expect([config.targets.azure!.region, config.targets.azure!.primaryRegion]).toEqual([
      recovery.targets.azure!.primaryRegion,
      recovery.targets.azure!.region,
    ]);
  });

  it("restores the recovered database, not the recovery's own source", () => {
    expect(config.targets.aws!.database.restore).toMatchObject({ mode: "snapshot", snapshotIdentifier: expect.stringMatching(/^arn:aws:rds:us-east-1:/) });
    expect(config.targets.aws!.database.restore).not.toEqual(recovery.targets.aws!.database.restore);
    expect(config.targets.azure!.database.restore).toMatchObject({ sourceServerId: expect.stringMatching(/flexibleServers\/medplum-dr-pg$/) });
  });

  it("builds beside what the old region may still hold, with its own state, and keeps production's protections and hosts", () => {
    expect(config.environment).toBe("medplum-dr-fb");
    expect(config.targets.aws!.backend).toEqual({ type: "local", path: "state/recovery-aws.fb.tfstate" });
    expect(config.targets.aws!.database.deletionProtection).toBe(true);
    expect(config.purpose).toBe("recovery");
    expect(config.medplum.hostnames).toEqual(recovery.medplum.hostnames);
  });

  it("synthesizes every stack with no policy or apply-time error (the restore source is in the failback region)", () => {
    const { stacks } = buildRecoveryApp(config, "unused");
    const reports = stacks.map((stack) =>
      evaluateStackJson(writtenStackJson(stack), stack.node.id, { suppressions: [...config.policy.suppressions, ...codeSuppressions(stack)] }, RECOVERY_PACK),
    );
    expect(
      reports.flatMap((report) =>
        report.findings
          .filter((finding) => finding.severity === "error" && finding.suppressedBecause === undefined)
          .map((finding) => `${finding.ruleId} ${finding.address}`),
      ),
    ).toEqual([]);
    expect(hasBlockingFindings(reports)).toBe(false);
  });
});

describe("a failback is refused", () => {
  it("when a target would restore the recovery's own source from before the disaster", () => {
    expect(problemOf(() => derive({ failback: { overrides: { targets: { aws: { database: { restore: null } } } } } }))).toMatch(
      /failback\.overrides\.targets\.aws\.database\.restore: is not set; the failback must restore the recovered database/,
    );
  });

  it("when the snapshot given is still in the recovery region (the apply-time rule would refuse it; the config already does)", () => {
    const message = problemOf(() =>
      derive({
        failback: {
          overrides: {
            targets: {
              aws: {
                database: {
                  restore: { mode: "snapshot", source: null, snapshotIdentifier: "arn:aws:rds:us-west-2:111122223333:cluster-snapshot:medplum-dr-failback" },
                },
              },
            },
          },
        },
      }),
    );
    expect(message).toMatch(/us-west-2/);
  });

  it("when the config has no failback section", () => {
    expect(problemOf(() => derive({ failback: null }))).toMatch(/failback: is not set; add a failback section/);
  });
});
