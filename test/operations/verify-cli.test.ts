import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../operations/verify-cli";
import { verifyResultSchema } from "../../operations/verify/result";
import { runCommand } from "../support/cli";
import { MedplumTestDouble, resource } from "./medplum-test-double";

const ROOT = join(__dirname, "../..");
const EXAMPLE = join(ROOT, "config/example.yaml");

/** `npm run verify`'s command, asynchronously: the test double answers from this process's event loop. */
function verifyCli(args: readonly string[], env: Record<string, string | undefined>) {
  return runCommand("verify", args, { env: { MEDPLUM_CLIENT_ID: undefined, MEDPLUM_CLIENT_SECRET: undefined, ...env } });
}

let workdir: string;
let config: string;
let double: MedplumTestDouble;
beforeAll(async () => {
  workdir = mkdtempSync(join(tmpdir(), "medplum-dr-verify-cli-"));
  config = join(workdir, "acme.yaml");
  writeFileSync(
    config,
    `${readFileSync(EXAMPLE, "utf8").replace("image: medplum/medplum-server:4.3.9", "image: medplum/medplum-server:5.0.10")}\nverify:\n  rpoResourceTypes: [Patient]\n`,
  );
  double = await new MedplumTestDouble()
    .add(resource("Patient", "p1", "2026-11-30T07:52:00.000Z"), resource("Binary", "b1", "2026-11-30T07:00:00.000Z", { contentType: "text/plain" }))
    .start();
  double.state.storage.set("b1", Buffer.from("hello"));
});
afterAll(async () => {
  await double.stop();
  rmSync(workdir, { recursive: true, force: true });
});

const credentials = { MEDPLUM_CLIENT_ID: "client-1", MEDPLUM_CLIENT_SECRET: "s3cret" };

describe("npm run verify", () => {
  it("exits 0 and prints one line per check when the recovered Medplum passes", async () => {
    const result = await verifyCli(["--stack", "recovery-aws", "--at", "2026-11-30T08:00:00Z", "--url", double.baseUrl], {
      RECOVERY_CONFIG: config,
      ...credentials,
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`verify recovery-aws at ${double.baseUrl} (disaster time 2026-11-30T08:00:00.000Z)`);
    expect(lines.filter((line) => /^(PASS|WARN|FAIL|SKIP) /.test(line))).toHaveLength(7);
    expect(result.stdout).toMatch(/^PASS rpo: measured 8 min/m);
    expect(lines.at(-1)).toBe("verify passed: 7 checks");
    expect(result.stdout).not.toContain("s3cret");
  });

  it("exits 1 when a check fails", async () => {
    // The bundled example pins 4.3.9; the double runs 5.0.10.
    const result = await verifyCli(["--stack", "recovery-aws", "--at", "2026-11-30T08:00:00Z", "--url", double.baseUrl], {
      RECOVERY_CONFIG: EXAMPLE,
      ...credentials,
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^FAIL server-version: the server runs 5\.0\.10 .* but medplum\.image pins 4\.3\.9/m);
    expect(result.stdout).toMatch(/^verify FAILED: 1 of 7 checks failed$/m);
  });

  it("exits 2 before any request when the credentials are not in the environment", async () => {
    const before = double.requests.length;
    const result = await verifyCli(["--stack", "recovery-aws", "--at", "2026-11-30T08:00:00Z", "--url", double.baseUrl], { RECOVERY_CONFIG: config });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^verify: MEDPLUM_CLIENT_ID and MEDPLUM_CLIENT_SECRET are not set/);
    expect(double.requests.length).toBe(before);
  });

  it("documents the checks, options and exit codes in --help", async () => {
    const result = await verifyCli(["--help"], {});
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm run verify -- --stack <name> --at <time>/);
    expect(result.stdout).toContain("Exit codes: 0 every check passed (warnings and skips allowed); 1 a check failed; 2 bad input");
  });
});

/** The same main() in this process, for the cases that need no separate process to prove anything. */
async function inProcess(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(console, "error").mockImplementation((...parts: unknown[]) => void (stderr += `${parts.join(" ")}\n`));
  try {
    return { status: await main(args, env), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe("verify-cli main()", () => {
  it("prints the result as JSON with --json, in the schema the drill record embeds", async () => {
    const result = await inProcess(["--stack", "recovery-aws", "--at", "2026-11-30T08:00:00Z", "--url", double.baseUrl, "--json"], {
      RECOVERY_CONFIG: config,
      ...credentials,
    });
    expect(result.status).toBe(0);
    const parsed = verifyResultSchema.parse(JSON.parse(result.stdout));
    expect(parsed.rpo.measuredMinutes).toBe(8);
  });

  it.each([
    { name: "a missing --at", args: ["--stack", "recovery-aws"], line: /^verify: --at: is missing; give the disaster time/ },
    {
      name: "a future --at",
      args: ["--stack", "recovery-aws", "--at", "2999-01-01T00:00:00Z"],
      line: /^verify: --at: "2999-01-01T00:00:00Z" is in the future/,
    },
    {
      name: "an unknown stack",
      args: ["--stack", "recovery-mars", "--at", "2026-11-30T08:00:00Z"],
      line: /^verify: --stack: "recovery-mars" is not a stack name; expected one of recovery-aws, recovery-gcp, recovery-azure, recovery-k8s/,
    },
    {
      name: "plain http to a remote host",
      args: ["--stack", "recovery-aws", "--at", "2026-11-30T08:00:00Z", "--url", "http://api.example.com/"],
      line: /^verify: --url: "http:\/\/api\.example\.com\/" is not https/,
    },
    { name: "an unknown option", args: ["--stack", "recovery-aws", "--bogus"], line: /^verify: Unknown option '--bogus'/ },
  ])("exits 2 with one line naming the problem for $name", async ({ args, line }) => {
    const result = await inProcess(args, { RECOVERY_CONFIG: config, ...credentials });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(line);
    expect(result.stdout).toBe("");
  });
});
