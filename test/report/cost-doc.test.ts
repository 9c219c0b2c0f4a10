/** docs/cost.md is facts/prices.ts in prose: every price there with the same figure, unit and page, labelled a model. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PRICE_TABLES } from "../../facts/prices";

const DOC = readFileSync(join(__dirname, "..", "..", "docs", "cost.md"), "utf8");

describe("docs/cost.md", () => {
  const entries = Object.entries(PRICE_TABLES).flatMap(([cloud, table]) => Object.entries(table.prices).map(([item, price]) => [cloud, item, price] as const));

  it.each(entries)("gives %s %s with the figure, unit and page facts/prices.ts uses", (cloud, item, price) => {
    const section = DOC.slice(
      DOC.indexOf(
        `### ${cloud === "aws" ? "AWS" : cloud === "gcp" ? "GCP" : "Azure"} (list price, ${PRICE_TABLES[cloud as keyof typeof PRICE_TABLES].region})`,
      ),
    );
    const row = section.split("\n").find((line) => line.includes(`| \`${item}\` |`));
    expect(row, `no row for ${cloud} ${item}`).toBeDefined();
    expect(row).toContain(`| ${price.usd} | ${price.unit} |`);
    expect(row).toContain(price.page);
  });

  it("labels every figure a list-price model and says they must be re-read", () => {
    expect(DOC).toContain("**list prices, us-east-1 / us-central1 / eastus, read 2026-12-02,\nmodel**");
    expect(DOC).toMatch(/Re-read each page\s+linked below before budgeting/);
    for (const table of Object.values(PRICE_TABLES)) expect(table.read).toMatch(/^2026-12-02, .*not re-read.*model$/);
  });

  it("cites public pages only", () => {
    for (const [, , price] of entries) expect(price.page).toMatch(/^https:\/\/(aws\.amazon\.com|cloud\.google\.com|azure\.microsoft\.com)\//);
    expect(DOC).not.toMatch(/REFERENCE|\.\.\/shared|\/work\//);
  });
});
