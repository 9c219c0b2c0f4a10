/**
 * Re-protecting after a recovery (docs/failback.md, step 1): the recovered environment is production now, so the
 * failback variant may carry a standby section of its own, which protects the recovered database and bucket towards
 * the old primary region: the same StandbyStack in the reverse direction.
 */
import { deriveFailbackConfig } from "../../config/failback";
import { codeSuppressions, evaluateStackJson, hasBlockingFindings, RECOVERY_PACK } from "../../policy";
import { buildRecoveryApp } from "../../stacks/app";
import { exampleDocument } from "../support/config";
import { writtenStackJson } from "../support/policy";

const reverse = {
  tier: "backup-restore",
  backend: { type: "local", path: "state/standby-aws-reprotect.tfstate" },
  // The recovered cluster in us-west-2 (recovery-aws's own name) and its bucket, copied towards us-east-1.
  database: { identifier: "medplum-dr-db", backupEveryHours: 1, retentionDays: 7, copyRetentionDays: 14 },
  storage: { primaryBucketName: "medplum-binaries-usw2", replicaBucketName: "medplum-binaries-use1-fb", replicationTimeControl: true },
  replicatedSecretArns: ["arn:aws:secretsmanager:us-west-2:111122223333:secret:medplum/app-AbCdEf"],
  issueCertificate: true,
  watchPrimary: true,
};

describe("re-protecting the recovered environment with a failback's standby section", () => {
  const document = exampleDocument();
  const failback = (document.failback as { overrides: { targets: { aws: Record<string, unknown> } } }).overrides.targets.aws;
  failback.standby = reverse;
  // The failback adopts the replica this reverse standby keeps, as the recovery adopts standby-aws's in peacetime.
  failback.storage = { mode: "existing", bucketName: "medplum-binaries-use1-fb" };
  const config = deriveFailbackConfig(document, "config/example.yaml");

  it("keeps the section, with the regions of the failback: the recovered region is the one protected", () => {
    const aws = config.targets.aws!;
    expect([aws.primaryRegion, aws.region]).toEqual(["us-west-2", "us-east-1"]);
    expect(aws.standby?.database.identifier).toBe("medplum-dr-db");
  });

  it("builds standby-aws in the reverse direction: backups of the recovered cluster copied into the old primary region", () => {
    const { stacks } = buildRecoveryApp(config, "unused");
    const standby = stacks.find((stack) => stack.node.id === "standby-aws");
    expect(standby).toBeDefined();
    const json = writtenStackJson(standby!) as {
      provider: { aws: Array<{ alias: string; region: string }> };
      resource: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(json.provider.aws.map((block) => [block.alias, block.region]).sort()).toEqual(
      expect.arrayContaining([
        ["primary", "us-west-2"],
        ["recovery", "us-east-1"],
      ]),
    );
    const selection = Object.values(json.resource.aws_backup_selection ?? {})[0] as { resources: string[] };
    expect(selection.resources).toEqual(["arn:aws:rds:us-west-2:111122223333:cluster:medplum-dr-db"]);
    const reports = stacks.map((stack) =>
      evaluateStackJson(writtenStackJson(stack), stack.node.id, { suppressions: [...config.policy.suppressions, ...codeSuppressions(stack)] }, RECOVERY_PACK),
    );
    expect(hasBlockingFindings(reports)).toBe(false);
  });
});
