/**
 * The contract with the config file: `policy.suppressions` entries are exactly `PolicySuppression`s (checked by tsc in
 * both directions), and a suppression written in YAML reaches the engine and is honoured there.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseRecoveryConfig } from "../../config/load";
import type { RecoveryConfig } from "../../config/schema";
import { evaluateStackJson, type PolicySuppression } from "../../policy";
import { STACK } from "./helpers";

type ConfigSuppression = RecoveryConfig["policy"]["suppressions"][number];
const fromConfig = (suppression: ConfigSuppression): PolicySuppression => suppression;
const toConfig = (suppression: PolicySuppression): ConfigSuppression => suppression;

const EXAMPLE = readFileSync(join(__dirname, "../../config/example.yaml"), "utf8");

function withSuppressions(yaml: string): RecoveryConfig {
  const text = EXAMPLE.replace(/^ {2}suppressions: \[\]$/m, yaml);
  if (text === EXAMPLE) throw new Error("config/example.yaml no longer has `  suppressions: []` under policy; update this test");
  return parseRecoveryConfig(text, "example.yaml with suppressions");
}

describe("policy suppressions in the config file", () => {
  it("are PolicySuppressions, field for field", () => {
    const suppression = { rule: "LogRetention", resource: "application/logs", reason: "shipped to the central SIEM within minutes" };
    expect(toConfig(fromConfig(suppression))).toEqual(suppression);
  });

  it("suppress a finding when given with a reason", () => {
    const config = withSuppressions(
      ["  suppressions:", "    - rule: LogRetention", "      resource: logs/*", "      reason: shipped to the central SIEM within minutes"].join("\n"),
    );
    const json = { resource: { aws_cloudwatch_log_group: { app: { retention_in_days: 30, "//": { metadata: { path: `${STACK}/logs/app` } } } } } };
    const report = evaluateStackJson(json, STACK, config.policy);
    expect(report.suppressionErrors).toEqual([]);
    expect(report.findings.map((finding) => [finding.ruleId, finding.suppressedBecause])).toEqual([
      ["LogRetention", "shipped to the central SIEM within minutes"],
    ]);
  });

  it("are refused by the config loader when the reason is too short", () => {
    expect(() => withSuppressions(["  suppressions:", "    - rule: LogRetention", "      resource: logs/*", "      reason: ok"].join("\n"))).toThrow(/reason/);
  });
});
