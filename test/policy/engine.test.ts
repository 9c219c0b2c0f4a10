import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { App, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { evaluateStackJson, formatPolicyReport, hasBlockingFindings, matchesResource, suppressPolicy } from "../../policy";
import { evaluateStack } from "../support/policy";
import type { PolicyReport, PolicySuppression } from "../../policy";
import { STACK, stack } from "./helpers";

/** Two buckets with force_destroy and no versioning: two rules fire on each. */
const twoBuckets = stack({ "aws_s3_bucket.binaries": { force_destroy: true }, "aws_s3_bucket.drill": { force_destroy: true } });

function open(report: PolicyReport): string[] {
  return report.findings.filter((finding) => finding.suppressedBecause === undefined).map((finding) => `${finding.ruleId} ${finding.address}`);
}

describe("suppression matching", () => {
  const subject = { path: `${STACK}/storage/bucket`, address: "aws_s3_bucket.storage_bucket_1A2B3C" };

  it.each([
    ["the full construct path", `${STACK}/storage/bucket`, true],
    ["the construct path without the stack name", "storage/bucket", true],
    ["a glob on the path", "storage/*", true],
    ["a glob across stacks", "*/storage/bucket", true],
    ["the Terraform address", "aws_s3_bucket.storage_bucket_1A2B3C", true],
    ["a glob on the address", "aws_s3_bucket.*", true],
    ["another construct", "storage/replica", false],
    ["a parent construct", "storage", true],
    ["a partial name without a glob", "stor", false],
    ["regex characters taken literally", "storage/bucke.", false],
  ])("%s (%s) matches: %s", (_what, pattern, expected) => {
    expect(matchesResource(pattern, subject, STACK)).toBe(expected);
  });
});

describe("config suppressions", () => {
  const evaluate = (suppressions: PolicySuppression[]) => evaluateStackJson(twoBuckets, STACK, { suppressions });

  it("suppress one rule on one resource only, keeping the reason on record", () => {
    const report = evaluate([{ rule: "BucketNoForceDestroy", resource: "drill", reason: "drill bucket, emptied on teardown" }]);
    expect(report.suppressionErrors).toEqual([]);
    expect(open(report)).toContain("BucketNoForceDestroy aws_s3_bucket.binaries");
    expect(open(report)).not.toContain("BucketNoForceDestroy aws_s3_bucket.drill");
    expect(open(report)).toContain("BucketVersioning aws_s3_bucket.drill");
    const suppressed = report.findings.find((finding) => finding.suppressedBecause !== undefined);
    expect(suppressed).toMatchObject({
      ruleId: "BucketNoForceDestroy",
      address: "aws_s3_bucket.drill",
      suppressedBecause: "drill bucket, emptied on teardown",
    });
  });

  it("no longer blocks when every error is suppressed", () => {
    const onlyForceDestroy = stack({ "aws_s3_bucket.drill": { force_destroy: true } });
    const report = evaluateStackJson(onlyForceDestroy, STACK, {
      suppressions: ["BucketNoForceDestroy", "BucketVersioning", "BucketEncrypted"].map((rule) => ({
        rule,
        resource: "*",
        reason: "throw-away drill environment",
      })),
    });
    // BucketPublicAccessBlocked cannot be suppressed, so the bucket still blocks.
    expect(open(report)).toEqual(["BucketPublicAccessBlocked aws_s3_bucket.drill"]);
    expect(hasBlockingFindings([report])).toBe(true);
  });

  it.each([
    ["a reason shorter than 10 characters", { rule: "BucketNoForceDestroy", resource: "*", reason: "drill    " }, "is too short"],
    ["an unknown rule id", { rule: "BucketNoForceDestroyy", resource: "*", reason: "drill bucket, emptied on teardown" }, "no rule has that id"],
    ["an unsuppressible rule", { rule: "NoSecretLiterals", resource: "*", reason: "it is only a test password" }, "cannot be suppressed"],
  ])("rejects %s as a blocking error and suppresses nothing", (_what, suppression, message) => {
    const report = evaluate([suppression]);
    expect(report.suppressionErrors).toEqual([expect.stringContaining(message)]);
    expect(report.suppressionErrors[0]).toContain(suppression.rule);
    expect(report.findings.every((finding) => finding.suppressedBecause === undefined)).toBe(true);
    expect(hasBlockingFindings([report])).toBe(true);
  });

  it("does not block on warnings alone", () => {
    const report = evaluateStackJson(stack({ "aws_kms_key.db": {} }), STACK, { suppressions: [] });
    expect(open(report)).toEqual(["KmsKeyRotation aws_kms_key.db"]);
    expect(hasBlockingFindings([report])).toBe(false);
  });
});

describe("evaluateStack on a cdktf stack", () => {
  function bucketStack(configure: (stack: TerraformStack, storage: Construct, bucket: S3Bucket) => void = () => undefined) {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), "policy-")) });
    const stack = new TerraformStack(app, "recovery-aws");
    new AwsProvider(stack, "aws", { region: "us-west-2" });
    const storage = new Construct(stack, "storage");
    const bucket = new S3Bucket(storage, "bucket", { bucket: "medplum-binaries", forceDestroy: true });
    configure(stack, storage, bucket);
    return { app, stack };
  }

  it("reports construct paths and Terraform addresses", () => {
    const { stack } = bucketStack();
    const finding = evaluateStack(stack, { suppressions: [] }).findings.find((candidate) => candidate.ruleId === "BucketNoForceDestroy");
    expect(finding).toMatchObject({ path: "recovery-aws/storage/bucket", address: expect.stringMatching(/^aws_s3_bucket\.storage_bucket_[0-9A-F]{8}$/) });
  });

  it("honours suppressPolicy on the resource", () => {
    const { stack } = bucketStack((_stack, _storage, bucket) => suppressPolicy(bucket, "BucketNoForceDestroy", "drill bucket, emptied on teardown"));
    const finding = evaluateStack(stack, { suppressions: [] }).findings.find((candidate) => candidate.ruleId === "BucketNoForceDestroy");
    expect(finding?.suppressedBecause).toBe("drill bucket, emptied on teardown");
  });

  it("honours suppressPolicy on a parent construct for everything beneath it", () => {
    const { stack } = bucketStack((_stack, storage) => suppressPolicy(storage, "BucketVersioning", "versioned by the primary's replication rule"));
    const finding = evaluateStack(stack, { suppressions: [] }).findings.find((candidate) => candidate.ruleId === "BucketVersioning");
    expect(finding?.suppressedBecause).toBe("versioned by the primary's replication rule");
  });

  it("reports a code suppression of a core PHI rule as an error naming the rule", () => {
    const { stack } = bucketStack((_stack, _storage, bucket) => suppressPolicy(bucket, "BucketPublicAccessBlocked", "the bucket is private anyway"));
    const report = evaluateStack(stack, { suppressions: [] });
    expect(report.suppressionErrors).toEqual([expect.stringContaining("BucketPublicAccessBlocked protects PHI directly")]);
    expect(hasBlockingFindings([report])).toBe(true);
  });

  it("refuses a code suppression without a real reason at the call site", () => {
    expect(() => bucketStack((_stack, _storage, bucket) => suppressPolicy(bucket, "BucketNoForceDestroy", "drill"))).toThrow(/too short/);
  });

  it("matches output suppressions by address, since outputs carry no construct path in the JSON", () => {
    const { stack } = bucketStack((stack) => {
      const output = new TerraformOutput(stack, "redis_password", { value: "${aws_elasticache_replication_group.x.auth_token}" });
      suppressPolicy(output, "SensitiveOutputs", "read back by the drill script and shredded");
    });
    const finding = evaluateStack(stack, { suppressions: [] }).findings.find((candidate) => candidate.ruleId === "SensitiveOutputs");
    expect(finding).toMatchObject({ path: "recovery-aws/redis_password", suppressedBecause: "read back by the drill script and shredded" });
  });
});

describe("the report", () => {
  it("lists errors, then warnings, then suppressed findings, each with what to change and the HIPAA control", () => {
    const json = stack({ "aws_s3_bucket.drill": { force_destroy: true }, "aws_kms_key.db": {} });
    const report = evaluateStackJson(json, STACK, {
      suppressions: [
        { rule: "BucketVersioning", resource: "drill", reason: "throw-away drill environment" },
        { rule: "BucketEncrypted", resource: "drill", reason: "short" },
      ],
    });
    expect(formatPolicyReport([report])).toBe(
      [
        "policy recovery-test: 4 errors, 1 warning, 1 suppressed",
        '  ERROR invalid suppression of BucketEncrypted for "drill": the reason "short" is too short; explain in at least 10 characters why the finding is acceptable',
        "  ERROR BucketPublicAccessBlocked at recovery-test/drill (aws_s3_bucket.drill)",
        "    no aws_s3_bucket_public_access_block points at this bucket; add one with all four flags true",
        "    HIPAA 164.312(a)(1); compare CKV_AWS_53, CKV_AWS_54, CKV_AWS_55, CKV_AWS_56, CKV_GCP_29, CKV_GCP_114, CKV_AZURE_34, HIPAA.Security-S3BucketLevelPublicAccessProhibited, HIPAA.Security-S3BucketPublicReadProhibited, HIPAA.Security-S3BucketPublicWriteProhibited",
        "  ERROR BucketEncrypted at recovery-test/drill (aws_s3_bucket.drill)",
        "    no aws_s3_bucket_server_side_encryption_configuration points at this bucket; add one (sse_algorithm aws:kms with a recovery-region key)",
        "    HIPAA 164.312(a)(2)(iv); compare CKV_AWS_19, HIPAA.Security-S3BucketServerSideEncryptionEnabled",
        "  ERROR BucketNoForceDestroy at recovery-test/drill (aws_s3_bucket.drill)",
        "    force_destroy is true; remove it so destroying the stack cannot delete Medplum's binaries",
        "    HIPAA 164.312(c)(1), 164.308(a)(7)(ii)(A)",
        "  WARN  KmsKeyRotation at recovery-test/db (aws_kms_key.db)",
        "    enable_key_rotation is not true; set it to true",
        "    HIPAA 164.312(a)(2)(iv); compare CKV_AWS_7, CKV_GCP_43",
        "  suppressed BucketVersioning at recovery-test/drill (aws_s3_bucket.drill): throw-away drill environment",
      ].join("\n"),
    );
  });

  it("notes a suppression that matched nothing in any stack, but not one used in some stack", () => {
    const suppressions = [
      { rule: "BucketNoForceDestroy", resource: "drill", reason: "drill bucket, emptied on teardown" },
      { rule: "BucketVersioning", resource: "storage/typo", reason: "versioned by the primary's replication" },
    ];
    const withDrill = evaluateStackJson(stack({ "aws_s3_bucket.drill": { force_destroy: true } }), STACK, { suppressions });
    const withoutDrill = evaluateStackJson(stack({}), "recovery-gcp", { suppressions });
    const text = formatPolicyReport([withDrill, withoutDrill]);
    expect(text).toContain('note: suppression of BucketVersioning for "storage/typo" matched no finding in any stack');
    expect(text).not.toContain("note: suppression of BucketNoForceDestroy");
    expect(hasBlockingFindings([withoutDrill])).toBe(false);
  });

  it("separates stacks with a blank line", () => {
    const empty = (stackName: string): PolicyReport => ({ stackName, findings: [], suppressionErrors: [], suppressionUse: [] });
    expect(formatPolicyReport([empty("recovery-aws"), empty("recovery-gcp")])).toBe(
      "policy recovery-aws: 0 errors, 0 warnings, 0 suppressed\n\npolicy recovery-gcp: 0 errors, 0 warnings, 0 suppressed",
    );
  });
});
