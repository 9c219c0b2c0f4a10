import { readFileSync } from "node:fs";
import { join } from "node:path";
import { withCurrentTable } from "../../policy/doc-table";
import { HIPAA_PACK } from "../../policy/pack";

describe("docs/policy.md", () => {
  const doc = readFileSync(join(__dirname, "../../docs/policy.md"), "utf8");

  it("carries the rule table generated from the pack (regenerate with npx tsx policy/doc-table.ts)", () => {
    expect(doc).toBe(withCurrentTable(doc));
  });

  it("names every unsuppressible rule in its suppression section", () => {
    const section = doc.slice(doc.indexOf("## Rules that cannot be suppressed"));
    for (const entry of HIPAA_PACK.filter((candidate) => candidate.unsuppressible)) expect(section).toContain(`\`${entry.rule.id}\``);
  });
});
