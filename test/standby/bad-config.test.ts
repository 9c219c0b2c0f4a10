/**
 * A bad standby section is refused with one line per problem, naming the field, the value and what is expected; and
 * the section the example carries (commented out) is a valid one.
 */
import { problemsOf, STANDBY_ROUTING, standbyConfig, standbyDocument } from "./helpers";

describe("the example's standby section", () => {
  it("validates once uncommented, with every default filled in", () => {
    const standby = standbyConfig().targets.aws!.standby!;
    expect(standby).toMatchObject({
      tier: "backup-restore",
      backend: { type: "local" },
      database: { identifier: "medplum-prod", backupEveryHours: 1, automatedBackupsRetentionDays: 7 },
    });
  });
});

const CASES: ReadonlyArray<{ name: string; standby?: Record<string, unknown>; overrides?: Record<string, unknown>; line: RegExp }> = [
  {
    name: "a tier no one has heard of",
    standby: { tier: "hot" },
    line: /^targets\.aws\.standby\.tier: "hot" is not a DR tier; use one of "backup-restore", "pilot-light", "warm-standby"$/,
  },
  {
    name: "failover records with nothing standing for the SECONDARY half",
    standby: { failoverRecords: { primaryDnsName: "medplum-prod-alb-1.us-east-1.elb.amazonaws.com", primaryZoneId: "Z35SXDOTRQ7X7K" } },
    overrides: STANDBY_ROUTING,
    line: /^targets\.aws\.standby\.failoverRecords: .* is set with tier "backup-restore", which keeps no load balancer standing for the SECONDARY record; use tier "pilot-light" or "warm-standby"/,
  },
  {
    name: "one set identifier for both failover records",
    standby: {
      tier: "pilot-light",
      failoverRecords: { primaryDnsName: "medplum-prod-alb-1.us-east-1.elb.amazonaws.com", primaryZoneId: "Z35SXDOTRQ7X7K", secondarySetIdentifier: "primary" },
    },
    overrides: STANDBY_ROUTING,
    line: /^targets\.aws\.standby\.failoverRecords\.secondarySetIdentifier: "primary" is "primary", the PRIMARY record's set identifier too/,
  },
  {
    name: "a primary entry point that is not a DNS name",
    standby: {
      tier: "pilot-light",
      failoverRecords: { primaryDnsName: "https://medplum-prod-alb-1.us-east-1.elb.amazonaws.com/", primaryZoneId: "Z35SXDOTRQ7X7K" },
    },
    overrides: STANDBY_ROUTING,
    line: /^targets\.aws\.standby\.failoverRecords\.primaryDnsName: "https:.*" is not a DNS name/,
  },
  {
    name: "an interval AWS Backup cannot keep evenly",
    standby: { database: { backupEveryHours: 5 } },
    line: /^targets\.aws\.standby\.database\.backupEveryHours: 5 is not an interval AWS Backup can keep evenly; use one of 1, 2, 3, 4, 6, 8, 12, 24 hours/,
  },
  {
    name: "a database identifier starting with a digit",
    standby: { database: { identifier: "1medplum" } },
    line: /^targets\.aws\.standby\.database\.identifier: "1medplum" is not an RDS identifier/,
  },
  {
    name: "a database identifier with two hyphens in a row",
    standby: { database: { identifier: "medplum--prod" } },
    line: /^targets\.aws\.standby\.database\.identifier: "medplum--prod" is not an RDS identifier/,
  },
  {
    name: "a primary bucket that is not an S3 bucket name",
    standby: { storage: { primaryBucketName: "Medplum_Binaries" } },
    line: /^targets\.aws\.standby\.storage\.primaryBucketName: "Medplum_Binaries" is not an S3 bucket name/,
  },
  {
    name: "the replica named like the primary bucket",
    standby: { storage: { replicaBucketName: "medplum-binaries-use1" } },
    line: /^targets\.aws\.standby\.storage\.replicaBucketName: "medplum-binaries-use1" is the primary bucket too/,
  },
  {
    name: "a recovery that would create the replica's bucket itself",
    overrides: { targets: { aws: { storage: { mode: "new", bucketName: "medplum-binaries-usw2" } } } },
    line: /^targets\.aws\.storage\.bucketName: "medplum-binaries-usw2" is targets\.aws\.standby\.storage\.replicaBucketName, which standby-aws creates/,
  },
  {
    name: "a secret of the recovery region where the primary's is meant",
    standby: { replicatedSecretArns: ["arn:aws:secretsmanager:us-west-2:111122223333:secret:medplum/app-AbCdEf"] },
    line: /^targets\.aws\.standby\.replicatedSecretArns\[0\]: "arn:aws:secretsmanager:us-west-2:.*" is in us-west-2, not the primary region us-east-1/,
  },
  {
    name: "a primary bucket key in another region",
    standby: { storage: { primaryBucketKmsKeyArn: "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" } },
    line: /^targets\.aws\.standby\.storage\.primaryBucketKmsKeyArn: ".*" is in us-west-2, not the primary region us-east-1/,
  },
  {
    name: "the recovery's own S3 state",
    standby: { backend: { type: "s3", bucket: "acme-dr-state-usw2", key: "medplum/recovery-aws.tfstate", region: "us-west-2" } },
    overrides: { targets: { aws: { backend: { type: "s3", bucket: "acme-dr-state-usw2", key: "medplum/recovery-aws.tfstate", region: "us-west-2" } } } },
    line: /^targets\.aws\.standby\.backend: .* is the recovery's state \(targets\.aws\.backend\) too; give standby-aws a state of its own/,
  },
  { name: "a misspelt key", standby: { watchPrimry: true }, line: /^targets\.aws\.standby\.watchPrimry: is not a known field; did you mean watchPrimary\?/ },
  {
    name: "a retention AWS does not keep automated backups for",
    standby: { database: { automatedBackupsRetentionDays: 36 } },
    line: /^targets\.aws\.standby\.database\.automatedBackupsRetentionDays: 36/,
  },
];

describe("a bad standby section is refused in one line naming the field", () => {
  it.each(CASES)("$name", ({ standby, overrides, line }) => {
    expect(problemsOf(standbyDocument(standby ?? {}, overrides ?? {}))).toEqual([expect.stringMatching(line)]);
  });

  it("accepts every tier, and failover records once something stands for the SECONDARY half", () => {
    for (const tier of ["backup-restore", "pilot-light", "warm-standby"]) expect([tier, problemsOf(standbyDocument({ tier }))]).toEqual([tier, []]);
    const failoverRecords = { primaryDnsName: "medplum-prod-alb-1.us-east-1.elb.amazonaws.com", primaryZoneId: "Z35SXDOTRQ7X7K" };
    expect(problemsOf(standbyDocument({ tier: "warm-standby", failoverRecords }, STANDBY_ROUTING))).toEqual([]);
    expect(standbyConfig({ tier: "pilot-light", failoverRecords }, STANDBY_ROUTING).targets.aws!.standby!.failoverRecords).toEqual({
      ...failoverRecords,
      primarySetIdentifier: "primary",
      secondarySetIdentifier: "recovery",
    });
  });

  it("the same state under another key is fine", () => {
    const backend = { type: "s3", bucket: "acme-dr-state-usw2", region: "us-west-2" };
    expect(
      problemsOf(
        standbyDocument(
          { backend: { ...backend, key: "medplum/standby-aws.tfstate" } },
          { targets: { aws: { backend: { ...backend, key: "medplum/recovery-aws.tfstate" } } } },
        ),
      ),
    ).toEqual([]);
  });
});
