import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { FORCE_NEW, hazardousRestoreInputs, ignoreChangesPath, ignoreForceNew } from "../../facts/force-new";

const PACKAGES: Readonly<Record<string, string>> = { aws: "provider-aws", google: "provider-google", azurerm: "provider-azurerm" };

/** The prebuilt bindings of a resource type: its JavaScript, and the provider version the package was generated from. */
function bindings(type: string): { source: string; version: string } {
  const [prefix, ...rest] = type.split("_");
  const root = join(__dirname, "../../node_modules/@cdktf", PACKAGES[prefix!]!);
  const dir = join(root, "lib", rest.join("-"));
  const read = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? read(join(folder, entry.name)) : entry.name.endsWith(".js") ? [readFileSync(join(folder, entry.name), "utf8")] : [],
    );
  const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { cdktf: { provider: { version: string } } }).cdktf.provider.version;
  return { source: existsSync(dir) ? read(dir).join("\n") : "", version };
}

describe.each(Object.values(FORCE_NEW).map((table) => [table.resourceType, table] as const))("facts/force-new.ts %s", (type, table) => {
  const { source, version } = bindings(type);

  it("is read at the provider version the bindings target, from a source file in the provider's public repository", () => {
    expect(table.version).toBe(version);
    expect(table.repository).toMatch(/^hashicorp\/terraform-provider-(aws|google|azurerm)$/);
    expect(table.sourceFile).toMatch(/^(internal|google)\/.+\.go$/);
  });

  it("names only attributes and blocks the bindings emit", () => {
    const paths = [...table.attributes.map((attribute) => attribute.path), ...table.restoreInputs.map((input) => input.path)];
    const unknown = paths.filter((path) => path.split(".").some((step) => !new RegExp(`\\b${step}: `).test(source)));
    expect(unknown).toEqual([]);
  });

  it("says where the provider declares each one, and why each identity attribute is stable", () => {
    for (const attribute of table.attributes) {
      expect(attribute.declaredBy, attribute.path).toMatch(/ForceNew|CustomizeDiff/);
      if (attribute.identity !== undefined) expect(attribute.identity.length, attribute.path).toBeGreaterThan(10);
      if (attribute.trigger === "condition" || attribute.trigger === "shrink" || attribute.trigger === "downgrade")
        expect(attribute.declaredBy, attribute.path).toMatch(/CustomizeDiff/);
    }
  });
});

describe("ignoreForceNew", () => {
  it("gives Terraform's ignore_changes syntax for nested blocks", () => {
    expect(ignoreForceNew("google_sql_database_instance", ["settings.disk_size", "encryption_key_name"])).toEqual([
      "settings[0].disk_size",
      "encryption_key_name",
    ]);
    expect(ignoreChangesPath("settings.ip_configuration.private_network")).toBe("settings[0].ip_configuration[0].private_network");
  });

  it("refuses an attribute that does not force replacement at the targeted version (aws_db_instance.identifier changes in place in 5.100.0)", () => {
    expect(() => ignoreForceNew("aws_db_instance", ["identifier"])).toThrow(
      /aws_db_instance\.identifier does not force replacement in hashicorp\/terraform-provider-aws 5\.100\.0/,
    );
  });

  it("refuses an identity attribute", () => {
    expect(() => ignoreForceNew("azurerm_postgresql_flexible_server", ["location"])).toThrow(/identity attribute/);
  });
});

describe("the restore inputs the plan report warns about", () => {
  it("are those that replace or restore over the database, not those read at creation only", () => {
    expect(hazardousRestoreInputs()).toEqual({
      aws_rds_cluster: ["snapshot_identifier", "restore_to_point_in_time", "s3_import"],
      aws_db_instance: ["snapshot_identifier", "restore_to_point_in_time", "s3_import"],
      google_sql_database_instance: ["restore_backup_context"],
      azurerm_postgresql_flexible_server: ["source_server_id", "point_in_time_restore_time_in_utc"],
    });
  });
});
