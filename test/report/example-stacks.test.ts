/**
 * The report on the real stacks: config/example.yaml synthesized by the project's own app, every target it names.
 * Checks the contract the report relies on (every resource under a step construct) and that the example, which users
 * copy, draws no warning. Prints each stack's modeled figures.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TARGET_ORDER, TARGETS } from "../../modules/registry";
import { EXIT, main } from "../../report/cli";
import { renderStackReport } from "../../report/render";
import { buildStackReport, type StackReport } from "../../report/stack-report";
import { standbyTargetOf } from "../../report/standby-report";
import { readSynthesizedStacks } from "../../report/stack-json";
import { buildRecoveryApp } from "../../stacks/app";
import { EXAMPLE_CONFIG_PATH, exampleConfig, mermaidProblems } from "./helpers";
import { skipWithoutTerraform } from "./terraform-helpers";

const config = exampleConfig();

/**
 * Findings on the example that its owners know about; each entry is a hazard to fix in the target's module, after
 * which this test fails until the entry is removed, or a check no module can do for the operator.
 */
const KNOWN_FINDINGS: Readonly<Record<string, readonly string[]>> = {
  // The example names no RDS CA bundle (targets.aws.database.caBundleFile): it is downloaded from AWS in peacetime, and
  // a placeholder would not verify anything. The warning is what a team sees until it sets one.
  "recovery-aws": [expect.stringMatching(/^DatabaseCertificateVerified aws_ecs_task_definition\./) as unknown as string],
  // external-dns's ownership is its controller's --txt-owner-id, outside the stack: the runbook checks the record moved.
  "recovery-k8s": ["ExternalDnsOwnership kubernetes_ingress_v1.application_workload_ingress_07DAC8BF"],
};
/** The pack's rules for the hazards the report used to check itself (before one rule engine). */
const RECOVERY_HAZARD_RULES = [
  "NetworkIngressPrivate",
  "ExternalDnsTtl",
  "ExternalDnsOwnership",
  "TrafficAfterServers",
  "DatabaseCertificateVerified",
  "AksVersionSupported",
  "DnsRecordTtl",
  "DatabaseNotPublic",
  "CacheNotPublic",
];
const STACKS = TARGET_ORDER.filter((target) => config.targets[target] !== undefined).map((target) => TARGETS[target].stackName);

/** The example synthesized once for the whole file: the offline plan below reads the same stacks. */
let outdir: string;
beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), "report-example-"));
  buildRecoveryApp(config, outdir).app.synth();
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe("the report on config/example.yaml", () => {
  const reports = new Map<string, StackReport>();
  beforeAll(() => {
    // The standby stacks get a standby plan instead (test/report/standby-report.test.ts).
    for (const stack of readSynthesizedStacks(outdir))
      if (standbyTargetOf(stack.name) === undefined) reports.set(stack.name, buildStackReport({ stack, config }));
  });
  afterAll(() => {
    for (const report of reports.values()) {
      console.log(
        `${report.stack}: modeled RTO ${report.rto.minutes.typical} min (low ${report.rto.minutes.low}, high ${report.rto.minutes.high}); RPO ${report.rpo.minutes ?? "unknown"} (${report.rpo.mode})`,
      );
    }
  });

  it("covers every target the example names", () => {
    expect([...reports.keys()].sort()).toEqual([...STACKS].sort());
  });

  describe.each(STACKS)("%s", (stackName) => {
    const report = () => reports.get(stackName) as StackReport;

    it("finds every resource under one of RecoveryStack's step constructs", () => {
      expect(
        report()
          .graph.nodes.filter((node) => node.kind === "resource" && node.step === "stack")
          .map((node) => node.label),
      ).toEqual([]);
    });

    it("restores a database and runs servers (traffic and monitoring may live outside the stack, e.g. external-dns)", () => {
      const steps = new Set(
        report()
          .graph.nodes.filter((node) => node.kind === "resource")
          .map((node) => node.step),
      );
      for (const step of ["database", "application"]) expect(steps).toContain(step);
    });

    it("models a critical path through the database restore, and a DNS tail after the switch", () => {
      const path = report().rto.path;
      expect(path.some((step) => step.step === "database" && step.minutes >= 5)).toBe(true);
      expect(report().rto.dnsTails.length).toBeGreaterThan(0);
      expect(report().rto.minutes.typical).toBeGreaterThan(path.filter((step) => step.step === "database").reduce((sum, step) => sum + step.minutes, 0));
    });

    it("draws no recovery-hazard finding beyond the known ones: the example users copy is safe", () => {
      const hazards = report().policy.findings.filter((finding) => RECOVERY_HAZARD_RULES.includes(finding.ruleId) && finding.suppressedBecause === undefined);
      expect(hazards.map((finding) => `${finding.ruleId} ${finding.address}`)).toEqual(KNOWN_FINDINGS[stackName] ?? []);
    });

    it("renders a well-formed Mermaid graph", () => {
      expect(mermaidProblems(renderStackReport(report()))).toEqual([]);
    });
  });
});

describe("npm run report --offline on config/example.yaml's recovery-aws (real terraform)", () => {
  const skip = !STACKS.includes("recovery-aws") || skipWithoutTerraform("the example recovery-aws offline plan in the report");
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it.skipIf(skip)("plans the whole stack offline, creating and replacing nothing it should not", async () => {
    vi.stubEnv("RECOVERY_CONFIG", EXAMPLE_CONFIG_PATH);
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));

    expect(await main(["--outdir", outdir, "--stack", "recovery-aws", "--offline"])).toBe(EXIT.ok);

    const markdown = readFileSync(join(outdir, "recovery-plan-recovery-aws.md"), "utf8");
    const counts = /\| Terraform plan \| (\d+) to add, (\d+) to change, (\d+) to destroy \|/.exec(markdown);
    expect(counts).not.toBeNull();
    expect(Number(counts?.[1])).toBeGreaterThan(20);
    expect([counts?.[2], counts?.[3]]).toEqual(["0", "0"]);
    expect(markdown).not.toContain("REPLACES");
    console.warn(lines.join("\n"));
  });
});
