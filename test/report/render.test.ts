import { renderStackReport } from "../../report/render";
import { buildStackReport } from "../../report/stack-report";
import { evaluateStackJson, RECOVERY_PACK, type TerraformJson } from "../../policy";
import { exampleConfig, FIXTURE_STACK, fixtureStackJson, mermaidProblems } from "./helpers";

const NOW = new Date("2026-11-23T12:00:00Z");

/** The fixture with every hazard a reviewer must see. */
function hazardousStack() {
  const json = fixtureStackJson();
  const cluster = json.resource.aws_rds_cluster!.database_cluster!;
  delete cluster.lifecycle;
  cluster.deletion_protection = false;
  json.resource.aws_rds_cluster_instance!.database_writer!.publicly_accessible = true;
  const task = json.resource.aws_ecs_task_definition!.application_task!;
  task.container_definitions = (task.container_definitions as string).replace("medplum/medplum-server:4.3.9", "medplum/medplum-server:latest");
  json.resource.aws_ecs_task_definition!.sidecar = {
    ...task,
    container_definitions: JSON.stringify([{ name: "proxy", image: "registry.example.com:5000/proxy" }]),
  };
  json.resource.aws_route53_record!.traffic_api = {
    ...json.resource.aws_route53_record!.traffic_api,
    alias: undefined,
    type: "CNAME",
    ttl: 300,
    records: ["${aws_lb.application_lb.dns_name}"],
  };
  json.resource.aws_security_group!.database_sg!.ingress = [{ from_port: 5432, to_port: 5432, protocol: "tcp", cidr_blocks: ["0.0.0.0/0"] }];
  return json;
}

describe("renderStackReport", () => {
  describe("given the safe fixture stack", () => {
    const report = buildStackReport({ stack: { name: FIXTURE_STACK, json: fixtureStackJson() }, config: exampleConfig(), now: NOW });
    const markdown = renderStackReport(report);

    it("has every section, the recovery steps in the runbook's order", () => {
      const headings = [...markdown.matchAll(/^#{1,3} (.*)$/gm)].map((match) => match[1]);
      expect(headings).toEqual([
        "Recovery plan: `recovery-aws`",
        "Recovery at a glance",
        "Modeled RTO",
        "RPO",
        "DR tiers",
        "Static stability",
        "Policy findings",
        "Terraform plan",
        "Recovery steps",
        "1. Restore the database",
        "2. Provision the application tier",
        "3. Switch traffic",
        "4. Monitoring",
        "Resources and their dependencies",
      ]);
    });

    it("lists each step's resources with their key settings", () => {
      expect(markdown).toContain("| `database/cluster` | `aws_rds_cluster` | 20 min |");
      expect(markdown).toContain("| `database/writer` | `aws_rds_cluster_instance` | 8 min |");
      expect(markdown).toMatch(
        /^- `database\/cluster`: name `medplum-dr`, .*`engine_version=16\.6`.*`snapshot_identifier=arn:aws:rds:us-west-2:111122223333:cluster-snapshot:/m,
      );
      expect(markdown).toMatch(/^- `database\/writer`: name `medplum-dr-writer`, .*`instance_class=db\.r6g\.large`/m);
      expect(markdown).toMatch(/^- `application\/task`: .*`image=medplum\/medplum-server:4\.3\.9`/m);
      expect(markdown).toContain("Restore: mode `snapshot`, source `arn:aws:rds:us-west-2:111122223333:cluster-snapshot:medplum-prod-copy-2026-11-22`");
    });

    it("keeps every table to a few short columns (long settings go to collapsed lists)", () => {
      const rows = markdown.split("\n").filter((line) => line.startsWith("|"));
      expect(Math.max(...rows.map((row) => row.split(/(?<!\\)\|/).length - 2))).toBeLessThanOrEqual(6);
      expect(rows.filter((row) => /`[a-z_.]+=[^`]*`/.test(row))).toEqual([]);
      expect(markdown).toMatch(/^- `database\/cluster`: .*`engine_version=16\.6`/m);
    });

    it("draws the step-level graph first, the critical hops numbered in order and styled red by linkStyle", () => {
      const step = /```mermaid\n([\s\S]*?)\n```/.exec(markdown)?.[1] as string;
      const links = step
        .split("\n")
        .filter((line) => / (-->|==>)/.test(line))
        .map((line) => line.trim());
      expect(links.slice(0, 4)).toEqual([
        's_network ==>|"1"| s_database',
        's_database ==>|"2"| s_application',
        's_application ==>|"3"| s_traffic',
        's_traffic ==>|"4"| s_dns',
      ]);
      expect(links.slice(4).every((line) => line.includes(" --> "))).toBe(true);
      expect(step).toContain("linkStyle 0,1,2,3 stroke:#d00");
      expect(step.split("\n").filter((line) => /^\s+s_[a-z]+\["/.test(line))).toHaveLength(8);
      expect(markdown).toContain(
        "Critical path: **network** (1 min) → **database** (28.5 min) → **application** (4 min) → **traffic** (1 min) → **DNS tail** (2 min) = **36.5 min**.",
      );
      expect(markdown.indexOf("## Recovery at a glance")).toBeLessThan(markdown.indexOf("<summary>Resource-level dependency graph"));
    });

    it("draws a well-formed Mermaid graph with one subgraph per step", () => {
      expect(mermaidProblems(markdown)).toEqual([]);
      for (const step of ["database", "network", "cache", "storage", "application", "traffic", "monitoring"])
        expect(markdown).toContain(`subgraph step_${step}["${step}"]`);
    });

    it("prints the critical path, the total, and both comparisons", () => {
      expect(markdown).toContain("| 4 | `database/cluster` | database | 1.5 min | 20 min | 21.5 min |");
      expect(markdown).toContain("4. `aws_rds_cluster.database_cluster`: ");
      expect(markdown).toContain("DNS tail after aws_route53_record.traffic_api");
      expect(markdown).toContain("**Modeled RTO: 36.5 min**");
      expect(markdown).toContain("Seed runbook (sequential steps): 45-60 min; the model is 8.5 min shorter than its low end");
      expect(markdown).toContain("Objective `objectives.rtoMinutes`: 60 min; the model is within it (23.5 min to spare)");
    });

    it("says the snapshot RPO is unknown and how to bound it", () => {
      expect(markdown).toContain(`| RPO | **unknown** (restore mode \`snapshot\`) | ${exampleConfig().objectives.rpoMinutes} min | **cannot be checked** |`);
      expect(markdown).toContain("give restore.snapshotTakenAt in the config");
    });

    it("shows the policy pack's findings on the stack, with the caveat about suppressions made in code", () => {
      const section = markdown.slice(markdown.indexOf("## Policy findings"), markdown.indexOf("## Terraform plan"));
      // The hand-written fixture sets no rds.force_ssl: the pack flags it, as the synth would have.
      expect(section).toMatch(/^\| \*\*error\*\* `DatabaseTlsRequired` \| `recovery-aws\/database\/cluster` \| parameter group .* rds\.force_ssl/m);
      expect(section).toContain("a suppression made in code (suppressPolicy) is not in the JSON");
      expect(markdown).toMatch(/^\| Policy \| \*\*\d+ errors\*\*, \d+ warnings?, 0 suppressed \| \| \|$/m);
    });

    it("has no Warnings section of the report's own: the hazards are the policy pack's", () => {
      expect(markdown).not.toContain("## Warnings");
    });
  });

  describe("given a stack with a replaceable database, floating image tags, a public database and a 300 s TTL", () => {
    const report = buildStackReport({ stack: { name: FIXTURE_STACK, json: hazardousStack() }, config: exampleConfig(), now: NOW });
    const markdown = renderStackReport(report);
    // The hazards the policy pack owns come from the pack, the engine the synth runs, not from rules of the report's own.
    const policy = (rule: string) =>
      report.policy.findings.filter((finding) => finding.ruleId === rule).map((finding) => `${finding.address}: ${finding.message}`);

    it("flags, through the policy pack, that a re-apply would destroy the restored database", () => {
      expect(policy("DatabaseRestoreInputsIgnored")).toEqual([
        expect.stringMatching(/^aws_rds_cluster\.database_cluster: snapshot_identifier forces replacement but is not in lifecycle\.ignore_changes/),
      ]);
    });

    it("flags, through the policy pack, deletion protection being off", () => {
      expect(policy("DatabaseDeletionProtection")).toEqual([expect.stringMatching(/^aws_rds_cluster\.database_cluster: deletion_protection is not true/)]);
    });

    it("flags, through the policy pack, the latest tag and the untagged image", () => {
      expect(policy("ContainerImagePinned").join("\n")).toMatch(/medplum\/medplum-server:latest.*uses the floating tag "latest"/);
      expect(policy("ContainerImagePinned").join("\n")).toMatch(/registry\.example\.com:5000\/proxy.*has no tag, which means latest/);
    });

    it("flags, through the policy pack, the public database instance and the database open to 0.0.0.0/0", () => {
      expect(policy("DatabaseNotPublic")).toEqual([expect.stringMatching(/^aws_rds_cluster_instance\.database_writer: publicly_accessible is true/)]);
      expect(policy("NetworkIngressPrivate")).toEqual([
        "aws_security_group.database_sg: ingress from 0.0.0.0/0 to port 5432 opens PostgreSQL to the internet; remove the rule or limit its source to the private network",
      ]);
    });

    it("does not flag the load balancer's https ingress from anywhere", () => {
      expect(report.policy.findings.map((finding) => finding.address)).not.toContain("aws_security_group.application_lb_sg");
    });

    it("flags the TTL through the policy pack and counts it in the DNS tail", () => {
      expect(policy("DnsRecordTtl")).toEqual([expect.stringMatching(/^aws_route53_record\.traffic_api: ttl is 300; set it to 60 or less/)]);
      expect(report.rto.dnsTails).toEqual([expect.objectContaining({ ttlSeconds: 300, totalSeconds: 360 })]);
      expect(report.rto.minutes.typical).toBe(40.5);
    });

    it("shows the pack's findings in the Policy section", () => {
      const policySection = markdown.slice(markdown.indexOf("## Policy findings"));
      for (const rule of [
        "DatabaseRestoreInputsIgnored",
        "DatabaseDeletionProtection",
        "ContainerImagePinned",
        "DatabaseNotPublic",
        "NetworkIngressPrivate",
        "DnsRecordTtl",
      ]) {
        expect(policySection).toContain(`\`${rule}\``);
      }
    });
  });

  it("warns when the DNS switch does not wait for the servers, and not when it does", () => {
    const json = fixtureStackJson();
    const traffic = () =>
      evaluateStackJson(json as unknown as TerraformJson, FIXTURE_STACK, { suppressions: [] }, RECOVERY_PACK).findings.filter(
        (f) => f.ruleId === "TrafficAfterServers",
      );
    const waiting = traffic();
    delete json.resource.aws_route53_record!.traffic_api!.depends_on;
    const early = traffic();
    expect(waiting).toEqual([]);
    expect(early.map((f) => `${f.address}: ${f.message}`)).toEqual([
      expect.stringMatching(
        /^aws_route53_record\.traffic_api: switches traffic without waiting for aws_ecs_service\.application_service: users are sent to the recovery while the database is still being restored/,
      ),
    ]);
  });

  it("notes a stack synthesized from another restore mode than the config's", () => {
    const json = fixtureStackJson() as ReturnType<typeof fixtureStackJson> & { output: Record<string, { value: string }> };
    json.output.restore_mode = { value: "point-in-time" };
    const report = buildStackReport({ stack: { name: FIXTURE_STACK, json }, config: exampleConfig(), now: NOW });
    expect(renderStackReport(report)).toContain(
      '> **Note:** the stack\'s restore_mode output is "point-in-time" but the config chooses "snapshot": synthesize again before reviewing',
    );
  });

  it("accepts ignore_changes = all and a digest-pinned image", () => {
    const json = hazardousStack();
    json.resource.aws_rds_cluster!.database_cluster!.lifecycle = { ignore_changes: "all" };
    json.resource.aws_ecs_task_definition!.application_task!.container_definitions = JSON.stringify([
      { image: `medplum/medplum-server@sha256:${"a".repeat(64)}` },
    ]);
    const report = buildStackReport({ stack: { name: FIXTURE_STACK, json }, config: exampleConfig(), now: NOW });
    expect(report.policy.findings.filter((f) => f.ruleId === "DatabaseRestoreInputsIgnored")).toEqual([]);
    expect(report.policy.findings.filter((f) => f.ruleId === "ContainerImagePinned" && f.address === "aws_ecs_task_definition.application_task")).toEqual([]);
  });

  it("does not warn about a promoted Flexible Server replica keeping create_mode out of ignore_changes (create_mode is not ForceNew)", () => {
    const json = fixtureStackJson() as ReturnType<typeof fixtureStackJson> & { resource: Record<string, Record<string, Record<string, unknown>>> };
    json.resource.azurerm_postgresql_flexible_server = {
      database_server: {
        name: "medplum-prod-pg-replica",
        create_mode: "Replica",
        replication_role: "None",
        source_server_id: "/subscriptions/x/flexibleServers/medplum-prod-pg",
        lifecycle: { ignore_changes: ["source_server_id"], prevent_destroy: true },
      },
    };
    const report = buildStackReport({ stack: { name: FIXTURE_STACK, json }, config: exampleConfig(), now: NOW });
    expect(report.policy.findings.filter((f) => f.ruleId === "DatabaseRestoreInputsIgnored")).toEqual([]);
  });

  it("bolds every replacement the Terraform plan announces", () => {
    const report = buildStackReport({
      stack: { name: FIXTURE_STACK, json: fixtureStackJson() },
      config: exampleConfig(),
      now: NOW,
      plan: {
        status: "planned",
        how: "test",
        summary: { add: 1, change: 0, destroy: 1, replace: ["aws_rds_cluster.database_cluster"], changes: [] },
        overriddenData: [],
        validateWarnings: [],
      },
    });
    const markdown = renderStackReport(report);
    expect(markdown).toContain("| Terraform plan | 1 to add, 0 to change, 1 to destroy, **1 to replace** | | |");
    expect(markdown).toContain("- **REPLACES `aws_rds_cluster.database_cluster`**: destroyed and re-created");
  });
});
