/** `npm run report -- --help` and the progress lines, in process (no Terraform is run). */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

  it("says where the provider mirror was found, once a run, and which place named it when a plan is skipped", async () => {
    // A terraform that answers `version -json`, so auto mode goes on to the mirror; the mirror holds no aws provider.
    const terraform = join(scratch, "terraform");
    writeFileSync(terraform, '#!/bin/sh\necho \'{"terraform_version":"1.10.5"}\'\n', { mode: 0o755 });
    const mirror = join(scratch, "mirror");
    mkdirSync(join(mirror, "registry.terraform.io", "hashicorp", "random"), { recursive: true });
    const cliConfig = join(scratch, "terraformrc");
    writeFileSync(cliConfig, `provider_installation {\n  filesystem_mirror {\n    path = "${mirror}"\n  }\n}\n`);
    vi.stubEnv("TERRAFORM_BINARY", terraform);
    vi.stubEnv("TF_PLUGIN_DIR", "");
    vi.stubEnv("TF_CLI_CONFIG_FILE", cliConfig);
    for (const run of [1, 2]) {
      err.length = 0;
      expect(await main(["--outdir", outdir, "--terraform-plan", "auto"]), `run ${run}`).toBe(EXIT.ok);
      expect(err).toEqual([`report: provider mirror ${mirror}, found by provider_installation.filesystem_mirror in ${cliConfig}`]);
    }
    expect(err.join("\n")).not.toContain("searching");
    const plan = JSON.parse(readFileSync(join(outdir, "recovery-plan-recovery-aws.json"), "utf8")) as { plan: { status: string; reason: string } };
    expect(plan.plan).toEqual({
      status: "skipped",
      reason: `the provider mirror ${mirror} (provider_installation.filesystem_mirror in ${cliConfig}) lacks registry.terraform.io/hashicorp/aws`,
    });
  });

  it("prints nothing on stderr when nothing slow runs", async () => {
    expect(await main(["--outdir", outdir, "--terraform-plan", "off"])).toBe(EXIT.ok);
    expect(err).toEqual([]);
  });
});
