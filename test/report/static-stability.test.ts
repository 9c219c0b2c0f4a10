/**
 * The report's static-stability check on real synthesized stacks: which single-region control planes a recovery's
 * apply calls, and the warning when one is the lost region's.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadRecoveryConfig } from "../../config/load";
import type { RecoveryConfig } from "../../config/schema";
import { buildDependencyGraph } from "../../report/graph";
import { toRecoveryPlan } from "../../report/model";
import { renderRecoveryPlan } from "../../report/render";
import { buildStackReport } from "../../report/stack-report";
import { lostRegionWarning, staticStability } from "../../report/static-stability";
import type { TerraformJson } from "../../report/stack-json";
import { buildRecoveryApp } from "../../stacks/app";
import { exampleConfig } from "../support/config";

const outdirs: string[] = [];
afterAll(() => {
  for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
});

function synthesized(config: RecoveryConfig, stack: string): TerraformJson {
  const outdir = mkdtempSync(join(tmpdir(), "medplum-dr-stability-"));
  outdirs.push(outdir);
  buildRecoveryApp(config, outdir).app.synth();
  return JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as TerraformJson;
}

describe("static stability of recovery-aws", () => {
  const example = exampleConfig();
  const json = synthesized(example, "recovery-aws");

  it("finds the example's backup-restore recovery out of us-east-1 calling IAM and Route 53 there", () => {
    const stability = staticStability("aws", example, buildDependencyGraph(json, "recovery-aws"));
    expect(stability.lostRegion).toBe("us-east-1");
    const byService = Object.fromEntries(stability.dependencies.map((dependency) => [dependency.service, dependency]));
    expect(Object.keys(byService).sort()).toEqual(["AWS IAM", "Amazon Route 53"]);
    // Every role and inline policy the stack creates, and the api record of the cut-over.
    const roles = Object.keys(json.resource?.aws_iam_role ?? {}).map((name) => `aws_iam_role.${name}`);
    expect(roles.length).toBeGreaterThan(0);
    expect(byService["AWS IAM"]!.addresses).toEqual(expect.arrayContaining(roles));
    expect(byService["Amazon Route 53"]!.addresses).toEqual(Object.keys(json.resource?.aws_route53_record ?? {}).map((name) => `aws_route53_record.${name}`));
    expect(stability.dependencies.every((dependency) => dependency.inLostRegion === true)).toBe(true);
    expect(lostRegionWarning(stability)).toMatch(
      /^the recovery calls the control plane of us-east-1, the region it recovers from: AWS IAM \(\d+\), Amazon Route 53 \(1\)$/,
    );
  });

  it("counts IAM reads (GetRole is an IAM API call) but not policy documents, which Terraform computes itself", () => {
    const fixture = {
      data: { aws_iam_policy_document: { trust: {} }, aws_iam_role: { adopted: { name: "medplum-dr-task" } } },
      resource: { aws_s3_bucket: { binaries: { bucket: "b" } } },
    } as TerraformJson;
    const stability = staticStability("aws", example, buildDependencyGraph(fixture));
    expect(stability.dependencies).toEqual([expect.objectContaining({ service: "AWS IAM", addresses: ["data.aws_iam_role.adopted"], inLostRegion: true })]);
  });

  it("lists the same services but warns of none when the lost region is not where their control planes run", () => {
    const config = { ...example, targets: { aws: { ...example.targets.aws!, primaryRegion: "us-east-2" } } };
    const stability = staticStability("aws", config, buildDependencyGraph(json, "recovery-aws"));
    expect(stability.dependencies.map((dependency) => dependency.inLostRegion)).toEqual([false, false]);
    expect(lostRegionWarning(stability)).toBeUndefined();
  });

  /** Every block of the stack that would call IAM: its resources, and its data sources other than local documents. */
  const iamBlocks = (stack: TerraformJson) => [
    ...Object.keys(stack.resource ?? {}).filter((type) => type.startsWith("aws_iam_")),
    ...Object.keys(stack.data ?? {}).filter((type) => type.startsWith("aws_iam_") && type !== "aws_iam_policy_document"),
  ];

  it("finds no control plane at all in the warm standby with the failover pair: the roles stand with their grants, and Route 53 answers", () => {
    const warm = loadRecoveryConfig(join(__dirname, "../../examples/aws-standby-warm.yaml"));
    const warmJson = synthesized(warm, "recovery-aws");
    const stability = staticStability("aws", warm, buildDependencyGraph(warmJson, "recovery-aws"));
    expect(stability.dependencies).toEqual([]);
    expect(lostRegionWarning(stability)).toBeUndefined();
    // Not by the check missing them: the stack has no IAM block, and runs its servers with the standing roles by ARN.
    expect(iamBlocks(warmJson)).toEqual([]);
    const taskDefinition = Object.values(warmJson.resource!.aws_ecs_task_definition!)[0] as { execution_role_arn: string };
    expect(taskDefinition.execution_role_arn).toBe("arn:aws:iam::111122223333:role/medplum-dr-server-execution");
  });

  it("finds only the Route 53 cut-over in the pilot light, whose routing is cut-over: no IAM", () => {
    const pilotLight = loadRecoveryConfig(join(__dirname, "../../examples/aws-standby-pilot-light.yaml"));
    const pilotJson = synthesized(pilotLight, "recovery-aws");
    const stability = staticStability("aws", pilotLight, buildDependencyGraph(pilotJson, "recovery-aws"));
    expect(stability.dependencies.map((dependency) => dependency.service)).toEqual(["Amazon Route 53"]);
    expect(stability.dependencies[0]!.addresses).toEqual(Object.keys(pilotJson.resource?.aws_route53_record ?? {}).map((name) => `aws_route53_record.${name}`));
    expect(iamBlocks(pilotJson)).toEqual([]);
    expect(lostRegionWarning(stability)).toBe("the recovery calls the control plane of us-east-1, the region it recovers from: Amazon Route 53 (1)");
  });

  it("puts the warning and the table in the recovery plan", () => {
    const report = buildStackReport({ stack: { name: "recovery-aws", json }, config: example, now: new Date("2026-12-01T00:00:00Z") });
    const markdown = renderRecoveryPlan(toRecoveryPlan(report));
    const section = markdown.slice(markdown.indexOf("## Static stability"), markdown.indexOf("## Policy findings"));
    expect(section).toContain("> **Warning:** this recovery calls the control plane of **us-east-1**, the region it recovers from: AWS IAM, Amazon Route 53.");
    expect(section).toMatch(/\| AWS IAM \| us-east-1 \| \d+ \| \*\*yes\*\* \|/);
    expect(section).toContain("https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/global-services.html");
  });
});

describe("static stability of recovery-azure", () => {
  const example = exampleConfig();
  const json = synthesized(example, "recovery-azure");

  it("asks to check the DNS zone's resource group, whose location the config does not give", () => {
    const stability = staticStability("azure", example, buildDependencyGraph(json, "recovery-azure"));
    const group = example.targets.azure!.dns.zoneResourceGroupName;
    expect(stability.dependencies).toHaveLength(1);
    expect(stability.dependencies[0]).toMatchObject({ inLostRegion: null, service: expect.stringContaining(`resource group ${group}`) });
    expect(stability.dependencies[0]!.addresses).toEqual(Object.keys(json.resource?.azurerm_dns_a_record ?? {}).map((name) => `azurerm_dns_a_record.${name}`));
    expect(lostRegionWarning(stability)).toBeUndefined();
  });
});

describe("static stability of recovery-gcp and recovery-k8s", () => {
  it("names no single-region control plane, and says what it cannot tell", () => {
    const example = exampleConfig();
    expect(staticStability("gcp", example, buildDependencyGraph(synthesized(example, "recovery-gcp"), "recovery-gcp"))).toMatchObject({
      dependencies: [],
      statement: expect.stringContaining("Not verified against an outage"),
    });
    expect(staticStability("kubernetes", example, buildDependencyGraph({}, "recovery-k8s"))).toMatchObject({
      dependencies: [],
      statement: expect.stringContaining("not modeled"),
    });
  });
});
