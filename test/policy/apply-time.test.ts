import { readdirSync } from "node:fs";
import { join } from "node:path";
import { APPLY_TIME_PACK } from "../../policy/apply-time-pack";
import { HIPAA_PACK } from "../../policy/pack";
import { APPLY_TIME_FIXTURES } from "./apply-time-fixtures";
import { findingsOf, STACK, stack } from "./helpers";
import { evaluateStackJson, formatPolicyReport, hasBlockingFindings, RECOVERY_PACK } from "../../policy";

describe.each(APPLY_TIME_PACK.map((entry) => [entry.rule.id] as const))("%s", (ruleId) => {
  const fixtures = APPLY_TIME_FIXTURES[ruleId] ?? { nonCompliant: [], compliant: [] };

  it.each(fixtures.nonCompliant.map((fixture) => [fixture.name, fixture] as const))("non-compliance: %s", (_name, fixture) => {
    const findings = findingsOf(ruleId, fixture.json);
    expect(findings.map((finding) => finding.ruleId)).toEqual(findings.map(() => ruleId));
    expect(findings.map((finding) => finding.address).sort()).toEqual([...(fixture.flagged ?? [])].sort());
    for (const finding of findings) expect(finding.message).toMatch(/;|set|add|remove|use|name|import/);
  });

  it.each(fixtures.compliant.map((fixture) => [fixture.name, fixture] as const))("compliance: %s", (_name, fixture) => {
    expect(findingsOf(ruleId, fixture.json)).toEqual([]);
  });
});

describe("the apply-time rule set", () => {
  const ids = APPLY_TIME_PACK.map((entry) => entry.rule.id);

  it("gives every rule an id unique across both sets", () => {
    const all = RECOVERY_PACK.map((entry) => entry.rule.id);
    expect(new Set(all).size).toBe(all.length);
  });

  it("wires every file of policy/apply-time, each named after its rule id", () => {
    const files = readdirSync(join(__dirname, "../../policy/apply-time"))
      .filter((file) => file.endsWith(".ts"))
      .sort();
    expect(files).toEqual(ids.map((id) => `${id.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase()}.ts`).sort());
  });

  it("has at least one non-compliant and one compliant fixture for every rule, and none for unknown rules", () => {
    expect(ids.filter((id) => (APPLY_TIME_FIXTURES[id]?.nonCompliant.length ?? 0) === 0 || (APPLY_TIME_FIXTURES[id]?.compliant.length ?? 0) === 0)).toEqual([]);
    expect(Object.keys(APPLY_TIME_FIXTURES).filter((id) => !ids.includes(id))).toEqual([]);
  });

  it("cites, for every rule, the provider source file or vendor doc it encodes, and maps to no HIPAA control", () => {
    for (const { rule, controls, ruleSet } of APPLY_TIME_PACK) {
      expect(rule.source, rule.id).toMatch(/hashicorp\/terraform-provider-(aws|google|azurerm)|https:\/\/|facts\//);
      expect(rule.description, rule.id).toMatch(/^[A-Z][^\n]*\.$/);
      expect(controls, rule.id).toEqual([]);
      expect(ruleSet, rule.id).toBe("apply-time");
    }
  });

  it("blocks the synth on an error, names the set in the summary and the source under the finding", () => {
    const fixture = APPLY_TIME_FIXTURES.FlexibleServerPromotionPairing!.nonCompliant[0]!;
    const report = evaluateStackJson(fixture.json, STACK, { suppressions: [] }, RECOVERY_PACK);
    expect(hasBlockingFindings([report])).toBe(true);
    const text = formatPolicyReport([report]);
    expect(text).toMatch(
      new RegExp(
        `^policy ${STACK}: \\d+ errors?, \\d+ warnings?, 0 suppressed \\(${HIPAA_PACK.length} HIPAA-aligned rules, ${APPLY_TIME_PACK.length} apply-time rules\\)$`,
        "m",
      ),
    );
    expect(text).toContain("  ERROR FlexibleServerPromotionPairing at recovery-test/db (azurerm_postgresql_flexible_server.db)");
    expect(text).toContain(
      "    apply-time rule; source: hashicorp/terraform-provider-azurerm v4.55.0 internal/services/postgres/postgresql_flexible_server_resource.go",
    );
  });

  it("accepts a suppression of an apply-time rule with a reason (a record config says is new), keeping it on record", () => {
    const fixture = APPLY_TIME_FIXTURES.DnsRecordAdopted!.nonCompliant[0]!;
    const suppression = { rule: "DnsRecordAdopted", resource: "api", reason: "targets.azure.dns says the api record does not exist yet" };
    const report = evaluateStackJson(fixture.json, STACK, { suppressions: [suppression] }, RECOVERY_PACK);
    expect(report.suppressionErrors).toEqual([]);
    expect(report.findings.filter((finding) => finding.ruleId === "DnsRecordAdopted")).toEqual([
      expect.objectContaining({ suppressedBecause: suppression.reason }),
    ]);
  });

  it("finds nothing in an empty stack", () => {
    expect(evaluateStackJson(stack({}), STACK, { suppressions: [] }, APPLY_TIME_PACK).findings).toEqual([]);
  });
});
