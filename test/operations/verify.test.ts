import type { ClientCredentials, CredentialSource } from "../../operations/credentials";
import { CredentialsUnavailableError, EnvironmentCredentialSource } from "../../operations/credentials";
import { verifyResultSchema, type CheckResult, type VerifyResult } from "../../operations/verify/result";
import { renderVerifyText, runVerify } from "../../operations/verify/run";
import { exampleConfig, type ConfigOverrides } from "../support/config";
import { closedPortUrl, MedplumTestDouble, resource } from "./medplum-test-double";

const AT = new Date("2026-11-30T08:00:00Z");
const credentials: CredentialSource = {
  description: "the test",
  resolve: async (): Promise<ClientCredentials> => ({ clientId: "client-1", clientSecret: "s3cret" }),
};

/** A recovered Medplum whose newest write before the disaster is an Observation at 07:55, 5 minutes before it. */
function healthyDouble(): MedplumTestDouble {
  return new MedplumTestDouble().add(
    resource("Patient", "p1", "2026-11-30T07:50:00.000Z", { identifier: [{ system: "https://acme.example/mrn", value: "000001" }] }),
    resource("Observation", "o-old", "2026-11-29T10:00:00.000Z"),
    resource("Observation", "o1", "2026-11-30T07:55:00.000Z"),
    // Written to the recovered environment after it came up: must not count as "the newest write before the disaster".
    resource("Observation", "o-after", "2026-11-30T08:40:00.000Z"),
    resource("Binary", "b1", "2026-11-30T07:58:00.000Z", { contentType: "application/pdf" }),
  );
}

let double: MedplumTestDouble | undefined;
afterEach(async () => {
  await double?.stop();
  double = undefined;
});

async function verifyAgainst(
  server: MedplumTestDouble | string,
  overrides: ConfigOverrides = {},
  source: CredentialSource = credentials,
): Promise<VerifyResult> {
  const baseUrl = typeof server === "string" ? server : (await (double = server).start()).baseUrl;
  const config = exampleConfig({
    medplum: { image: "medplum/medplum-server:5.0.10" },
    objectives: { rpoMinutes: 15 },
    verify: {
      rpoResourceTypes: ["Patient", "Observation", "Encounter"],
      canaries: [{ name: "MRN 000001", search: "Patient?identifier=https://acme.example/mrn|000001" }],
    },
    ...overrides,
  });
  const result = await runVerify({
    stack: "recovery-aws",
    baseUrl,
    image: config.medplum.image,
    disasterTime: AT,
    rpoObjectiveMinutes: config.objectives.rpoMinutes,
    verify: config.verify,
    credentials: source,
  });
  // Every result, good or bad, has the shape the drill record embeds.
  expect(verifyResultSchema.safeParse(result).success).toBe(true);
  return result;
}

const check = (result: VerifyResult, id: CheckResult["id"]) => {
  const found = result.checks.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no ${id} check in ${JSON.stringify(result.checks)}`);
  return found;
};
const statuses = (result: VerifyResult) => Object.fromEntries(result.checks.map((c) => [c.name, c.status]));

describe("verify against a healthy recovered Medplum (test double)", () => {
  it("passes every check and measures the RPO from the newest write before the disaster", async () => {
    const server = healthyDouble();
    server.state.storage.set("b1", Buffer.from("%PDF-1.7 recovered"));
    const result = await verifyAgainst(server);

    expect(statuses(result)).toEqual({
      healthcheck: "pass",
      "server-version": "pass",
      "capability-statement": "pass",
      token: "pass",
      rpo: "pass",
      'canary "MRN 000001"': "pass",
      binary: "pass",
      // The test client is not a super admin's: Medplum answers 403 there.
      "post-deploy-migrations": "skip",
    });
    expect(result.passed).toBe(true);
    expect(result.rpo.measuredMinutes).toBe(5);
    expect(result.rpo.newestWrite).toEqual({ resourceType: "Observation", id: "o1", lastUpdated: "2026-11-30T07:55:00.000Z" });
    expect(result.rpo.byResourceType.find((entry) => entry.resourceType === "Observation")?.writtenAfterDisaster).toBe(true);
    expect(check(result, "rpo").summary).toMatch(/measured 5 min .*within the objective of 15 min; Observation also has writes after --at/);
    expect(check(result, "binary").summary).toBe("Binary/b1 read back through Medplum from binary storage: 18 bytes of application/pdf");
    expect(result.server).toEqual({ version: "5.0.10-3b9c1e2", expectedVersion: "5.0.10" });
  });

  it("searches newest first with the client's token, and reads the Binary's content, not its JSON", async () => {
    const server = healthyDouble();
    server.state.storage.set("b1", Buffer.from("x"));
    await verifyAgainst(server);
    const paths = server.requests.map((request) => `${request.method} ${request.path}`);
    expect(paths).toContain("GET /fhir/R4/Observation?_sort=-_lastUpdated&_count=1");
    expect(paths).toContain("GET /fhir/R4/Observation?_sort=-_lastUpdated&_count=1&_lastUpdated=le2026-11-30T08%3A00%3A00.000Z");
    const token = server.requests.find((request) => request.path === "/oauth2/token");
    expect(token?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(new URLSearchParams(token?.body).get("grant_type")).toBe("client_credentials");
    const binaryRead = server.requests.find((request) => request.path === "/fhir/R4/Binary/b1");
    expect(binaryRead?.headers.accept).toBe("*/*");
    expect(
      server.requests
        .filter((request) => request.path.startsWith("/fhir/R4/Observation"))
        .every((request) => request.headers.authorization === "Bearer token-1"),
    ).toBe(true);
  });

  it("prints one line per check and the verdict", async () => {
    const server = healthyDouble();
    server.state.storage.set("b1", Buffer.from("x"));
    const lines = renderVerifyText(await verifyAgainst(server))
      .trimEnd()
      .split("\n");
    expect(lines).toHaveLength(1 + 8 + 1);
    expect(lines[1]).toBe("PASS healthcheck: ok, PostgreSQL and Redis reachable, Medplum 5.0.10-3b9c1e2");
    expect(lines.at(-1)).toBe("verify passed: 8 checks");
  });
});

describe("verify against a Medplum that is not recovered (test double)", () => {
  it("fails when the server is down (connection refused), and skips what needs a token", async () => {
    const result = await verifyAgainst(await closedPortUrl());
    expect(result.passed).toBe(false);
    expect(check(result, "healthcheck").status).toBe("fail");
    expect(check(result, "healthcheck").summary).toMatch(/healthcheck: connection refused/);
    expect(check(result, "capability-statement").status).toBe("fail");
    expect(check(result, "token").summary).toMatch(/connection refused/);
    expect(check(result, "rpo")).toMatchObject({ status: "skip", summary: "needs a token" });
    expect(result.rpo.measuredMinutes).toBeNull();
  });

  it("fails the healthcheck when Medplum cannot PING Redis (500 from its error handler)", async () => {
    const server = healthyDouble();
    server.state.health = "redis-error";
    const result = await verifyAgainst(server);
    expect(check(result, "healthcheck").status).toBe("fail");
    expect(check(result, "healthcheck").summary).toBe(
      "HTTP 500: Internal Server Error; Medplum answers 500 when its SELECT 1 on PostgreSQL or its Redis PING fails: the server log names which",
    );
    expect(result.passed).toBe(false);
  });

  it("fails the healthcheck when it hangs past the request timeout (ioredis queues the PING while Redis is away)", async () => {
    const server = healthyDouble();
    server.state.health = "redis-hang";
    server.state.hangMs = 2_500;
    const started = Date.now();
    const result = await verifyAgainst(server, { verify: { requestTimeoutSeconds: 1, rpoResourceTypes: ["Patient"] } });
    expect(check(result, "healthcheck").summary).toMatch(/no answer within 1 s \(timed out\); Medplum's \/healthcheck waits for PostgreSQL and Redis/);
    expect(check(result, "server-version").status).toBe("skip");
    // Bounded by the timeout, not by the server.
    expect(check(result, "healthcheck").elapsedMs).toBeLessThan(2_000);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("fails when the server runs another version than medplum.image pins", async () => {
    const server = healthyDouble();
    server.state.version = "5.0.9-0a1b2c3";
    server.state.storage.set("b1", Buffer.from("x"));
    const result = await verifyAgainst(server);
    expect(check(result, "server-version").status).toBe("fail");
    expect(check(result, "server-version").summary).toMatch(/^the server runs 5\.0\.9 \(5\.0\.9-0a1b2c3\), but medplum\.image pins 5\.0\.10/);
    expect(result.passed).toBe(false);
  });

  it("says a digest-pinned image cannot be compared, without failing", async () => {
    const server = healthyDouble();
    server.state.storage.set("b1", Buffer.from("x"));
    const result = await verifyAgainst(server, { medplum: { image: `medplum/medplum-server@sha256:${"a".repeat(64)}` } });
    expect(check(result, "server-version")).toMatchObject({ status: "skip" });
    expect(check(result, "server-version").summary).toMatch(/pinned by digest .* names no version to compare with the server's 5\.0\.10-3b9c1e2/);
    expect(result.passed).toBe(true);
  });

  it("fails every authenticated check when the token is refused (401: expired, or signed with an unknown key)", async () => {
    const server = healthyDouble();
    server.state.tokens = "rejected";
    const result = await verifyAgainst(server);
    expect(check(result, "token").status).toBe("pass");
    expect(check(result, "rpo").status).toBe("fail");
    expect(check(result, "rpo").summary).toMatch(/^HTTP 401: Unauthorized; the server refused the token it had just issued/);
    expect(check(result, "canary").status).toBe("fail");
    expect(check(result, "binary").status).toBe("fail");
    expect(check(result, "post-deploy-migrations").status).toBe("fail");
    // The RPO search stops at the first 401 instead of trying every type.
    expect(
      server.requests.filter((request) => /^\/fhir\/R4\/(Patient|Observation|Encounter)\?_sort/.test(request.path)).map((request) => request.path),
    ).toEqual(["/fhir/R4/Patient?_sort=-_lastUpdated&_count=1"]);
  });

  it("fails the token check with Medplum's reason when the secret is wrong", async () => {
    const result = await verifyAgainst(
      healthyDouble(),
      {},
      { description: "the test", resolve: async () => ({ clientId: "client-1", clientSecret: "wrong" }) },
    );
    expect(check(result, "token")).toMatchObject({ status: "fail" });
    expect(check(result, "token").summary).toMatch(/oauth2\/token \(client credentials from the test\): HTTP 400: invalid_request: Invalid secret$/);
    expect(JSON.stringify(result)).not.toContain("wrong");
  });

  it("fails when the data loss is beyond the RPO objective", async () => {
    const server = new MedplumTestDouble().add(
      resource("Patient", "p1", "2026-11-30T07:00:00.000Z"),
      resource("Observation", "o1", "2026-11-30T06:30:00.000Z"),
    );
    const result = await verifyAgainst(server, { verify: { rpoResourceTypes: ["Patient", "Observation"] } });
    expect(check(result, "rpo").status).toBe("fail");
    expect(check(result, "rpo").summary).toMatch(
      /^measured 60 min \(newest write before the disaster: Patient\/p1 at 2026-11-30T07:00:00\.000Z\), BEYOND the objective of 15 min$/,
    );
    expect(result.rpo.measuredMinutes).toBe(60);
    expect(result.passed).toBe(false);
  });

  it("fails when no resource was written before the disaster (an empty or wrong restore)", async () => {
    const server = new MedplumTestDouble().add(resource("Patient", "late", "2026-11-30T09:00:00.000Z"));
    const result = await verifyAgainst(server, { verify: { rpoResourceTypes: ["Patient", "Observation"] } });
    expect(check(result, "rpo").summary).toMatch(/^no Patient, Observation written at or before 2026-11-30T08:00:00\.000Z: nothing to measure/);
    expect(result.rpo.measuredMinutes).toBeNull();
  });

  it("fails when a canary search finds nothing", async () => {
    const server = healthyDouble();
    server.state.storage.set("b1", Buffer.from("x"));
    const result = await verifyAgainst(server, {
      verify: { rpoResourceTypes: ["Patient"], canaries: [{ name: "MRN 999", search: "Patient?identifier=https://acme.example/mrn|999" }] },
    });
    expect(check(result, "canary")).toMatchObject({ name: 'canary "MRN 999"', status: "fail" });
    expect(check(result, "canary").summary).toMatch(/matched nothing/);
    expect(result.passed).toBe(false);
  });

  it("fails when the Binary's content cannot be read from binary storage", async () => {
    // The Binary resource came back with the database; its object is not in the recovery location's storage.
    const result = await verifyAgainst(healthyDouble());
    expect(check(result, "binary").status).toBe("fail");
    expect(check(result, "binary").summary).toMatch(/^Binary\/b1: HTTP 500: Internal Server Error; Medplum could not read the content from binary storage/);
    expect(result.passed).toBe(false);
  });

  it("reads the configured Binary rather than the newest", async () => {
    const server = healthyDouble().add(resource("Binary", "pinned", "2026-01-01T00:00:00.000Z", { contentType: "image/png" }));
    server.state.storage.set("pinned", Buffer.alloc(2 * 1024 * 1024, 1));
    const result = await verifyAgainst(server, { verify: { rpoResourceTypes: ["Patient"], binaryId: "pinned" } });
    expect(check(result, "binary")).toMatchObject({
      status: "pass",
      summary: "Binary/pinned read back through Medplum from binary storage: the first 1048576 bytes of image/png",
    });
  });

  it("warns when the Binary's content is inline in the database, which proves nothing about storage", async () => {
    const server = new MedplumTestDouble().add(
      resource("Patient", "p1", "2026-11-30T07:59:00.000Z"),
      resource("Binary", "inline", "2026-11-30T07:00:00.000Z", { contentType: "text/plain", data: Buffer.from("hi").toString("base64") }),
    );
    const result = await verifyAgainst(server, { verify: { rpoResourceTypes: ["Patient"] } });
    expect(check(result, "binary")).toMatchObject({ status: "warn" });
    expect(result.passed).toBe(true);
  });

  it("warns, with a super admin's client, while a post-deploy data migration is pending", async () => {
    const server = healthyDouble();
    server.state.storage.set("b1", Buffer.from("x"));
    server.state.clients.set("client-1", { secret: "s3cret", superAdmin: true });
    server.state.pendingPostDeployMigration = 3;
    const result = await verifyAgainst(server);
    expect(check(result, "post-deploy-migrations")).toMatchObject({ status: "warn" });
    expect(check(result, "post-deploy-migrations").summary).toMatch(/^data migration v3 is pending or running/);
  });
});

describe("verify's credentials", () => {
  it("come from the environment variables the config names, and are refused before any request when missing", async () => {
    const source = new EnvironmentCredentialSource({ clientIdEnv: "ACME_ID", clientSecretEnv: "ACME_SECRET" }, { ACME_ID: "client-1" });
    const server = healthyDouble();
    await expect(verifyAgainst(server, {}, source)).rejects.toThrow(CredentialsUnavailableError);
    await expect(source.resolve()).rejects.toThrow(/^ACME_SECRET is not set; export the id and secret of a Medplum ClientApplication/);
    expect(server.requests).toHaveLength(0);
    await expect(
      new EnvironmentCredentialSource({ clientIdEnv: "ACME_ID", clientSecretEnv: "ACME_SECRET" }, { ACME_ID: " client-1 ", ACME_SECRET: "x" }).resolve(),
    ).resolves.toEqual({ clientId: "client-1", clientSecret: "x" });
  });
});
