import { readdirSync } from "node:fs";
import { join } from "node:path";
import { evaluateStackJson } from "../../policy/engine";
import { HIPAA_PACK } from "../../policy/pack";
import { RULE_FIXTURES } from "./fixtures";
import { findingsOf, STACK, stack } from "./helpers";

describe.each(HIPAA_PACK.map((entry) => [entry.rule.id] as const))("%s", (ruleId) => {
  const fixtures = RULE_FIXTURES[ruleId] ?? { nonCompliant: [], compliant: [] };

  it.each(fixtures.nonCompliant.map((fixture) => [fixture.name, fixture] as const))("non-compliance: %s", (_name, fixture) => {
    const findings = findingsOf(ruleId, fixture.json);
    expect(findings.map((finding) => finding.ruleId)).toEqual(findings.map(() => ruleId));
    expect(findings.map((finding) => finding.address).sort()).toEqual([...(fixture.flagged ?? [])].sort());
    for (const finding of findings) expect(finding.message).toMatch(/;|set|add|remove|use/);
  });

  it.each(fixtures.compliant.map((fixture) => [fixture.name, fixture] as const))("compliance: %s", (_name, fixture) => {
    expect(findingsOf(ruleId, fixture.json)).toEqual([]);
  });
});

describe("the pack", () => {
  const ids = HIPAA_PACK.map((entry) => entry.rule.id);

  it("gives every rule a unique id", () => {
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("wires every rule file, each named after its rule id", () => {
    const files = readdirSync(join(__dirname, "../../policy/rules"))
      .filter((file) => file.endsWith(".ts"))
      .sort();
    const expected = ids.map((id) => `${id.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase()}.ts`).sort();
    expect(files).toEqual(expected);
  });

  it("has at least one non-compliant and one compliant fixture for every rule, and none for unknown rules", () => {
    const lacking = ids.filter((id) => (RULE_FIXTURES[id]?.nonCompliant.length ?? 0) === 0 || (RULE_FIXTURES[id]?.compliant.length ?? 0) === 0);
    expect(lacking).toEqual([]);
    expect(Object.keys(RULE_FIXTURES).filter((id) => !ids.includes(id))).toEqual([]);
  });

  /** Rules whose provider defaults are safe, so leaving the attribute out is compliant by design. */
  const SAFE_WHEN_OMITTED: Readonly<Record<string, string>> = {
    BucketNoForceDestroy: "force_destroy defaults to false",
    StorageSecureTransport: "https_traffic_only_enabled defaults to true and min_tls_version to TLS1_2",
    NoSecretLiterals: "an omitted attribute holds no secret",
  };

  it("covers the attribute-omitted case for every rule whose provider default is unsafe", () => {
    const lacking = ids.filter(
      (id) =>
        SAFE_WHEN_OMITTED[id] === undefined && !(RULE_FIXTURES[id]?.nonCompliant ?? []).some((fixture) => /omitted|without|\bno\b|neither/.test(fixture.name)),
    );
    expect(lacking).toEqual([]);
  });

  it("maps every rule to at least one HIPAA control and gives it a one-line description", () => {
    for (const entry of HIPAA_PACK) {
      expect(entry.controls.length, entry.rule.id).toBeGreaterThan(0);
      expect(entry.rule.description, entry.rule.id).toMatch(/^[A-Z][^\n]*\.$/);
    }
  });

  it.each(HIPAA_PACK.filter((entry) => entry.unsuppressible).map((entry) => [entry.rule.id, entry] as const))(
    "refuses to suppress the core PHI rule %s",
    (ruleId) => {
      const fixture = RULE_FIXTURES[ruleId]!.nonCompliant[0]!;
      const report = evaluateStackJson(fixture.json, STACK, { suppressions: [{ rule: ruleId, resource: "*", reason: "we accept the risk for now" }] });
      expect(report.suppressionErrors).toEqual([expect.stringContaining(`${ruleId} protects PHI directly and cannot be suppressed`)]);
      expect(report.findings.filter((finding) => finding.ruleId === ruleId && finding.suppressedBecause === undefined).length).toBeGreaterThan(0);
    },
  );

  it("treats exactly the four core PHI protections as unsuppressible", () => {
    expect(HIPAA_PACK.filter((entry) => entry.unsuppressible).map((entry) => entry.rule.id)).toEqual([
      "DatabaseStorageEncrypted",
      "DatabaseNotPublic",
      "BucketPublicAccessBlocked",
      "NoSecretLiterals",
    ]);
  });

  it("finds nothing in an empty stack", () => {
    expect(evaluateStackJson(stack({}), STACK, { suppressions: [] }).findings).toEqual([]);
  });
});
