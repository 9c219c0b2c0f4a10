/**
 * The env loader's rules as modules/medplum/settings.ts encodes them, checked case by case against what Medplum's
 * packages/server/src/config/loader.ts (loadEnvConfig) and config/utils.ts do in 4.3.9 and 5.0.10.
 */
import {
  medplumSettingOf,
  medplumVariable,
  serverMajorVersion,
  unknownSettingProblem,
  MEDPLUM_VARIABLES,
  SUPPORTED_MAJOR_VERSIONS,
} from "../../modules/medplum";

describe("Medplum's env loader, as encoded", () => {
  it.each([
    // [variable, major, path, parsed as, exists]
    ["MEDPLUM_DATABASE_SSL", 5, "database.ssl", "object", true],
    ["MEDPLUM_DATABASE_SSL", 4, "database.ssl", "object", true],
    ["MEDPLUM_DATABASE_SSL_REQUIRE", 5, "database.sslRequire", "string", false],
    ["MEDPLUM_DATABASE_SSL_REJECT_UNAUTHORIZED", 4, "database.sslRejectUnauthorized", "string", false],
    ["MEDPLUM_AWS_REGION", 5, "awsRegion", "string", true],
    ["MEDPLUM_PORT", 4, "port", "integer", true],
    ["MEDPLUM_DATABASE_PORT", 5, "database.port", "integer", true],
    ["MEDPLUM_REDIS_TLS", 5, "redis.tls", "object", true],
    ["MEDPLUM_SMTP_HOST", 4, "smtp.host", "string", true],
    ["MEDPLUM_SMTP_PORT", 4, "smtp.port", "integer", true],
    ["MEDPLUM_SMTP_PASSWORD", 5, "smtp.password", "string", true],
    // `smtp` became JSON-valued in 5.x; 4.x reads MEDPLUM_SMTP as a plain string.
    ["MEDPLUM_SMTP", 5, "smtp", "object", true],
    ["MEDPLUM_SMTP", 4, "smtp", "string", true],
    // BULLMQ_ is a nested group only from 5.x on; the value stays a string (integerKeys lists "bullmq.concurrency",
    // but the loader looks up the bare "concurrency").
    ["MEDPLUM_BULLMQ_CONCURRENCY", 5, "bullmq.concurrency", "string", true],
    ["MEDPLUM_BULLMQ_CONCURRENCY", 4, "bullmqConcurrency", "string", false],
    // A top-level setting whose name starts with a group is unreachable from the environment.
    ["MEDPLUM_DATABASE_PROXY_ENDPOINT", 5, "database.proxyEndpoint", "string", false],
    // The typing looks at the key after the group is split off: redis.db arrives as a string.
    ["MEDPLUM_REDIS_DB", 5, "redis.db", "string", true],
    ["MEDPLUM_SIGNING_KEY_ID", 4, "signingKeyId", "string", true],
    ["MEDPLUM_DEFAULT_SUPER_ADMIN_EMAIL", 5, "defaultSuperAdminEmail", "string", true],
    ["MEDPLUM_DEFAULT_SUPER_ADMIN_EMAIL", 4, "defaultSuperAdminEmail", "string", false],
  ] as const)("%s on %d.x lands in %s (%s, exists: %s)", (variable, major, path, parsedAs, exists) => {
    expect(medplumSettingOf(variable, major)).toEqual({ path, parsedAs, exists });
  });

  it("ignores variables without the MEDPLUM_ prefix", () => {
    expect(medplumSettingOf("AWS_REGION", 5)).toBeUndefined();
  });

  it("names every variable this project sets so that both supported servers read it back into the same setting", () => {
    for (const variable of Object.values(MEDPLUM_VARIABLES)) {
      for (const major of SUPPORTED_MAJOR_VERSIONS) {
        const setting = medplumSettingOf(variable, major);
        expect(setting?.exists, `${variable} on ${major}.x`).toBe(true);
        expect(medplumVariable(setting!.path)).toBe(variable);
      }
    }
  });

  it("refuses to name a setting the environment cannot reach", () => {
    expect(() => medplumVariable("databaseProxyEndpoint")).toThrow(/MEDPLUM_DATABASE_PROXY_ENDPOINT would be read by Medplum 4.x as "database.proxyEndpoint"/);
    expect(() => medplumVariable("database.sslRequire")).toThrow(/not as the setting "database.sslRequire"/);
  });

  it("explains an unknown variable with the setting it would land in", () => {
    expect(unknownSettingProblem("MEDPLUM_DATABASE_SSL_REQUIRE", "medplum/medplum-server:5.0.10")).toBe(
      'Medplum 5.x reads MEDPLUM_DATABASE_SSL_REQUIRE as "database.sslRequire", which is not one of its settings (packages/server/src/config/types.ts), so the server ignores it',
    );
    expect(unknownSettingProblem("MEDPLUM_DEFAULT_SUPER_ADMIN_EMAIL", "medplum/medplum-server:4.3.9")).toMatch(
      /^Medplum 4.x reads MEDPLUM_DEFAULT_SUPER_ADMIN_EMAIL as/,
    );
    expect(unknownSettingProblem("MEDPLUM_DEFAULT_SUPER_ADMIN_EMAIL", "medplum/medplum-server:5.0.10")).toBeUndefined();
    // A digest names no version: the setting must exist in every supported server.
    expect(unknownSettingProblem("MEDPLUM_DEFAULT_SUPER_ADMIN_EMAIL", `medplum/medplum-server@sha256:${"a".repeat(64)}`)).toMatch(/Medplum 4.x/);
  });

  it("reads the major version from a pinned tag", () => {
    expect(serverMajorVersion("medplum/medplum-server:4.3.9")).toBe(4);
    expect(serverMajorVersion("registry.example.com:5000/medplum/medplum-server:v5.0.10-hotfix")).toBe(5);
    expect(serverMajorVersion(`medplum/medplum-server@sha256:${"a".repeat(64)}`)).toBeUndefined();
  });
});
