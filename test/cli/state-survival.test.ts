/**
 * `npm run synth` never loses Terraform state. Nothing is deployed: each test puts the files Terraform leaves where
 * the backend kind would leave them (the local backend's state at the path the synthesized backend block names; for
 * every backend, `.terraform/terraform.tfstate`, Terraform's record of the backend settings, plus `.terraform/environment`
 * and the provider lock file in the stack folder), synthesizes twice, and finds every one intact, or finds the synth
 * refused with a message naming the file and the output untouched.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { stringify } from "yaml";
import { runCommand } from "../support/cli";
import { exampleDocument, NAMED_SNAPSHOT_RESTORE } from "../support/config";

const STACK = "recovery-aws";

let project: string;
beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), "medplum-dr-state-"));
});
afterEach(() => rmSync(project, { recursive: true, force: true }));

/** The example with its targets changed (see test/support/config.ts), written into the project folder. */
function writeConfig(targets: Record<string, unknown>): string {
  const path = join(project, "recovery.yaml");
  writeFileSync(path, stringify(exampleDocument({ targets })));
  return path;
}

/** The AWS target only (one stack: quicker), with the given state backend. */
const awsOnly = (backend: Record<string, unknown>) => ({ gcp: null, azure: null, kubernetes: null, aws: { backend } });

/** `npm run synth`'s command, run in the project folder as a user would (or as the cdktf CLI does, with CDKTF_OUTDIR). */
function synth(config: string, env: Record<string, string | undefined> = {}) {
  return runCommand("synth", [], { cwd: project, env: { RECOVERY_CONFIG: config, ...env } });
}

const stackDir = (stack = STACK, outdir = "cdktf.out") => join(project, outdir, "stacks", stack);

/** What Terraform runs on: the synthesized backend block of the stack. */
function backendBlock(stack = STACK, outdir?: string): Record<string, Record<string, unknown>> {
  return JSON.parse(readFileSync(join(stackDir(stack, outdir), "cdk.tf.json"), "utf8")).terraform.backend;
}

const STATE = (serial: number) =>
  `${JSON.stringify({ version: 4, terraform_version: "1.11.4", serial, lineage: "6f1c0b0e-0000-4000-8000-00000000dr01", outputs: {}, resources: [{ mode: "managed", type: "aws_rds_cluster", name: "database_cluster", instances: [] }] }, null, 2)}\n`;

/** Writes the files `terraform init` + `apply` would leave for the stack's backend; returns them by path. */
function leaveTerraformFiles(stack = STACK, outdir?: string): Map<string, string> {
  const folder = stackDir(stack, outdir);
  const [type, settings] = Object.entries(backendBlock(stack, outdir))[0] as [string, Record<string, unknown>];
  const files = new Map<string, string>();
  // Terraform resolves a local path against the folder it runs in, the stack folder.
  if (type === "local") files.set(resolve(folder, settings.path as string), STATE(7));
  files.set(
    join(folder, ".terraform", "terraform.tfstate"),
    `${JSON.stringify({ version: 3, terraform_version: "1.11.4", backend: { type, config: settings, hash: 151542440 } }, null, 2)}\n`,
  );
  files.set(join(folder, ".terraform", "environment"), "drill");
  files.set(
    join(folder, ".terraform.lock.hcl"),
    '# This file is maintained automatically by "terraform init".\nprovider "registry.terraform.io/hashicorp/aws" {\n  version = "5.100.0"\n}\n',
  );
  for (const [path, text] of files) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return files;
}

function expectIntact(files: Map<string, string>): void {
  for (const [path, text] of files) {
    expect(existsSync(path), `${relative(project, path)} exists`).toBe(true);
    expect(readFileSync(path, "utf8"), relative(project, path)).toBe(text);
  }
}

/** Every backend kind at once, one per target: one synth covers them all. */
/** The recovery stacks only: the example's standby sections are taken out (aws then names its snapshot). */
const ONE_BACKEND_PER_TARGET = {
  aws: {
    backend: { type: "s3", bucket: "acme-dr-state-usw2", key: "medplum/recovery-aws.tfstate", region: "us-west-2" },
    standby: null,
    database: { restore: NAMED_SNAPSHOT_RESTORE },
  },
  gcp: { backend: { type: "gcs", bucket: "acme-dr-state-usw1", prefix: "medplum/recovery-gcp" }, standby: null },
  azure: {
    backend: { type: "azurerm", resourceGroupName: "dr-state", storageAccountName: "acmedrstate", containerName: "tfstate", key: "recovery-azure.tfstate" },
    standby: null,
  },
  kubernetes: { backend: { type: "local" }, standby: null },
};

/** A project whose cdktf.out/ an earlier `npm run synth` of the AWS-only local-backend config wrote, synthesized once for the file. */
let template: string;
beforeAll(async () => {
  // The helpers work in `project`; each test's beforeEach gives it a fresh one afterwards.
  project = mkdtempSync(join(tmpdir(), "medplum-dr-state-template-"));
  template = project;
  const result = await synth(writeConfig(awsOnly({ type: "local" })));
  if (result.status !== 0) throw new Error(`template synth failed: ${result.stderr}`);
});
afterAll(() => rmSync(template, { recursive: true, force: true }));
/** The template's cdktf.out/ in this test's project, and the config that wrote it. */
const fromTemplate = () => {
  cpSync(join(template, "cdktf.out"), join(project, "cdktf.out"), { recursive: true });
  return writeConfig(awsOnly({ type: "local" }));
};

describe("state survives npm run synth", () => {
  it("s3, gcs, azurerm and local with the default path: every state and working file is intact after two synths", async () => {
    const config = writeConfig(ONE_BACKEND_PER_TARGET);
    expect((await synth(config)).status).toBe(0);
    const stacks = readdirSync(join(project, "cdktf.out", "stacks")).sort();
    expect(stacks).toEqual(["recovery-aws", "recovery-azure", "recovery-gcp", "recovery-k8s"]);
    expect(stacks.map((stack) => Object.keys(backendBlock(stack))[0])).toEqual(["s3", "azurerm", "gcs", "local"]);
    const files = new Map(stacks.flatMap((stack) => [...leaveTerraformFiles(stack)]));
    // The local backend's state is outside the synth output, at the documented place.
    expect([...files.keys()].map((path) => relative(project, path)).filter((path) => !path.startsWith("cdktf.out/"))).toEqual(["state/recovery-k8s.tfstate"]);

    for (const run of [1, 2]) {
      const result = await synth(config);
      expect(result.status, `synth ${run}: ${result.stderr}`).toBe(0);
      expectIntact(files);
    }
  });

  it("local with a configured path: the state is intact after two synths", async () => {
    const config = writeConfig(awsOnly({ type: "local", path: "drills/recovery-aws.tfstate" }));
    expect((await synth(config)).status).toBe(0);
    const files = leaveTerraformFiles();
    expect([...files.keys()].map((path) => relative(project, path))).toContain("drills/recovery-aws.tfstate");
    for (const run of [1, 2]) {
      const result = await synth(config);
      expect(result.status, `synth ${run}: ${result.stderr}`).toBe(0);
      expectIntact(files);
    }
  });

  it("the same under the cdktf CLI, which passes its output folder (cdktf.out) as CDKTF_OUTDIR and runs Terraform there", async () => {
    const config = fromTemplate();
    const files = leaveTerraformFiles();
    expect((await synth(config, { CDKTF_OUTDIR: "cdktf.out" })).status).toBe(0);
    expectIntact(files);
  });
});

describe("npm run synth refuses an output folder that holds state", () => {
  it("names a state file an earlier version left in the stack folder, says how to move it, and changes nothing", async () => {
    const config = fromTemplate();
    // Where the local backend's default path put it before: terraform.<stack>.tfstate in the stack folder, and a
    // workspace's state in terraform.tfstate.d/ beside it.
    const old = join(stackDir(), `terraform.${STACK}.tfstate`);
    writeFileSync(old, STATE(3));
    mkdirSync(join(stackDir(), "terraform.tfstate.d", "drill"), { recursive: true });
    writeFileSync(join(stackDir(), "terraform.tfstate.d", "drill", "terraform.tfstate"), STATE(4));
    const manifest = readFileSync(join(project, "cdktf.out", "manifest.json"), "utf8");

    const refused = await synth(config);
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim().split("\n")).toEqual([
      "refusing to replace cdktf.out: it holds Terraform state, cdktf.out/stacks/recovery-aws/terraform.recovery-aws.tfstate (and 1 more), " +
        "and every synth replaces that folder; local state lives in state/ now: mkdir -p state && " +
        "mv cdktf.out/stacks/recovery-aws/terraform.recovery-aws.tfstate state/recovery-aws.tfstate, " +
        'then run `terraform init -migrate-state` in the stack folder (README, "Where Terraform state lives")',
    ]);
    expect(readFileSync(old, "utf8")).toBe(STATE(3));
    expect(readFileSync(join(project, "cdktf.out", "manifest.json"), "utf8")).toBe(manifest);
    expect(readdirSync(project).sort()).toEqual(["cdktf.out", "recovery.yaml"]);

    // Following the instructions (for the workspace's state too) lets the synth through, and the state stays where it went.
    mkdirSync(join(project, "state"));
    renameSync(old, join(project, "state", `${STACK}.tfstate`));
    expect((await synth(config)).stderr).toContain(
      "mkdir -p state/recovery-aws.tfstate.d/drill && mv cdktf.out/stacks/recovery-aws/terraform.tfstate.d/drill/terraform.tfstate state/recovery-aws.tfstate.d/drill/terraform.tfstate",
    );
    mkdirSync(join(project, "state", `${STACK}.tfstate.d`));
    renameSync(join(stackDir(), "terraform.tfstate.d", "drill"), join(project, "state", `${STACK}.tfstate.d`, "drill"));
    expect((await synth(config)).status).toBe(0);
    expect(readFileSync(join(project, "state", `${STACK}.tfstate`), "utf8")).toBe(STATE(3));
    expect(readFileSync(join(project, "state", `${STACK}.tfstate.d`, "drill", "terraform.tfstate"), "utf8")).toBe(STATE(4));
  });

  it("names an errored.tfstate, which Terraform writes in the stack folder when a state upload fails", async () => {
    const config = fromTemplate();
    const errored = join(stackDir(), "errored.tfstate");
    writeFileSync(errored, STATE(9));

    const refused = await synth(config);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /^refusing to replace cdktf\.out: it holds Terraform state, cdktf\.out\/stacks\/recovery-aws\/errored\.tfstate, .*terraform state push errored\.tfstate/,
    );
    expect(readFileSync(errored, "utf8")).toBe(STATE(9));
  });

  it("refuses under the cdktf CLI too, since the backend would no longer find that state", async () => {
    fromTemplate();
    writeFileSync(join(stackDir(), `terraform.${STACK}.tfstate`), STATE(3));
    const before = readFileSync(join(stackDir(), "cdk.tf.json"), "utf8");
    // A config that would change the stack, to see that nothing was written.
    const refused = await synth(writeConfig(awsOnly({ type: "local", path: "drills/recovery-aws.tfstate" })), { CDKTF_OUTDIR: "cdktf.out" });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /^refusing to write into cdktf\.out: it holds Terraform state, cdktf\.out\/stacks\/recovery-aws\/terraform\.recovery-aws\.tfstate, /,
    );
    expect(readFileSync(join(stackDir(), "cdk.tf.json"), "utf8")).toBe(before);
  });

  it("refuses a configured local state path inside the synth output, before writing anything", async () => {
    const config = writeConfig(awsOnly({ type: "local", path: "cdktf.out/recovery-aws.tfstate" }));
    const refused = await synth(config);
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim()).toMatch(
      /^targets\.aws\.backend\.path: "cdktf\.out\/recovery-aws\.tfstate" is inside the synth output cdktf\.out, which every synth replaces; keep state outside it/,
    );
    expect(readdirSync(project)).toEqual(["recovery.yaml"]);
  });
});

describe("CDKTF_OUTDIR naming a folder that is not a cdktf output", () => {
  it("is refused, and nothing is written beside the files there", async () => {
    const config = writeConfig(awsOnly({ type: "local" }));
    const theirs = join(project, "site");
    mkdirSync(theirs);
    writeFileSync(join(theirs, "index.html"), "<p>not synth output</p>");
    writeFileSync(join(theirs, "manifest.json"), '{ "name": "a web app manifest" }');

    const refused = await synth(config, { CDKTF_OUTDIR: "site" });
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim()).toBe(
      "refusing to write into site: it exists and is not a cdktf output folder (no cdktf manifest.json); move it away or point CDKTF_OUTDIR (cdktf.json's output) elsewhere",
    );
    expect(readdirSync(theirs).sort()).toEqual(["index.html", "manifest.json"]);
    expect(readdirSync(project).sort()).toEqual(["recovery.yaml", "site"]);
  });

  it("is written when it is empty (a folder the CLI created)", async () => {
    const config = writeConfig(awsOnly({ type: "local" }));
    mkdirSync(join(project, "empty"));
    expect((await synth(config, { CDKTF_OUTDIR: "empty" })).status).toBe(0);
    expect(backendBlock(STACK, "empty")).toEqual({
      local: { path: "../../../state/recovery-aws.tfstate", workspace_dir: "../../../state/recovery-aws.tfstate.d" },
    });
  });
});
