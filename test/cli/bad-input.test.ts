/**
 * `npm run synth` end to end on bad input: one subprocess per CLI behaviour (the table of bad values is checked
 * in-process in test/config/). Each exits 1, prints one line per problem and no stack trace, and writes nothing.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BAD_FILE_CASES, BAD_INPUT_CASES, exampleWith } from "../config/bad-config-cases";
import { runCommand } from "../support/cli";

let workdir: string;
beforeEach(() => {
  workdir = mkdtempSync(join(tmpdir(), "medplum-dr-bad-input-"));
});
afterEach(() => rmSync(workdir, { recursive: true, force: true }));

async function synth(configFile: string, contents: string | Uint8Array) {
  const path = join(workdir, configFile);
  writeFileSync(path, contents);
  return { path, ...(await runCommand("synth", [], { cwd: workdir, env: { RECOVERY_CONFIG: path } })) };
}

const bullets = (stderr: string) => stderr.split("\n").filter((line) => line.startsWith("  - "));

describe("npm run synth with bad input", () => {
  it("refuses a file the YAML reader cannot take (an alias bomb, which crashed with yaml's stack trace) with its position", async () => {
    const bomb = BAD_FILE_CASES.find((c) => c.name === "an alias expansion bomb")!;
    const result = await synth("bomb.yaml", bomb.input);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      `${result.path}: 1 problem in the recovery config:`,
      expect.stringMatching(new RegExp(`^  - ${bomb.line.source.slice(1)}`)),
    ]);
    expect(result.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
    expect(readdirSync(workdir)).toEqual(["bomb.yaml"]);
  });

  it("reports a config with a bad time, bad CIDRs, a bad identifier, a credential in a URL and a typo in one run, one line each", async () => {
    const names = [
      "a point-in-time restore on 30 February",
      "a VPC CIDR with an octet above 255 (failed later at synth with no field path)",
      "an AKS authorized range with an octet above 255 (reached AKS)",
      "a Google Cloud project id with a space",
      "a webhook with a token in its query",
      "a misspelt field close to a known one",
    ];
    const cases = names.map((name) => BAD_INPUT_CASES.find((c) => c.name === name)!);
    const result = await synth(
      "bad.yaml",
      exampleWith((doc) => {
        for (const { edit } of cases) edit(doc);
      }),
    );
    expect(result.status).toBe(1);
    const lines = bullets(result.stderr);
    expect(result.stderr).toContain(`${result.path}: ${lines.length} problems in the recovery config:`);
    expect(lines).toHaveLength(cases.length);
    for (const { line } of cases) expect(lines.map((bullet) => bullet.slice(4))).toContainEqual(expect.stringMatching(line));
    expect(result.stdout).toBe("");
    expect(readdirSync(workdir)).toEqual(["bad.yaml"]);
  });
});

describe("npm run synth -- --drill", () => {
  it("writes the drill into its own folder, never the recovery's, and refuses the cdktf CLI's folder", async () => {
    const example = join(__dirname, "..", "..", "config", "example.yaml");
    const refused = await runCommand("synth", ["--drill", "--expires-on", "2026-12-04"], {
      cwd: workdir,
      env: { RECOVERY_CONFIG: example, CDKTF_OUTDIR: join(workdir, "cdktf.out") },
    });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^synth: --drill and --failback write their own folder/);
    expect(readdirSync(workdir)).toEqual([]);
    const written = await runCommand("synth", ["--drill", "--expires-on", "2026-12-04"], { cwd: workdir, env: { RECOVERY_CONFIG: example } });
    expect(written.status, written.stderr).toBe(0);
    expect(readdirSync(workdir)).toEqual(["cdktf.out.drill"]);
    expect(written.stdout).toMatch(/suppressed DatabaseDeletionProtection .*a drill is torn down again/);
  });
});
