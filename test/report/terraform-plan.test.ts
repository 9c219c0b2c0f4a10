import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  findProviderMirror,
  hclValue,
  mirrorCandidates,
  planModeOf,
  planStack,
  planStackOffline,
  planStacksOffline,
  summarizePlan,
  TerraformPlanError,
} from "../../report/terraform-plan";
import { EXIT, main } from "../../report/cli";
import { EXAMPLE_CONFIG_PATH, FIXTURE_OUTDIR } from "./helpers";
import { detectTerraform, skipWithoutTerraform } from "./terraform-helpers";

const FIXTURE = join(__dirname, "fixtures", "tiny-aws");

describe("summarizePlan", () => {
  it("counts a replacement as one add and one destroy and names it, as Terraform's Plan line does", () => {
    const summary = summarizePlan({
      resource_changes: [
        { address: "aws_s3_bucket.a", type: "aws_s3_bucket", change: { actions: ["create"] } },
        { address: "aws_rds_cluster.cluster", type: "aws_rds_cluster", change: { actions: ["delete", "create"] } },
        { address: "aws_lb.lb", type: "aws_lb", change: { actions: ["create", "delete"] } },
        { address: "aws_ecs_service.s", type: "aws_ecs_service", change: { actions: ["update"] } },
        { address: "aws_sns_topic.t", type: "aws_sns_topic", change: { actions: ["delete"] } },
        { address: "aws_kms_key.k", type: "aws_kms_key", change: { actions: ["no-op"] } },
        { address: "data.aws_region.r", type: "aws_region", change: { actions: ["read"] } },
      ],
    });
    expect(summary).toMatchObject({ add: 3, change: 1, destroy: 3, replace: ["aws_rds_cluster.cluster", "aws_lb.lb"] });
  });

  it("reads an empty plan as no changes", () => {
    expect(summarizePlan({})).toMatchObject({ add: 0, change: 0, destroy: 0, replace: [] });
  });
});

describe("hclValue", () => {
  it("keeps template sequences in strings literal", () => {
    expect(hclValue({ secret_string: "a${b}%{c}" })).toBe('{\n  "secret_string" = "a$${b}%%{c}"\n}');
  });
});

describe("the plan mode", () => {
  it("is offline unless asked otherwise, and reads the older offline flag as the same thing", () => {
    expect(planModeOf({})).toBe("offline");
    expect(planModeOf({ offline: false })).toBe("online");
    expect(planModeOf({ mode: "online", offline: false })).toBe("online");
  });

  it("refuses a mode and an offline flag that disagree", () => {
    expect(() => planModeOf({ mode: "online", offline: true })).toThrow(/mode "online" conflicts with offline: true; give one of them/);
  });
});

describe("finding the provider mirror in the places Terraform documents (no file-system search)", () => {
  let home: string;
  const mirrorAt = (root: string) => mkdirSync(join(root, "registry.terraform.io", "hashicorp", "aws", "5.100.0", "linux_amd64"), { recursive: true });
  // HOME and the XDG variables point into the scratch folder, so the machine's own mirrors cannot answer.
  const envFor = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    HOME: home,
    XDG_DATA_HOME: join(home, "data"),
    XDG_DATA_DIRS: join(home, "shared"),
    ...extra,
  });
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), "mirror-home-"));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it("takes TF_PLUGIN_DIR as given, before anything else", () => {
    mirrorAt(join(home, ".terraform.d", "plugins"));
    expect(findProviderMirror(envFor({ TF_PLUGIN_DIR: "/somewhere/else" }))).toEqual({ dir: "/somewhere/else", foundBy: "TF_PLUGIN_DIR" });
  });

  it("reads the filesystem_mirror of the CLI configuration TF_CLI_CONFIG_FILE names, ignoring commented-out blocks", () => {
    const mirror = join(home, "my mirror #1");
    mirrorAt(mirror);
    const rc = join(home, "ci.tfrc");
    writeFileSync(
      rc,
      [
        "provider_installation {",
        '  # filesystem_mirror { path = "/not/this/one" }',
        '  /* filesystem_mirror { path = "/nor/this" } */',
        "  filesystem_mirror {",
        `    path    = ${JSON.stringify(mirror)} // the runner's mirror`,
        '    include = ["registry.terraform.io/hashicorp/*"]',
        "  }",
        '  direct { exclude = ["registry.terraform.io/hashicorp/*"] }',
        "}",
      ].join("\n"),
    );
    expect(findProviderMirror(envFor({ TF_CLI_CONFIG_FILE: rc }))).toEqual({ dir: mirror, foundBy: `provider_installation.filesystem_mirror in ${rc}` });
  });

  it("reads ~/.terraformrc and the JSON files of ~/.terraform.d when no CLI configuration file is named", () => {
    const mirror = join(home, "json-mirror");
    mirrorAt(mirror);
    mkdirSync(join(home, ".terraform.d"));
    writeFileSync(join(home, ".terraform.d", "mirror.tfrc.json"), JSON.stringify({ provider_installation: { filesystem_mirror: { path: mirror } } }));
    writeFileSync(join(home, ".terraformrc"), 'provider_installation {\n  filesystem_mirror {\n    path = "/empty/mirror"\n  }\n}\n');
    const candidates = mirrorCandidates(envFor()).map((candidate) => candidate.dir);
    expect(candidates.indexOf("/empty/mirror")).toBeLessThan(candidates.indexOf(mirror));
    // The .terraformrc mirror holds nothing, so the next documented place that does wins.
    expect(findProviderMirror(envFor())?.dir).toBe(mirror);
  });

  it("falls back to Terraform's implied local mirror directories, in Terraform's order", () => {
    mirrorAt(join(home, "shared", "terraform", "plugins"));
    const candidates = mirrorCandidates(envFor()).map((candidate) => candidate.dir);
    expect(candidates.slice(-3)).toEqual([
      join(home, ".terraform.d", "plugins"),
      join(home, "data", "terraform", "plugins"),
      join(home, "shared", "terraform", "plugins"),
    ]);
    const found = findProviderMirror(envFor());
    // /opt/tf-plugins comes before the implied places; on a machine that has it, it wins.
    const expected = readdirSync("/opt").includes("tf-plugins") ? "/opt/tf-plugins" : join(home, "shared", "terraform", "plugins");
    expect(found?.dir).toBe(expected);
  });
});

describe("planStackOffline (real terraform, offline mirror)", () => {
  const skip = skipWithoutTerraform("the offline terraform plan harness tests");
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), "plan-harness-test-"));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it.skipIf(skip)("plans a stack with an S3 backend, two aws provider blocks and an AWS-read data source, with no credentials, in a scratch copy", async () => {
    const before = readFileSync(join(FIXTURE, "cdk.tf.json"), "utf8");
    // A given value for the data source, merged over the defaults (the report's own test below plans with defaults only).
    const result = await planStackOffline(FIXTURE, { dataOverrides: { "data.aws_secretsmanager_secret_version.token": { version_id: "v1" } } });

    expect(result.mode).toBe("offline");
    expect(result.validate.valid).toBe(true);
    expect(result.summary).toMatchObject({ add: 2, change: 0, destroy: 0, replace: [] });
    expect(result.summary.changes.filter((c) => c.action === "create").map((c) => c.address)).toEqual([
      "aws_s3_bucket.binaries",
      "aws_s3_bucket_policy.binaries",
    ]);
    // The secret version would call AWS; the policy document is computed locally and must keep its real value.
    expect(result.overriddenData).toEqual(["data.aws_secretsmanager_secret_version.token"]);
    // The stack folder is untouched: no override file, no .terraform, same JSON.
    expect(readdirSync(FIXTURE)).toEqual(["cdk.tf.json"]);
    expect(readFileSync(join(FIXTURE, "cdk.tf.json"), "utf8")).toBe(before);
  });

  it.skipIf(skip)("rejects an invalid configuration with Terraform's own diagnostic and the resource address, one stack or several", async () => {
    cpSync(FIXTURE, scratch, { recursive: true });
    const json = JSON.parse(readFileSync(join(scratch, "cdk.tf.json"), "utf8"));
    json.resource.aws_s3_bucket.binaries.bucket_prefix = "conflicts-with-bucket";
    writeFileSync(join(scratch, "cdk.tf.json"), JSON.stringify(json));

    // Side by side (two Terraform processes, one per core): one stack, and several, where the failure names the invalid
    // one although the other plans.
    const [one, several] = await Promise.allSettled([planStackOffline(scratch), planStacksOffline([{ directory: FIXTURE }, { directory: scratch }])]);
    for (const attempt of [one, several]) {
      expect(attempt.status).toBe("rejected");
      expect((attempt as PromiseRejectedResult).reason).toBeInstanceOf(TerraformPlanError);
    }
    expect((one as PromiseRejectedResult).reason.message).toMatch(/Conflicting configuration arguments \(aws_s3_bucket\.binaries\)/);
    expect((several as PromiseRejectedResult).reason.message).toMatch(
      new RegExp(`failed for ${scratch}[\\s\\S]*Conflicting configuration arguments \\(aws_s3_bucket\\.binaries\\)`),
    );
  });

  it.skipIf(skip)("plans several stacks in one terraform test, each with its own data values, and refuses values for one a stack does not read", async () => {
    const results = await planStacksOffline([
      { directory: FIXTURE, dataOverrides: { "data.aws_secretsmanager_secret_version.token": { version_id: "v1" } } },
      { directory: FIXTURE },
    ]);
    expect(results).toHaveLength(2);
    for (const result of results) {
      expect(result).toMatchObject({ mode: "offline", validate: { valid: true, errorCount: 0 }, summary: { add: 2, change: 0, destroy: 0, replace: [] } });
      expect(result.overriddenData).toEqual(["data.aws_secretsmanager_secret_version.token"]);
    }
    expect(readdirSync(FIXTURE)).toEqual(["cdk.tf.json"]);

    await expect(planStackOffline(FIXTURE, { dataOverrides: { "data.aws_caller_identity.nope": {} } })).rejects.toThrow(
      /dataOverrides names data\.aws_caller_identity\.nope, which the stack does not read/,
    );
    await expect(planStacksOffline([{ directory: FIXTURE }, { directory: FIXTURE, dataOverrides: { "data.aws_caller_identity.nope": {} } }])).rejects.toThrow(
      /dataOverrides names data\.aws_caller_identity\.nope, which the stack does not read/,
    );
  });
});

describe("planStack online (real terraform, no credentials on this machine)", () => {
  const skip = skipWithoutTerraform("the online terraform plan harness test");

  it.skipIf(skip)("keeps the stack's own backend and credentials: without credentials, init stops at the S3 backend", async () => {
    const attempt = planStack(FIXTURE, { offline: false, pluginDir: process.env.TF_PLUGIN_DIR ?? "/opt/tf-plugins" });
    await expect(attempt).rejects.toThrow(/terraform init .* failed \(exit 1\)[\s\S]*No valid credential sources found[\s\S]*backend\/s3/);
  });
});

describe("planStackOffline preconditions", () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), "plan-harness-test-"));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it("names the providers a mirror lacks before running Terraform", async () => {
    writeFileSync(
      join(scratch, "cdk.tf.json"),
      JSON.stringify({ terraform: { required_providers: { google: { source: "google", version: "6.50.0" } } }, resource: {} }),
    );
    const emptyMirror = mkdtempSync(join(tmpdir(), "empty-mirror-"));
    try {
      await expect(planStackOffline(scratch, { pluginDir: emptyMirror })).rejects.toThrow(
        /lacks registry\.terraform\.io\/hashicorp\/google \(it holds nothing\)/,
      );
    } finally {
      rmSync(emptyMirror, { recursive: true, force: true });
    }
  });

  it("says to synthesize first when the folder holds no Terraform JSON", async () => {
    await expect(planStackOffline(scratch)).rejects.toThrow(/no \*\.tf\.json file; run `npm run synth` first/);
  });
});

describe("npm run report --offline on the AWS-shaped fixture stack (real terraform)", () => {
  const skip = skipWithoutTerraform("the report's offline terraform plan test");
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), "report-offline-test-"));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    rmSync(scratch, { recursive: true, force: true });
  });

  it.skipIf(skip)("puts the real plan counts in the report, with the data source Terraform could not read named", async () => {
    const outdir = join(scratch, "synth-out");
    cpSync(FIXTURE_OUTDIR, outdir, { recursive: true });
    vi.stubEnv("RECOVERY_CONFIG", EXAMPLE_CONFIG_PATH);
    vi.spyOn(console, "log").mockImplementation(() => undefined);

    expect(await main(["--outdir", outdir, "--offline"])).toBe(EXIT.ok);

    const markdown = readFileSync(join(outdir, "recovery-plan-recovery-aws.md"), "utf8");
    expect(markdown).toContain("| Terraform plan | 30 to add, 0 to change, 0 to destroy | | |");
    expect(markdown).toMatch(/Plan \(offline, terraform 1\.\d+\.\d+, providers from .*\): \*\*30 to add, 0 to change, 0 to destroy\.\*\*/);
    expect(markdown).toContain("`data.aws_secretsmanager_secret_version.cache_auth_token`");
  });
});

describe("the Terraform precondition of these tests", () => {
  const missing = detectTerraform({ TERRAFORM_BINARY: "/nonexistent/terraform" });

  it("detects a missing Terraform", () => {
    expect(missing).toMatchObject({ available: false, reason: expect.stringContaining("/nonexistent/terraform is not runnable") });
  });

  it("fails loudly in CI instead of skipping", () => {
    expect(() => skipWithoutTerraform("the plan tests", missing, { CI: "true" })).toThrow(/needs Terraform and the aws provider mirror, and CI=true/);
  });

  it("skips with a loud message elsewhere", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    expect(skipWithoutTerraform("the plan tests", missing, {})).toBe(true);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("!!! SKIPPING the plan tests"));
    warn.mockRestore();
  });
});
