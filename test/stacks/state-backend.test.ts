import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { App, TerraformResource, TerraformStack, Testing } from "cdktf";
import type { StateBackendConfig } from "../../config/schema";
import { configureStateBackend } from "../../providers/backend";

function backendOf(backend: StateBackendConfig): Record<string, any> {
  const stack = new TerraformStack(new App({ outdir: "unused" }), "recovery-test");
  configureStateBackend(stack, "recovery-test", backend);
  return JSON.parse(Testing.synth(stack)).terraform.backend;
}

describe("the state backend", () => {
  it("keeps a drill's local state in state/<stack>.tfstate of the project folder, outside the synth output", () => {
    // Terraform runs in <outdir>/stacks/<stack>/, so three levels up is the folder that holds cdktf.out/.
    expect(backendOf({ type: "local" })).toEqual({
      local: { path: "../../../state/recovery-test.tfstate", workspace_dir: "../../../state/recovery-test.tfstate.d" },
    });
  });

  it("reads a configured local path as relative to the project folder, and keeps an absolute one", () => {
    expect(backendOf({ type: "local", path: "drills/aws.tfstate" }).local).toEqual({
      path: "../../../drills/aws.tfstate",
      workspace_dir: "../../../drills/aws.tfstate.d",
    });
    expect(backendOf({ type: "local", path: "/srv/dr-state/aws.tfstate" }).local).toEqual({
      path: "/srv/dr-state/aws.tfstate",
      workspace_dir: "/srv/dr-state/aws.tfstate.d",
    });
  });

  it("encrypts S3 state and locks it with S3's own lock file when no DynamoDB table is named", () => {
    expect(backendOf({ type: "s3", bucket: "acme-dr-state", key: "medplum.tfstate", region: "us-west-2" })).toEqual({
      s3: { bucket: "acme-dr-state", key: "medplum.tfstate", region: "us-west-2", encrypt: true, use_lockfile: true },
    });
  });

  it("locks S3 state with the named DynamoDB table instead", () => {
    const s3 = backendOf({
      type: "s3",
      bucket: "acme-dr-state",
      key: "medplum.tfstate",
      region: "us-west-2",
      lockTable: "tf-locks",
      kmsKeyId: "alias/state",
    }).s3;
    expect(s3).toMatchObject({ dynamodb_table: "tf-locks", kms_key_id: "alias/state", encrypt: true });
    expect(s3).not.toHaveProperty("use_lockfile");
  });

  it("supports GCS and Azure Storage for teams recovering into those clouds", () => {
    expect(backendOf({ type: "gcs", bucket: "acme-dr-state", prefix: "medplum" })).toEqual({ gcs: { bucket: "acme-dr-state", prefix: "medplum" } });
    expect(
      backendOf({ type: "azurerm", resourceGroupName: "dr-state", storageAccountName: "acmedrstate", containerName: "tfstate", key: "medplum.tfstate" })
        .azurerm,
    ).toEqual({ resource_group_name: "dr-state", storage_account_name: "acmedrstate", container_name: "tfstate", key: "medplum.tfstate" });
  });
});

// Real Terraform, no provider: terraform_data is built in, so init and apply need neither a mirror nor a network.
const terraformBinary = process.env.TERRAFORM_BINARY ?? "terraform";
const terraformRuns = spawnSync(terraformBinary, ["version"], { encoding: "utf8" }).status === 0;

test("Terraform for the local-backend apply test is present", () => {
  if (terraformRuns) return;
  const message = `${terraformBinary} is not runnable; the local-backend apply test cannot run`;
  if (process.env.CI) throw new Error(message);
  console.warn(`SKIPPING the local-backend apply test: ${message}`);
});

describe.skipIf(!terraformRuns)("the local backend under a real terraform init + apply", () => {
  let project: string;
  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), "medplum-dr-state-"));
  });
  afterEach(() => rmSync(project, { recursive: true, force: true }));

  /** Synthesizes a one-resource stack into <project>/cdktf.out as main.ts would, and returns its stack folder. */
  function synthDrill(backend: StateBackendConfig): string {
    const app = new App({ outdir: join(project, "cdktf.out") });
    const stack = new TerraformStack(app, "recovery-test");
    configureStateBackend(stack, "recovery-test", backend);
    new TerraformResource(stack, "marker", { terraformResourceType: "terraform_data" });
    app.synth();
    return join(project, "cdktf.out", "stacks", "recovery-test");
  }

  const terraform = (stackDir: string, ...args: string[]) =>
    promisify(execFile)(terraformBinary, args, {
      cwd: stackDir,
      env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0" },
    });

  const stateFilesIn = (folder: string): string[] =>
    readdirSync(folder, { recursive: true, encoding: "utf8" })
      .filter((path) => /\.tfstate(\.backup)?$/.test(path) && !path.split("/").includes(".terraform"))
      .filter((path) => statSync(join(folder, path)).isFile())
      .sort();

  const resourcesIn = (file: string) => (JSON.parse(readFileSync(file, "utf8")) as { resources: { type: string }[] }).resources.map((r) => r.type);

  it("writes the default workspace's and a drill workspace's state under <project>/state/, nothing in cdktf.out/", async () => {
    const stackDir = synthDrill({ type: "local" });
    await terraform(stackDir, "init", "-input=false");
    await terraform(stackDir, "apply", "-input=false", "-auto-approve");
    await terraform(stackDir, "workspace", "new", "drill");
    await terraform(stackDir, "apply", "-input=false", "-auto-approve");

    expect(stateFilesIn(project)).toEqual(["state/recovery-test.tfstate", "state/recovery-test.tfstate.d/drill/terraform.tfstate"]);
    expect(resourcesIn(join(project, "state/recovery-test.tfstate"))).toEqual(["terraform_data"]);
    expect(resourcesIn(join(project, "state/recovery-test.tfstate.d/drill/terraform.tfstate"))).toEqual(["terraform_data"]);
    expect(stateFilesIn(join(project, "cdktf.out"))).toEqual([]);
  });

  it("writes a configured relative path's state relative to the project folder", async () => {
    const stackDir = synthDrill({ type: "local", path: "drills/aws.tfstate" });
    await terraform(stackDir, "init", "-input=false");
    await terraform(stackDir, "apply", "-input=false", "-auto-approve");

    expect(stateFilesIn(project)).toEqual(["drills/aws.tfstate"]);
    expect(existsSync(join(project, "cdktf.out", "stacks", "recovery-test", ".terraform", "terraform.tfstate"))).toBe(true);
    // The output folder deleted and synthesized afresh, the next apply finds the state: nothing to add.
    rmSync(join(project, "cdktf.out"), { recursive: true });
    const again = synthDrill({ type: "local", path: "drills/aws.tfstate" });
    await terraform(again, "init", "-input=false");
    const { stdout } = await terraform(again, "apply", "-input=false", "-auto-approve");
    expect(stdout).toMatch(/Resources: 0 added, 0 changed, 0 destroyed/);
  });
});
