/**
 * The backup CronJobs mount their scripts from a ConfigMap whose text Terraform evaluates as a template. The real
 * Terraform binary evaluates the exact strings BackupCronJobs synthesizes (an output is enough, no provider) and each
 * must come back byte for byte as the tested file. Needs `terraform` on PATH: fails in CI without it, skips loudly
 * elsewhere.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { BACKUP_SCRIPT_FILES, BackupCronJobs, backupScriptPath } from "../../modules/kubernetes/standby/backup-cronjobs";
import { runProcess } from "../support/cli";
import { findOnPath } from "../support/path";

const terraform = findOnPath("terraform");

test("terraform is present for the backup scripts' ConfigMap round trip", () => {
  if (terraform !== undefined) return;
  if (process.env.CI) throw new Error("terraform is not on PATH; the backup scripts' ConfigMap cannot be checked");
  console.warn("SKIPPING the backup scripts' ConfigMap round trip: terraform is not on PATH");
});

describe.skipIf(terraform === undefined)("the backup scripts' ConfigMap, as Terraform evaluates it", () => {
  let folder: string;
  afterAll(() => folder && rmSync(folder, { recursive: true, force: true }));

  test("holds each tested script byte for byte", async () => {
    const synthesized = JSON.parse(
      Testing.synthScope(
        (scope) =>
          new BackupCronJobs(scope, "backups", {
            namespace: "medplum",
            database: { host: "db", user: "medplum", passwordSecret: { secretName: "db", key: "password" } },
            dumpSchedule: "@hourly",
            verifySchedule: "0 4 * * *",
            retention: { count: 24 },
            destination: { kind: "volume", claimName: "backups" },
            image: "postgres:15",
            dumpResources: { scratchGiB: 1 },
            verifyResources: { scratchGiB: 5 },
          }),
      ),
    );
    const [configMap] = Object.values(synthesized.resource.kubernetes_config_map_v1 as Record<string, { data: Record<string, string> }>);
    folder = mkdtempSync(join(tmpdir(), "backup-configmap-"));
    const outputs = Object.fromEntries(BACKUP_SCRIPT_FILES.map((file, index) => [`script${index}`, { value: configMap?.data[file] }]));
    writeFileSync(join(folder, "main.tf.json"), JSON.stringify({ output: outputs }));
    const run = (args: string[]) => runProcess(terraform as string, args, { cwd: folder, env: { TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" } });
    const state = `-state=${join(folder, "terraform.tfstate")}`;

    expect((await run(["init", "-input=false", "-backend=false"])).status).toBe(0);
    const apply = await run(["apply", "-input=false", "-auto-approve", state]);
    expect(apply.status, apply.stderr).toBe(0);
    for (const [index, file] of BACKUP_SCRIPT_FILES.entries()) {
      const output = await run(["output", state, "-raw", `script${index}`]);
      expect(output.status, output.stderr).toBe(0);
      expect(output.stdout, file).toBe(readFileSync(backupScriptPath(file), "utf8"));
    }
  });
});
