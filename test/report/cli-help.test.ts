/** `npm run report -- --help` and the progress lines, in process (no Terraform is run). */
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXIT, main, USAGE } from "../../report/cli";
import { EXAMPLE_CONFIG_PATH, FIXTURE_OUTDIR } from "./helpers";

let scratch: string;
let outdir: string;
const out: string[] = [];
const err: string[] = [];
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), "report-help-"));
  outdir = join(scratch, "cdktf.out");
  cpSync(FIXTURE_OUTDIR, outdir, { recursive: true });
  out.length = 0;
  err.length = 0;
  vi.spyOn(console, "log").mockImplementation((line: string) => void out.push(line));
  vi.spyOn(console, "error").mockImplementation((line: string) => void err.push(line));
  vi.stubEnv("RECOVERY_CONFIG", EXAMPLE_CONFIG_PATH);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  rmSync(scratch, { recursive: true, force: true });
});

describe("npm run report -- --help", () => {
  it.each([["--help"], ["-h"], ["--gate", "--help"]])("%s prints the usage on stdout and exits 0 without reading the config", async (...args) => {
    vi.stubEnv("RECOVERY_CONFIG", join(scratch, "no-such-config.yaml"));
    expect(await main(args)).toBe(EXIT.ok);
    expect(out).toEqual([USAGE]);
    expect(err).toEqual([]);
  });

  it("lists every option the parser accepts, and every exit code", async () => {
    const source = readFileSync(join(__dirname, "..", "..", "report", "cli.ts"), "utf8");
    const block = source.slice(source.indexOf("parseArgs({"), source.indexOf("strict: true"));
    const accepted = [...block.matchAll(/^\s+"?([a-z-]+)"?: \{ type:/gm)].map((match) => match[1] as string);
    expect(accepted.length).toBeGreaterThan(8);
    for (const option of accepted) expect(USAGE).toMatch(new RegExp(`^\\s+(-h, )?--${option}\\b`, "m"));
    for (const code of Object.values(EXIT)) expect(USAGE).toMatch(new RegExp(`^\\s+${code}  \\S`, "m"));
  });
});

describe("progress on stderr", () => {
  it("announces each Terraform plan and how long it took, leaving stdout to the verdicts", async () => {
    // A terraform that cannot start fails the plan at once: the progress lines still frame it.
    vi.stubEnv("TERRAFORM_BINARY", join(scratch, "no-terraform-here"));
    expect(await main(["--outdir", outdir, "--terraform-plan", "online"])).toBe(EXIT.planFailed);
    expect(err[0]).toBe("report: planning recovery-aws (terraform init, validate and plan)...");
    expect(err[1]).toMatch(/^report: planning recovery-aws \(terraform init, validate and plan\): done in \d+\.\d s$/);
    expect(out.some((line) => line.startsWith("report:"))).toBe(false);
    expect(out[0]).toMatch(/^recovery-aws: modeled RTO .* terraform plan FAILED -> /);
  });

  it("prints nothing on stderr when nothing slow runs", async () => {
    expect(await main(["--outdir", outdir, "--terraform-plan", "off"])).toBe(EXIT.ok);
    expect(err).toEqual([]);
  });
});
