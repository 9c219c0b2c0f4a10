import { join } from "node:path";
import { listBots, planRedeploy, BotApiError } from "../../operations/bots";
import { clientCredentialsToken } from "../../operations/credentials";
import { MedplumApi } from "../../operations/medplum-api";
import { main } from "../../operations/redeploy-bots-cli";
import { MedplumTestDouble, resource } from "./medplum-test-double";

const EXAMPLE = join(__dirname, "../../config/example.yaml");
const env = { RECOVERY_CONFIG: EXAMPLE, MEDPLUM_CLIENT_ID: "client-1", MEDPLUM_CLIENT_SECRET: "s3cret" };
const code = (id: string) => ({ executableCode: { contentType: "application/javascript", url: `Binary/${id}`, title: "index.js" } });

/** The recovered database's Bots, as the primary left them. */
function botsDouble(): MedplumTestDouble {
  return new MedplumTestDouble().add(
    resource("Bot", "bot-a", "2026-11-01T00:00:00.000Z", { name: "lab results", runtimeVersion: "awslambda", ...code("code-a") }),
    resource("Bot", "bot-b", "2026-11-02T00:00:00.000Z", { name: "nightly export", runtimeVersion: "awslambda", ...code("code-b"), cronString: "0 2 * * *" }),
    resource("Bot", "bot-c", "2026-11-03T00:00:00.000Z", { name: "in-process", runtimeVersion: "vmcontext", ...code("code-c") }),
    resource("Bot", "bot-d", "2026-11-04T00:00:00.000Z", { name: "draft", runtimeVersion: "awslambda" }),
    resource("Bot", "bot-e", "2026-11-05T00:00:00.000Z", { name: "fission", runtimeVersion: "fission", ...code("code-e") }),
    resource("Bot", "bot-f", "2026-11-06T00:00:00.000Z", {
      name: "own lambda",
      runtimeVersion: "awslambda",
      ...code("code-f"),
      identifier: [{ system: "https://medplum.com/bot-external-function-id", value: "acme-hl7-router" }],
    }),
    resource("Bot", "bot-g", "2026-11-07T00:00:00.000Z", { name: "legacy" }),
  );
}

let double: MedplumTestDouble;
afterEach(async () => double?.stop());

async function run(args: readonly string[]): Promise<{ status: number; lines: string[]; stderr: string }> {
  const lines: string[] = [];
  let stderr = "";
  const err = vi.spyOn(console, "error").mockImplementation((...parts: unknown[]) => void (stderr += `${parts.join(" ")}\n`));
  try {
    return { status: await main(["--stack", "recovery-aws", "--url", double.baseUrl, ...args], env, (line) => lines.push(line)), lines, stderr };
  } finally {
    err.mockRestore();
  }
}

describe("listing Bots (test double)", () => {
  it("follows every next link, re-rooted on the recovered server instead of Medplum's configured (production) baseUrl", async () => {
    double = await botsDouble().start();
    const api = new MedplumApi({ baseUrl: double.baseUrl, timeoutMs: 5_000 });
    const token = await clientCredentialsToken(api, { clientId: "client-1", clientSecret: "s3cret" });
    if (!token.ok) throw new Error(token.reason);
    const bots = await listBots(api, token.token.accessToken, { pageSize: 3 });
    expect(bots.map((bot) => bot.id)).toEqual(["bot-a", "bot-b", "bot-c", "bot-d", "bot-e", "bot-f", "bot-g"]);
    expect(double.requests.filter((request) => request.path.startsWith("/fhir/R4/Bot?")).map((request) => request.path)).toEqual([
      "/fhir/R4/Bot?_sort=_id&_count=3",
      "/fhir/R4/Bot?_sort=_id&_count=3&_offset=3",
      "/fhir/R4/Bot?_sort=_id&_count=3&_offset=6",
    ]);
    await expect(listBots(api, token.token.accessToken, { pageSize: 3, maxPages: 2 })).rejects.toThrow(
      new BotApiError("more than 2 pages of Bots; stopped (raise maxPages if that many Bots are real)"),
    );
  });

  it("plans a redeploy for Lambda and Fission Bots with code, and says why it skips the others", () => {
    expect(planRedeploy({ id: "x", runtimeVersion: "awslambda", executableCode: "Binary/1", cron: false })).toEqual({
      action: "redeploy",
      reason: "awslambda: $deploy Binary/1 to Lambda medplum-bot-lambda-x in the server's region",
    });
    expect(planRedeploy({ id: "x", runtimeVersion: "vmcontext", executableCode: "Binary/1", cron: false }).action).toBe("skip");
    expect(planRedeploy({ id: "x", runtimeVersion: "awslambda", cron: false })).toMatchObject({
      action: "skip",
      reason: expect.stringMatching(/^no executableCode/),
    });
  });
});

describe("npm run redeploy-bots (test double)", () => {
  it("lists every Bot and what would happen with --dry-run, deploying nothing", async () => {
    double = await botsDouble().start();
    const result = await run(["--dry-run"]);
    expect(result.status).toBe(0);
    expect(result.lines).toEqual([
      `redeploy-bots recovery-aws at ${double.baseUrl}: 7 Bots (dry run: nothing is deployed)`,
      'REDEPLOY Bot/bot-a "lab results": awslambda: $deploy Binary/code-a to Lambda medplum-bot-lambda-bot-a in the server\'s region',
      'REDEPLOY Bot/bot-b "nightly export": awslambda: $deploy Binary/code-b to Lambda medplum-bot-lambda-bot-b in the server\'s region',
      'SKIP     Bot/bot-c "in-process": vmcontext: runs inside the Medplum server, nothing to deploy (the server needs vmContextBotsEnabled)',
      'SKIP     Bot/bot-d "draft": no executableCode: never deployed, so there is no code to redeploy (deploy it from its source)',
      'REDEPLOY Bot/bot-e "fission": fission: $deploy Binary/code-e to the Fission cluster',
      'REDEPLOY Bot/bot-f "own lambda": awslambda: $deploy Binary/code-f to Lambda medplum-bot-lambda-bot-f in the server\'s region',
      'NOTE     Bot/bot-f "own lambda": runs the customer\'s own Lambda acme-hl7-router when the server enables botCustomFunctionsEnabled; $deploy does not deploy that one: redeploy it in the recovery region yourself',
      'SKIP     Bot/bot-g "legacy": runtimeVersion not set: Medplum runs it nowhere ("Unsupported bot runtime")',
      "CRON     1 Bot has a cron schedule, kept in the lost Redis; --reload-cron would register them again",
      "redeploy-bots: would redeploy 4, skip 3",
    ]);
    expect(double.requests.filter((request) => request.method === "POST" && request.path !== "/oauth2/token")).toEqual([]);
  });

  it("redeploys each Bot through $deploy with its current code (an empty JSON body), as Medplum's deploy.ts takes it", async () => {
    double = await botsDouble().start();
    const result = await run([]);
    expect(result.status).toBe(0);
    expect(double.deployed).toEqual(["bot-a", "bot-b", "bot-e", "bot-f"]);
    const deploys = double.requests.filter((request) => request.path.endsWith("/$deploy"));
    expect(deploys.map((request) => request.path)).toEqual([
      "/fhir/R4/Bot/bot-a/$deploy",
      "/fhir/R4/Bot/bot-b/$deploy",
      "/fhir/R4/Bot/bot-e/$deploy",
      "/fhir/R4/Bot/bot-f/$deploy",
    ]);
    for (const request of deploys) {
      expect(request.method).toBe("POST");
      expect(request.headers["content-type"]).toBe("application/fhir+json");
      expect(request.headers.authorization).toBe("Bearer token-1");
      expect(request.body).toBe("{}");
    }
    expect(result.lines.at(-1)).toBe("redeploy-bots: 4 redeployed, 0 failed, 3 skipped");
  });

  it("exits 1 and names Medplum's reason when a deploy fails (e.g. no Bot layer in the recovery region)", async () => {
    double = botsDouble();
    double.state.failingDeploys.set("bot-b", "Layer version arn:aws:lambda:us-west-2:111122223333:layer:medplum-bot-layer does not exist");
    await double.start();
    const result = await run([]);
    expect(result.status).toBe(1);
    expect(result.lines).toContain(
      'FAIL     Bot/bot-b "nightly export": HTTP 400: Layer version arn:aws:lambda:us-west-2:111122223333:layer:medplum-bot-layer does not exist',
    );
    // One failure does not stop the others.
    expect(double.deployed).toEqual(["bot-a", "bot-e", "bot-f"]);
    expect(result.lines.at(-1)).toBe("redeploy-bots: 3 redeployed, 1 failed, 3 skipped");
  });

  it("re-registers cron Bots with --reload-cron, which needs a super admin's client", async () => {
    double = await botsDouble().start();
    const refused = await run(["--reload-cron"]);
    expect(refused.status).toBe(1);
    expect(refused.lines).toContain("FAIL     cron: HTTP 403: Forbidden (needs a super admin's client)");
    double.state.clients.set("client-1", { secret: "s3cret", superAdmin: true });
    const accepted = await run(["--reload-cron"]);
    expect(accepted.status).toBe(0);
    expect(accepted.lines).toContain("OK       cron: accepted: Medplum re-registers every cron Bot as an async job");
    expect(double.cronReloads).toBe(1);
  });

  it("exits 1 when the token is refused, and 2 on bad input", async () => {
    double = await botsDouble().start();
    const err = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      expect(await main(["--stack", "recovery-aws", "--url", double.baseUrl], { ...env, MEDPLUM_CLIENT_SECRET: "nope" }, () => undefined)).toBe(1);
      expect(err).toHaveBeenCalledWith(
        expect.stringMatching(
          /oauth2\/token \(client credentials from environment variables MEDPLUM_CLIENT_ID and MEDPLUM_CLIENT_SECRET\): HTTP 400: invalid_request: Invalid secret$/,
        ),
      );
    } finally {
      err.mockRestore();
    }
    const bad = await run(["--deploy-timeout", "soon"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^redeploy-bots: --deploy-timeout: "soon" is not a whole number of seconds/);
  });
});
