/**
 * docs/estimates.md is where the report's figures are sourced: every estimate and RPO entry must be there with the same
 * figures, every citation in the tables' sources must resolve to it, and nothing may point outside the repository.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CREATION_ESTIMATES, DEFAULT_ESTIMATE } from "../../report/estimates";
import { renderStackReport } from "../../report/render";
import { RPO_TABLE } from "../../report/rpo";
import { buildStackReport } from "../../report/stack-report";
import { exampleConfig, FIXTURE_STACK, fixtureStackJson } from "./helpers";

const DOC = readFileSync(join(__dirname, "..", "..", "docs", "estimates.md"), "utf8");
const rows = DOC.split("\n").filter((line) => line.startsWith("| `"));
/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const anchors = new Set(
  [...DOC.matchAll(/^#+ (.+)$/gm)].map((match) =>
    (match[1] as string)
      .toLowerCase()
      .replace(/[^a-z0-9 -]/g, "")
      .replace(/ /g, "-"),
  ),
);
const sourceLabels = new Set([...DOC.matchAll(/^\| ([A-Z]\d) \|/gm)].map((match) => match[1] as string));
const sources = [...CREATION_ESTIMATES, DEFAULT_ESTIMATE].map((entry) => entry.source).concat(RPO_TABLE.map((entry) => entry.source));

describe("docs/estimates.md", () => {
  it.each(CREATION_ESTIMATES.map((entry) => [`${entry.type}${entry.variant ? ` (${entry.variant})` : ""}`, entry] as const))(
    "gives %s with the figures report/estimates.ts uses",
    (_name, entry) => {
      const triple = `${entry.low} / ${entry.typical} / ${entry.high}`;
      const matching = rows.filter((row) => {
        const cells = row.split("|").map((cell) => cell.trim());
        return (cells[1] as string).includes(`\`${entry.type}\``) && cells.some((cell) => cell.split("; ").includes(triple));
      });
      expect(matching, `no row for \`${entry.type}\` with ${triple}`).not.toEqual([]);
    },
  );

  it.each(RPO_TABLE.map((entry) => [entry.mode as string, entry.cloud ?? "any", entry] as const))(
    "gives restore mode %s (%s) with the table's figure",
    (mode, cloud, entry) => {
      const row = rows.find((line) => line.startsWith(`| \`${mode}\` |`) && (cloud === "any" || line.toLowerCase().includes(`| ${cloud}`)));
      expect(row, `no RPO row for ${mode} on ${cloud}`).toBeDefined();
      if (entry.minutes !== undefined) expect(row).toContain(`| ${entry.minutes} min |`);
      else expect(row).toContain("**unknown**");
    },
  );

  it("resolves every section and source a figure cites", () => {
    for (const source of sources) {
      for (const [, anchor] of source.matchAll(/docs\/estimates\.md#([a-z0-9-]+)/g)) expect(anchors, source).toContain(anchor);
      for (const [, label] of source.matchAll(/docs\/estimates\.md, ([A-Z]\d)/g)) expect(sourceLabels, source).toContain(label);
    }
  });

  it("is what the figures cite; nothing cites a file outside the repository", () => {
    for (const text of [
      ...sources,
      renderStackReport(buildStackReport({ stack: { name: FIXTURE_STACK, json: fixtureStackJson() }, config: exampleConfig() })),
    ]) {
      expect(text).not.toMatch(/REFERENCE|\.\.\/shared|\/work\//);
    }
    expect(sources.filter((source) => source.includes("docs/estimates.md")).length).toBeGreaterThan(20);
  });

  it("names a page and how it was read for every source", () => {
    const table = DOC.slice(DOC.indexOf("## Sources"));
    for (const label of sourceLabels) expect(table).toMatch(new RegExp(`^\\| ${label} \\| .*https://\\S+.* \\| (page|quoted|not re-read|source)`, "m"));
  });
});
