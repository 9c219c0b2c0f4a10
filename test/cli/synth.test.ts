import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand } from "../support/cli";

const ROOT = join(__dirname, "../..");
const EXAMPLE = join(ROOT, "config/example.yaml");

let workdir: string;
beforeEach(() => {
  workdir = mkdtempSync(join(tmpdir(), "medplum-dr-cli-"));
});
afterEach(() => rmSync(workdir, { recursive: true, force: true }));

/** `npm run synth`'s command in a scratch folder, so cdktf.out/ lands there. */
function synth(env: Record<string, string | undefined>) {
  return runCommand("synth", [], { cwd: workdir, env });
}

function writeConfig(name: string, text: string): string {
  const path = join(workdir, name);
  writeFileSync(path, text);
  return path;
}

describe("npm run synth with bad input", () => {
  it("exits non-zero, names each bad field, and writes nothing", async () => {
    const example = readFileSync(EXAMPLE, "utf8");
    const bad = writeConfig(
      "bad.yaml",
      example.replace("image: medplum/medplum-server:4.3.9", "image: medplum/medplum-server:latest").replace("rtoMinutes: 60", "rtoMinutes: -5"),
    );
    const result = await synth({ RECOVERY_CONFIG: bad });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${bad}: 2 problems in the recovery config:`);
    expect(result.stderr).toMatch(/- medplum\.image: "medplum\/medplum-server:latest" is a floating tag/);
    expect(result.stderr).toMatch(/- objectives\.rtoMinutes: -5 must be at least 1/);
    expect(readdirSync(workdir)).toEqual(["bad.yaml"]);
  });

  it("exits non-zero when RECOVERY_CONFIG names a file that does not exist", async () => {
    const result = await synth({ RECOVERY_CONFIG: join(workdir, "missing.yaml") });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/RECOVERY_CONFIG: cannot read ".*missing\.yaml" \(no such file\)/);
    expect(readdirSync(workdir)).toEqual([]);
  });

  it("exits non-zero when RECOVERY_CONFIG is set but empty", async () => {
    const result = await synth({ RECOVERY_CONFIG: "" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/RECOVERY_CONFIG: is set but empty/);
    expect(existsSync(join(workdir, "cdktf.out"))).toBe(false);
  });
});

describe("npm run synth and the output folder", () => {
  it("treats an empty CDKTF_OUTDIR as unset and never deletes a folder it did not write", async () => {
    const keep = join(workdir, "cdktf.out");
    mkdirSync(keep);
    writeFileSync(join(keep, "notes.txt"), "not synth output");
    const result = await synth({ RECOVERY_CONFIG: EXAMPLE, CDKTF_OUTDIR: "" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/refusing to replace .*cdktf\.out: it exists and is not a cdktf output folder/);
    expect(readFileSync(join(keep, "notes.txt"), "utf8")).toBe("not synth output");
    expect(readdirSync(workdir)).toEqual(["cdktf.out"]);
  });
});

describe("npm run synth with the bundled example", () => {
  /** A folder where `npm run synth` wrote the example's cdktf.out/, for the tests below to copy. */
  let template: string;
  let first: Awaited<ReturnType<typeof synth>>;
  beforeAll(async () => {
    template = mkdtempSync(join(tmpdir(), "medplum-dr-cli-template-"));
    first = await runCommand("synth", [], { cwd: template, env: { RECOVERY_CONFIG: EXAMPLE } });
  });
  afterAll(() => rmSync(template, { recursive: true, force: true }));
  const fromTemplate = () => cpSync(join(template, "cdktf.out"), join(workdir, "cdktf.out"), { recursive: true });

  it("writes one stack per target and gives byte-identical Terraform on a second run", async () => {
    expect(first.status, first.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(template, "cdktf.out/manifest.json"), "utf8"));
    const stackNames = Object.keys(manifest.stacks).sort();
    expect(stackNames.length).toBeGreaterThan(0);
    const firstOutput = stackNames.map((name) => readFileSync(join(template, "cdktf.out/stacks", name, "cdk.tf.json"), "utf8"));

    // The second run replaces the first one's output, as it would in a user's project.
    fromTemplate();
    expect((await synth({ RECOVERY_CONFIG: EXAMPLE })).status).toBe(0);
    const secondOutput = stackNames.map((name) => readFileSync(join(workdir, "cdktf.out/stacks", name, "cdk.tf.json"), "utf8"));
    expect(secondOutput).toEqual(firstOutput);
  });

  it("leaves the last good cdktf.out/ untouched when a later run fails", async () => {
    expect(first.status, first.stderr).toBe(0);
    fromTemplate();
    const before = readFileSync(join(workdir, "cdktf.out/manifest.json"), "utf8");
    const bad = writeConfig("bad.yaml", readFileSync(EXAMPLE, "utf8").replace('engineVersion: "16.6"', 'engineVersion: "twelve"'));

    const failed = await synth({ RECOVERY_CONFIG: bad });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/targets\.aws\.database\.engineVersion: "twelve" is not a PostgreSQL version/);
    expect(readFileSync(join(workdir, "cdktf.out/manifest.json"), "utf8")).toBe(before);
    expect(readdirSync(workdir).sort()).toEqual(["bad.yaml", "cdktf.out"]);
  });

  it("refuses to write anything when the policy pack finds an unsuppressed error", async () => {
    // A suppression of a core PHI rule is itself an error: the pack refuses it.
    const unsafe = writeConfig(
      "unsafe.yaml",
      readFileSync(EXAMPLE, "utf8").replace(
        "suppressions: []",
        'suppressions: [{ rule: DatabaseStorageEncrypted, resource: "*", reason: "the drill database holds synthetic data only" }]',
      ),
    );
    const result = await synth({ RECOVERY_CONFIG: unsafe });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/synthesis refused: fix the policy errors above/);
    expect(readdirSync(workdir)).toEqual(["unsafe.yaml"]);
  });
});
