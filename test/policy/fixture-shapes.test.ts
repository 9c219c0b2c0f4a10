/**
 * Fixtures are only worth something if they look like real synthesized JSON: every attribute and nested block name in
 * them must be one the provider bindings emit (`<name>: cdktf.xToTerraform(...)` in @cdktf/provider-*\/lib/<resource>).
 * Children of map attributes (`hashMapper`: labels, resource requests, Secret data) are free-form and not checked.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RECOVERY_PACK } from "../../policy/recovery-pack";
import { APPLY_TIME_FIXTURES } from "./apply-time-fixtures";
import { RULE_FIXTURES } from "./fixtures";

const PACKAGES: Readonly<Record<string, string>> = {
  aws: "provider-aws",
  google: "provider-google",
  azurerm: "provider-azurerm",
  kubernetes: "provider-kubernetes",
};
const sources = new Map<string, string | undefined>();

/** The bindings' JavaScript for a resource type, e.g. aws_rds_cluster -> @cdktf/provider-aws/lib/rds-cluster. */
function bindings(type: string): string | undefined {
  if (!sources.has(type)) {
    const [prefix, ...rest] = type.split("_");
    const dir = join(__dirname, "../../node_modules/@cdktf", PACKAGES[prefix ?? ""] ?? "-", "lib", rest.join("-"));
    const read = (folder: string): string[] =>
      readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? read(join(folder, entry.name)) : entry.name.endsWith(".js") ? [readFileSync(join(folder, entry.name), "utf8")] : [],
      );
    sources.set(type, existsSync(dir) ? read(dir).join("\n") : undefined);
  }
  return sources.get(type);
}

function unknownKeys(value: unknown, source: string, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) unknownKeys(item, source, found);
    return;
  }
  if (value === null || typeof value !== "object") return;
  for (const [key, child] of Object.entries(value)) {
    if (key === "//" || key === "lifecycle") continue;
    const emitted = new RegExp(`\\b${key}: (\\(0, [\\w.]+\\)|[\\w.]+)\\(`).exec(source);
    if (emitted === null) found.add(key);
    else if (!emitted[0].includes("hashMapper")) unknownKeys(child, source, found);
  }
}

const resources = Object.entries({ ...RULE_FIXTURES, ...APPLY_TIME_FIXTURES }).flatMap(([ruleId, fixtures]) =>
  [...fixtures.nonCompliant, ...fixtures.compliant].flatMap((fixture) =>
    Object.entries(fixture.json.resource ?? {}).flatMap(([type, named]) => Object.values(named).map((body) => ({ ruleId, fixture: fixture.name, type, body }))),
  ),
);

describe("rule scope", () => {
  const types = [...new Set(RECOVERY_PACK.flatMap(({ rule }) => (rule.appliesTo === "*" ? [] : rule.appliesTo)))].sort();

  it.each(types.map((type) => [type]))("names a resource type the provider bindings define: %s", (type) => {
    expect(bindings(type)).toBeDefined();
  });
});

describe("rule fixtures", () => {
  it.each([...new Set(resources.map((resource) => resource.type))].sort().map((type) => [type]))("use a resource type the bindings define: %s", (type) => {
    expect(bindings(type)).toBeDefined();
  });

  it("use only attribute and block names the provider bindings emit", () => {
    const problems = resources.flatMap(({ ruleId, fixture, type, body }) => {
      const source = bindings(type);
      if (source === undefined) return [];
      const found = new Set<string>();
      unknownKeys(body, source, found);
      return [...found].map((key) => `${ruleId} / ${fixture}: ${type} has no attribute ${key}`);
    });
    expect(problems).toEqual([]);
  });
});
