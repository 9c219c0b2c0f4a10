/**
 * The restore Job mounts the script from a ConfigMap whose text Terraform evaluates as a template. This test lets the
 * real Terraform binary evaluate the exact string the stack synthesizes (no provider needed: an output is enough) and
 * checks it comes back byte for byte as the tested file. Needs `terraform` on PATH: fails in CI without it, skips
 * loudly elsewhere.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fetchScriptPath, RESTORE_SCRIPT_PATH } from "../../modules/kubernetes/target/restore-job";
import { byName, kubernetesConfig, synthKubernetesStack } from "./stack-fixtures";
import { runProcess } from "../support/cli";
import { findOnPath } from "../support/path";

const terraform = findOnPath("terraform") ?? "";

test("terraform is present for the ConfigMap round-trip test", () => {
  if (terraform !== "") return;
  if (process.env.CI) throw new Error("terraform is not on PATH; the restore-script ConfigMap round trip cannot be checked");
  console.warn("SKIPPING script-configmap test: terraform is not on PATH");
});

describe.skipIf(terraform === "")("the restore script ConfigMap, as Terraform evaluates it", () => {
  let folder: string;
  afterAll(() => folder && rmSync(folder, { recursive: true, force: true }));

  test("is the tested script byte for byte", async () => {
    const synthesized = synthKubernetesStack();
    const data: string = byName(synthesized, "kubernetes_config_map_v1")["medplum-restore-script"].data["restore-medplum-db.sh"];
    folder = mkdtempSync(join(tmpdir(), "script-configmap-"));
    writeFileSync(join(folder, "main.tf.json"), JSON.stringify({ output: { script: { value: data } } }));
    const run = (args: string[]) => runProcess(terraform, args, { cwd: folder, env: { TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" } });

    const init = await run(["init", "-input=false", "-backend=false"]);
    expect(init.status, init.stderr).toBe(0);
    const apply = await run(["apply", "-input=false", "-auto-approve", `-state=${join(folder, "terraform.tfstate")}`]);
    expect(apply.status, apply.stderr).toBe(0);
    const output = await run(["output", `-state=${join(folder, "terraform.tfstate")}`, "-raw", "script"]);
    expect(output.status, output.stderr).toBe(0);
    expect(output.stdout).toBe(readFileSync(RESTORE_SCRIPT_PATH, "utf8"));
  });

  test("with dump.manifest, carries the fetch script and the store library byte for byte too", async () => {
    const synthesized = synthKubernetesStack(
      kubernetesConfig((doc) => {
        const { url: _url, s3Region: _region, credentialsSecret: _secret, ...rest } = doc.targets.kubernetes.database.dump;
        doc.targets.kubernetes.database.dump = { ...rest, manifest: { kind: "volume", claimName: "medplum-backups" } };
      }),
    );
    const data: Record<string, string> = byName(synthesized, "kubernetes_config_map_v1")["medplum-restore-script"].data;
    const files = ["fetch-newest-dump.sh", "dump-store.sh"] as const;
    const manifestFolder = mkdtempSync(join(tmpdir(), "script-configmap-manifest-"));
    try {
      writeFileSync(
        join(manifestFolder, "main.tf.json"),
        JSON.stringify({ output: Object.fromEntries(files.map((file, index) => [`script${index}`, { value: data[file] }])) }),
      );
      const run = (args: string[]) => runProcess(terraform, args, { cwd: manifestFolder, env: { TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" } });
      expect((await run(["init", "-input=false", "-backend=false"])).status).toBe(0);
      const state = join(manifestFolder, "terraform.tfstate");
      const apply = await run(["apply", "-input=false", "-auto-approve", `-state=${state}`]);
      expect(apply.status, apply.stderr).toBe(0);
      for (const [index, file] of files.entries()) {
        const output = await run(["output", `-state=${state}`, "-raw", `script${index}`]);
        expect(output.stdout, file).toBe(readFileSync(fetchScriptPath(file), "utf8"));
      }
    } finally {
      rmSync(manifestFolder, { recursive: true, force: true });
    }
  });
});
