/**
 * `npm run report` on synth output that is damaged or is no recovery: one line naming the file and what is wrong,
 * exit 2 (bad input), and no report written. Never a stack trace, never a pass.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXIT, main } from "../../report/cli";
import { constructPathOf } from "../../report/stack-json";
import { EXAMPLE_CONFIG_PATH, FIXTURE_OUTDIR, FIXTURE_STACK } from "../report/helpers";
import { runCommand } from "../support/cli";

let scratch: string;
let outdir: string;
let stackFile: string;
const logs: string[] = [];
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), "report-bad-input-"));
  outdir = join(scratch, "cdktf.out");
  cpSync(FIXTURE_OUTDIR, outdir, { recursive: true });
  stackFile = join(outdir, "stacks", FIXTURE_STACK, "cdk.tf.json");
  logs.length = 0;
  vi.spyOn(console, "log").mockImplementation((line: string) => void logs.push(line));
  vi.spyOn(console, "error").mockImplementation((line: string) => void logs.push(line));
  vi.stubEnv("RECOVERY_CONFIG", EXAMPLE_CONFIG_PATH);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  rmSync(scratch, { recursive: true, force: true });
});

const cutInHalf = (file: string) => truncateSync(file, Math.floor(readFileSync(file).length / 2));
const reports = () => readdirSync(outdir).filter((name) => name.startsWith("recovery-plan-"));

/** Runs the report; expects exit 2 with exactly one line, and returns it. */
async function rejected(...args: string[]): Promise<string> {
  const code = await main(["--outdir", outdir, "--terraform-plan", "off", ...args]);
  expect(logs).toHaveLength(1);
  expect(code).toBe(EXIT.badInput);
  expect(reports()).toEqual([]);
  return logs[0] as string;
}

describe("npm run report on damaged synth output", () => {
  it("names a truncated cdk.tf.json", async () => {
    cutInHalf(stackFile);
    expect(await rejected()).toMatch(
      new RegExp(`^report: ${escapeRegExp(stackFile)}: is not valid JSON \\(.+\\); it is truncated or damaged: run \`npm run synth\` again$`),
    );
  });

  it("names a truncated manifest.json", async () => {
    cutInHalf(join(outdir, "manifest.json"));
    expect(await rejected()).toMatch(
      new RegExp(`^report: ${escapeRegExp(join(outdir, "manifest.json"))}: is not valid JSON \\(.+\\); it is truncated or damaged`),
    );
  });

  it("names an empty cdk.tf.json", async () => {
    writeFileSync(stackFile, "");
    expect(await rejected()).toBe(`report: ${stackFile}: is empty; it was truncated or never written: run \`npm run synth\` again`);
  });

  it("names a manifest without stacks and a stack block that is not an object, with its place", async () => {
    writeFileSync(join(outdir, "manifest.json"), "[]");
    expect(await rejected()).toBe(
      `report: ${join(outdir, "manifest.json")}: has no "stacks" object, so it is not a cdktf manifest; run \`npm run synth\` again`,
    );

    cpSync(join(FIXTURE_OUTDIR, "manifest.json"), join(outdir, "manifest.json"));
    const json = JSON.parse(readFileSync(stackFile, "utf8"));
    const [type] = Object.keys(json.resource);
    json.resource[type as string] = null;
    writeFileSync(stackFile, JSON.stringify(json));
    logs.length = 0;
    expect(await rejected()).toBe(`report: ${stackFile}: resource.${type} is null, expected an object; run \`npm run synth\` again`);
  });

  it("names a truncated saved plan given with --plan-json-dir", async () => {
    const plan = join(scratch, `${FIXTURE_STACK}.tfplan.json`);
    writeFileSync(plan, '{"resource_changes": [{"address": "aws_rds_cluster.database_cluster", "type": "aws_rd');
    expect(await rejected("--plan-json-dir", scratch)).toMatch(new RegExp(`^report: ${escapeRegExp(plan)}: is not valid JSON`));
  });

  it("prints one line and no stack trace from a real process", async () => {
    cutInHalf(stackFile);
    const run = await runCommand("report", ["--outdir", outdir, "--terraform-plan", "off"], { env: { RECOVERY_CONFIG: EXAMPLE_CONFIG_PATH } });
    expect(run.status).toBe(EXIT.badInput);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toEqual([expect.stringMatching(new RegExp(`^report: ${escapeRegExp(stackFile)}: is not valid JSON`))]);
  });
});

describe("npm run report on a stack that restores no database", () => {
  it("refuses a stack emptied to {} instead of passing --gate with a 2-minute RTO", async () => {
    writeFileSync(stackFile, "{}");
    expect(await rejected("--gate", "--allow-unknown-rpo")).toBe(
      `report: ${stackFile}: holds no resource at all, so there is no recovery to time; it is emptied or not a recovery stack: run \`npm run synth\` again`,
    );
  });

  it("refuses a stack whose database step was cut out", async () => {
    const json = JSON.parse(readFileSync(stackFile, "utf8"));
    let removed = 0;
    for (const byName of Object.values(json.resource) as Record<string, unknown>[]) {
      for (const [name, body] of Object.entries(byName)) {
        if (constructPathOf(body)?.startsWith(`${FIXTURE_STACK}/database/`)) {
          delete byName[name];
          removed++;
        }
      }
    }
    expect(removed).toBeGreaterThan(0);
    writeFileSync(stackFile, JSON.stringify(json));
    expect(await rejected("--gate", "--allow-unknown-rpo")).toMatch(
      new RegExp(
        `^report: ${escapeRegExp(stackFile)}: has \\d+ resource\\(s\\) but none in the database step \\(construct path recovery-aws/database/\\.\\.\\.\\): nothing restores PostgreSQL`,
      ),
    );
  });

  it("still reports the intact fixture (the control)", async () => {
    expect(await main(["--outdir", outdir, "--terraform-plan", "off", "--gate", "--allow-unknown-rpo"])).toBe(EXIT.ok);
    expect(existsSync(join(outdir, `recovery-plan-${FIXTURE_STACK}.md`))).toBe(true);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
