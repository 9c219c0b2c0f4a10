/**
 * targets.aws.standby.cloudfront: standby-aws prepares the binaries replica to be the storage distribution's origin,
 * so the switch on the day is one UpdateDistribution (docs/standby.md, "AWS: the storage and app hostnames"): an
 * origin access control, a replica bucket policy statement for the storage distribution, and a standby key statement
 * letting the named distributions decrypt. Without the section nothing of it is synthesized.
 */
import { evaluateStackJson, RECOVERY_PACK } from "../../policy";
import { problemsOf, standbyDocument, standbyConfig, synthStandby, type SynthesizedStandby } from "./helpers";

const ACCOUNT = "111122223333";
const STORAGE = `arn:aws:cloudfront::${ACCOUNT}:distribution/E1STORAGE2EXAMPLE`;
const APP = `arn:aws:cloudfront::${ACCOUNT}:distribution/E2APP3EXAMPLE`;

const statements = (policy: string): Array<Record<string, any>> => JSON.parse(policy).Statement;

function replicaPolicy(stack: SynthesizedStandby): Array<Record<string, any>> {
  const replicaId = Object.keys(stack.resources("aws_s3_bucket")).find((id) => id.startsWith("binaries_replication_replica"))!;
  const policies = Object.values(stack.resources("aws_s3_bucket_policy")).filter((policy) => policy.bucket === stack.ref("aws_s3_bucket", replicaId, "id"));
  // One policy per bucket: PutBucketPolicy replaces the whole document, so a second owner would undo the first.
  expect(policies).toHaveLength(1);
  return statements(policies[0]!.policy);
}

function standbyKeyPolicy(stack: SynthesizedStandby): Array<Record<string, any>> {
  const key = Object.entries(stack.resources("aws_kms_key")).find(([id]) => id.startsWith("recoveryPoints_key"))!;
  return statements(key[1].policy);
}

describe("standby-aws with targets.aws.standby.cloudfront", () => {
  const plain = synthStandby(standbyConfig());
  const storageOnly = synthStandby(standbyConfig({ cloudfront: { storageDistributionArn: STORAGE } }));
  const both = synthStandby(standbyConfig({ cloudfront: { storageDistributionArn: STORAGE, appDistributionArn: APP } }));

  it("creates an origin access control for S3 that always signs with SigV4, on the recovery provider", () => {
    const { "//": _metadata, ...oac } = storageOnly.only("aws_cloudfront_origin_access_control");
    expect(oac).toEqual({
      provider: "aws.recovery",
      name: "medplum-dr-standby-replica",
      description: "medplum-dr: the storage distribution reads the binaries replica medplum-binaries-usw2",
      origin_access_control_origin_type: "s3",
      signing_behavior: "always",
      signing_protocol: "sigv4",
    });
    expect(Object.keys(storageOnly.resources("aws_cloudfront_origin_access_control"))).toEqual([
      expect.stringMatching(/^binaries_replication_originAccess_[0-9A-F]{8}$/),
    ]);
  });

  it("lets CloudFront read the replica's objects for the storage distribution only, beside the TLS-only statement", () => {
    const policy = replicaPolicy(storageOnly);
    expect(policy.map((statement) => statement.Sid)).toEqual(["DenyInsecureTransport", "CloudFrontReadsForTheStorageDistribution"]);
    expect(policy[1]).toEqual({
      Sid: "CloudFrontReadsForTheStorageDistribution",
      Effect: "Allow",
      Principal: { Service: "cloudfront.amazonaws.com" },
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::medplum-binaries-usw2/*",
      Condition: { StringEquals: { "AWS:SourceArn": STORAGE } },
    });
  });

  it("never lets the app distribution, which serves without signed URLs, read the binaries", () => {
    const policy = replicaPolicy(both);
    expect(JSON.stringify(policy)).not.toContain(APP);
    expect(policy.filter((statement) => statement.Effect === "Allow")).toEqual([
      expect.objectContaining({ Condition: { StringEquals: { "AWS:SourceArn": STORAGE } } }),
    ]);
  });

  it("lets CloudFront decrypt with the standby key for each named distribution, and nothing more", () => {
    const grant = (stack: SynthesizedStandby) => standbyKeyPolicy(stack).find((statement) => statement.Sid === "CloudFrontDecryptsForTheStandbyDistributions");
    expect(grant(storageOnly)).toEqual({
      Sid: "CloudFrontDecryptsForTheStandbyDistributions",
      Effect: "Allow",
      Principal: { Service: "cloudfront.amazonaws.com" },
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: { StringEquals: { "AWS:SourceArn": [STORAGE] } },
    });
    expect(grant(both)?.Condition).toEqual({ StringEquals: { "AWS:SourceArn": [STORAGE, APP] } });
    // The account's own statement stays first and unchanged.
    expect(standbyKeyPolicy(both)[0]).toEqual(standbyKeyPolicy(plain)[0]);
  });

  it("outputs what the origin switch needs: the origin access control, the replica's domain, the distributions", () => {
    const outputs = both.json.output as Record<string, { value: string }>;
    const oacId = Object.keys(both.resources("aws_cloudfront_origin_access_control"))[0]!;
    const replicaId = Object.keys(both.resources("aws_s3_bucket")).find((id) => id.startsWith("binaries_replication_replica"))!;
    expect(outputs.cloudfront_origin_access_control_id?.value).toBe(both.ref("aws_cloudfront_origin_access_control", oacId, "id"));
    expect(outputs.binaries_replica_domain_name?.value).toBe(both.ref("aws_s3_bucket", replicaId, "bucket_regional_domain_name"));
    expect(outputs.cloudfront_distribution_ids?.value).toBe("E1STORAGE2EXAMPLE,E2APP3EXAMPLE");
  });

  it("changes nothing without the section: no origin access control, no grant, no output, the same policies", () => {
    expect(plain.resources("aws_cloudfront_origin_access_control")).toEqual({});
    expect(plain.text).not.toContain("cloudfront.amazonaws.com");
    expect(Object.keys(plain.json.output)).not.toContain("cloudfront_origin_access_control_id");
    expect(replicaPolicy(plain).map((statement) => statement.Sid)).toEqual(["DenyInsecureTransport"]);
    // With the section, only the grants are added: every other resource body is the same.
    const without = (stack: SynthesizedStandby) =>
      stack
        .all()
        .filter(({ type }) => !["aws_cloudfront_origin_access_control", "aws_kms_key", "aws_s3_bucket_policy"].includes(type))
        .map(({ type, id, resource }) => [type, id, resource]);
    expect(without(storageOnly)).toEqual(without(plain));
  });

  it("passes the HIPAA-aligned pack and the apply-time rules with no finding", () => {
    expect(evaluateStackJson(both.json as never, "standby-aws", { suppressions: [] }, RECOVERY_PACK).findings).toEqual([]);
  });
});

describe("a bad targets.aws.standby.cloudfront is refused in one line naming the field", () => {
  const FIELD = "targets.aws.standby.cloudfront.storageDistributionArn";
  const CASES: ReadonlyArray<{ name: string; cloudfront: Record<string, unknown>; line: RegExp }> = [
    {
      name: "the distribution's id instead of its ARN",
      cloudfront: { storageDistributionArn: "E1STORAGE2EXAMPLE" },
      line: new RegExp(`^${FIELD}: "E1STORAGE2EXAMPLE" is not a CloudFront distribution ARN; expected arn:<partition>:cloudfront::<account>:distribution/<id>`),
    },
    {
      name: "a regional ARN",
      cloudfront: { storageDistributionArn: `arn:aws:cloudfront:us-east-1:${ACCOUNT}:distribution/E1STORAGE2EXAMPLE` },
      line: new RegExp(`^${FIELD}: ".*" is not a CloudFront distribution ARN: it names region "us-east-1", and CloudFront ARNs name none`),
    },
    {
      name: "the ARN of the bucket behind it",
      cloudfront: { storageDistributionArn: "arn:aws:s3:::medplum-binaries-use1" },
      line: new RegExp(`^${FIELD}: ".*" is not a CloudFront distribution ARN: it is a s3 ARN`),
    },
    {
      name: "another kind of CloudFront resource",
      cloudfront: { storageDistributionArn: `arn:aws:cloudfront::${ACCOUNT}:origin-access-identity/E1STORAGE2EXAMPLE` },
      line: new RegExp(`^${FIELD}: ".*" is not a CloudFront distribution ARN: resource "origin-access-identity/E1STORAGE2EXAMPLE" is not distribution/<id>`),
    },
    {
      name: "a distribution of another account",
      cloudfront: { storageDistributionArn: "arn:aws:cloudfront::444455556666:distribution/E1STORAGE2EXAMPLE" },
      line: new RegExp(
        `^${FIELD}: ".*" is in account 444455556666 \\(partition aws\\), not the account standby-aws runs in \\(${ACCOUNT}, partition aws\\); cross-account standby is not built`,
      ),
    },
    {
      name: "the storage distribution named as the app's too",
      cloudfront: { storageDistributionArn: STORAGE, appDistributionArn: STORAGE },
      line: /^targets\.aws\.standby\.cloudfront\.appDistributionArn: ".*" is the storage distribution too; the app distribution serves without signed URLs and must be another one$/,
    },
    {
      name: "the app distribution alone",
      cloudfront: { appDistributionArn: APP },
      line: new RegExp(`^${FIELD}: `),
    },
    {
      name: "a misspelt key",
      cloudfront: { storageDistributionArn: STORAGE, appDistribution: APP },
      line: /^targets\.aws\.standby\.cloudfront\.appDistribution: is not a known field; did you mean appDistributionArn\?/,
    },
  ];

  it.each(CASES)("$name", ({ cloudfront, line }) => {
    expect(problemsOf(standbyDocument({ cloudfront }))).toEqual([expect.stringMatching(line)]);
  });

  it("accepts the storage distribution alone, and both, in the account of the recovery", () => {
    expect(problemsOf(standbyDocument({ cloudfront: { storageDistributionArn: STORAGE } }))).toEqual([]);
    expect(problemsOf(standbyDocument({ cloudfront: { storageDistributionArn: STORAGE, appDistributionArn: APP } }))).toEqual([]);
  });
});
