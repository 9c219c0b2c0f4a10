/**
 * The config rules of restore mode replica-promotion (config/schema/aws.ts): the warm-standby tier promotes the replica
 * standby-aws keeps, nothing else promotes anything, and a bad config is refused in one line naming the field.
 */
import { problemsOf, standbyDocument, WARM_MASTER_SECRET } from "../standby/helpers";

type Document = Record<string, any>;
const RESTORE = ["targets", "aws", "database", "restore"] as const;
const withRestore = (document: Document, restore: Record<string, unknown>): Document => {
  document.targets.aws.database.restore = restore;
  return document;
};
const warm = () => standbyDocument({ tier: "warm-standby" });
const promotion = { mode: "replica-promotion", masterSecretArn: WARM_MASTER_SECRET };

describe("restore mode replica-promotion", () => {
  it("is valid with tier warm-standby, with or without naming the standby's replica", () => {
    expect(problemsOf(warm())).toEqual([]);
    expect(problemsOf(withRestore(warm(), { ...promotion, replicaIdentifier: "medplum-dr-replica" }))).toEqual([]);
  });

  const CASES: ReadonlyArray<{ name: string; document: () => Document; line: RegExp }> = [
    {
      name: "tier warm-standby restoring a snapshot instead of promoting its replica",
      document: () => withRestore(warm(), { mode: "snapshot", snapshotIdentifier: "arn:aws:rds:us-west-2:111122223333:cluster-snapshot:medplum-prod-copy" }),
      line: /^targets\.aws\.database\.restore\.mode: "snapshot" does not promote the live replica medplum-dr-replica that standby tier warm-standby keeps for the recovery; use mode "replica-promotion" with masterSecretArn$/,
    },
    {
      name: "a promotion in a tier that keeps no replica",
      document: () => withRestore(standbyDocument({ tier: "pilot-light" }), promotion),
      line: /^targets\.aws\.database\.restore\.mode: "replica-promotion" promotes the replica standby-aws keeps in tier warm-standby, but targets\.aws\.standby\.tier is "pilot-light"; set tier "warm-standby", or use mode "snapshot" or "point-in-time"$/,
    },
    {
      name: "a promotion without any standby section",
      document: () => {
        const document = withRestore(standbyDocument(), promotion);
        delete document.targets.aws.standby;
        return document;
      },
      line: /^targets\.aws\.database\.restore\.mode: "replica-promotion" promotes the replica standby-aws keeps in tier warm-standby, but targets\.aws\.standby is not set;/,
    },
    {
      name: "another replica than standby-aws's",
      document: () => withRestore(warm(), { ...promotion, replicaIdentifier: "medplum-prod-replica" }),
      line: /^targets\.aws\.database\.restore\.replicaIdentifier: "medplum-prod-replica" is not the replica standby-aws keeps \(medplum-dr-replica\); name that replica or leave replicaIdentifier out$/,
    },
    {
      name: "a snapshot named beside the promotion",
      document: () => withRestore(warm(), { ...promotion, snapshotIdentifier: "arn:aws:rds:us-west-2:111122223333:cluster-snapshot:medplum-prod-copy" }),
      line: /^targets\.aws\.database\.restore\.snapshotIdentifier: is not a field of mode "replica-promotion"; it belongs to mode "snapshot"$/,
    },
    {
      name: "a point in time given with the promotion",
      document: () => withRestore(warm(), { ...promotion, time: "latest" }),
      line: /^targets\.aws\.database\.restore\.time: is not a field of mode "replica-promotion"; it belongs to mode "point-in-time"$/,
    },
    {
      name: "no master credentials for the servers",
      document: () => withRestore(warm(), { mode: "replica-promotion" }),
      line: /^targets\.aws\.database\.restore\.masterSecretArn: \(not set\) is missing/,
    },
    {
      name: "the primary region's secret instead of its replica",
      document: () => withRestore(warm(), { ...promotion, masterSecretArn: WARM_MASTER_SECRET.replace("us-west-2", "us-east-1") }),
      line: /^targets\.aws\.database\.restore\.masterSecretArn: ".*" is in us-east-1, not the recovery region us-west-2; copy or replicate it into us-west-2 in peacetime$/,
    },
  ];

  it.each(CASES)("refuses $name, in one line naming the field", ({ document, line }) => {
    const problems = problemsOf(document());
    expect(problems).toContainEqual(expect.stringMatching(line));
    expect(problems.every((problem) => !problem.includes("\n"))).toBe(true);
    expect(problems.filter((problem) => problem.startsWith(RESTORE.join(".")))).toHaveLength(1);
  });
});
