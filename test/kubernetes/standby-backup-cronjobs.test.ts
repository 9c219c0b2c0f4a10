/**
 * BackupCronJobs on synthesized JSON: the schedules and run limits, the restricted pod security of both pods, secrets
 * only by reference, each destination's wiring, the scripts byte for byte, and the prop checks.
 */
import { readFileSync } from "node:fs";
import { Testing } from "cdktf";
import { BACKUP_SCRIPT_FILES, BackupCronJobs, backupScriptPath, type BackupCronJobsProps } from "../../modules/kubernetes/standby/backup-cronjobs";
import type { Synthesized } from "./fixtures";

function props(overrides: Partial<BackupCronJobsProps> = {}): BackupCronJobsProps {
  return {
    namespace: "medplum",
    database: { host: "medplum-postgres.medplum.svc", user: "medplum", passwordSecret: { secretName: "medplum-postgres-app", key: "password" } },
    dumpSchedule: "*/30 * * * *",
    verifySchedule: "15 3 * * *",
    timeZone: "Etc/UTC",
    retention: { count: 48, days: 7 },
    destination: { kind: "volume", claimName: "medplum-backups", path: "medplum" },
    image: "postgres:15.8",
    dumpResources: { scratchGiB: 2 },
    verifyResources: { scratchGiB: 20 },
    webhookSecret: { secretName: "medplum-backup-webhook", key: "url" },
    verifyMaxAgeHours: 2,
    ...overrides,
  };
}

const synth = (input: BackupCronJobsProps = props()) => JSON.parse(Testing.synthScope((scope) => new BackupCronJobs(scope, "backups", input))) as Synthesized;
const cronJobs = (synthesized: Synthesized) => synthesized.resource.kubernetes_cron_job_v1 as Record<string, any>;
const cronJob = (synthesized: Synthesized, component: "dump" | "verify") =>
  Object.values(cronJobs(synthesized)).find((job) => job.metadata.name === `medplum-backup-${component}`);
const pod = (synthesized: Synthesized, component: "dump" | "verify") => cronJob(synthesized, component).spec.job_template.spec.template.spec;
const container = (synthesized: Synthesized, component: "dump" | "verify") => pod(synthesized, component).container[0];
const env = (synthesized: Synthesized, component: "dump" | "verify") =>
  Object.fromEntries((container(synthesized, component).env as any[]).map((variable) => [variable.name, variable]));

describe("BackupCronJobs", () => {
  const synthesized = synth();

  test("dumps on the RPO's schedule and verifies on its own, in the given time zone, never two runs at once", () => {
    expect(cronJob(synthesized, "dump").spec).toMatchObject({ schedule: "*/30 * * * *", timezone: "Etc/UTC", concurrency_policy: "Forbid" });
    expect(cronJob(synthesized, "verify").spec).toMatchObject({ schedule: "15 3 * * *", timezone: "Etc/UTC", concurrency_policy: "Forbid" });
  });

  test("bounds each run: a backoff limit and an active deadline from the timeouts", () => {
    expect(cronJob(synthesized, "dump").spec.job_template.spec).toMatchObject({ backoff_limit: 1, active_deadline_seconds: 7200 });
    expect(cronJob(synthesized, "verify").spec.job_template.spec).toMatchObject({ backoff_limit: 1, active_deadline_seconds: 14400 });
    const custom = synth(props({ dumpTimeoutMinutes: 45, backoffLimit: 0 }));
    expect(cronJob(custom, "dump").spec.job_template.spec).toMatchObject({ backoff_limit: 0, active_deadline_seconds: 2700 });
  });

  test.each(["dump", "verify"] as const)("runs the %s pod under the restricted Pod Security profile", (component) => {
    expect(pod(synthesized, component)).toMatchObject({
      restart_policy: "Never",
      automount_service_account_token: false,
      security_context: { run_as_non_root: true, run_as_user: "999", fs_group: "999", seccomp_profile: { type: "RuntimeDefault" } },
    });
    expect(container(synthesized, component).security_context).toEqual({
      run_as_non_root: true,
      run_as_user: "999",
      allow_privilege_escalation: false,
      privileged: false,
      read_only_root_filesystem: true,
      capabilities: { drop: ["ALL"] },
      seccomp_profile: { type: "RuntimeDefault" },
    });
  });

  test("gives each pod a scratch emptyDir of its size and requests that much ephemeral storage, plus room for logs", () => {
    for (const [component, gib] of [
      ["dump", 2],
      ["verify", 20],
    ] as const) {
      expect(pod(synthesized, component).volume).toContainEqual({ name: "scratch", empty_dir: { size_limit: `${gib}Gi` } });
      expect(container(synthesized, component).volume_mount).toContainEqual({ name: "scratch", mount_path: "/scratch" });
      expect(container(synthesized, component).resources.requests["ephemeral-storage"]).toBe(`${gib + 1}Gi`);
      expect(container(synthesized, component).resources.limits["ephemeral-storage"]).toBe(`${gib + 2}Gi`);
      expect(env(synthesized, component).TMPDIR.value).toBe("/scratch");
    }
  });

  test("runs the scripts from the ConfigMap, which holds the tested files byte for byte", () => {
    const scripts = Object.values(synthesized.resource.kubernetes_config_map_v1 as Record<string, any>);
    expect(scripts).toHaveLength(1);
    // Terraform reads "${" and "%{" as template syntax; the ConfigMap escapes them ($${, %%{) and Terraform writes them back.
    const terraformUnescaped = (text: string) => text.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
    for (const file of BACKUP_SCRIPT_FILES) {
      const data: string = scripts[0].data[file];
      expect(data.replace(/\$\$\{|%%\{/g, "")).not.toMatch(/\$\{|%\{/);
      expect(terraformUnescaped(data), file).toBe(readFileSync(backupScriptPath(file), "utf8"));
    }
    expect(container(synthesized, "dump").command).toEqual(["bash", "/scripts/dump-medplum-db.sh"]);
    expect(container(synthesized, "verify").command).toEqual(["bash", "/scripts/verify-medplum-dump.sh"]);
    // By reference: Terraform creates the ConfigMap before the CronJobs that mount it.
    const mounted = (pod(synthesized, "dump").volume as any[]).find((volume) => volume.name === "scripts");
    expect(mounted.config_map).toEqual({
      name: expect.stringMatching(/^\$\{kubernetes_config_map_v1\.backups_scripts_[0-9A-F]+\.metadata\[0\]\.name\}$/),
      default_mode: "0555",
    });
    expect(scripts[0].metadata.name).toBe("medplum-backup-scripts");
  });

  test("takes the database password and the webhook URL from Secrets by reference, never as a value", () => {
    expect(env(synthesized, "dump").PGPASSWORD).toEqual({
      name: "PGPASSWORD",
      value_from: { secret_key_ref: { name: "medplum-postgres-app", key: "password", optional: false } },
    });
    expect(env(synthesized, "verify").VERIFY_WEBHOOK_URL_FILE.value).toBe("/secrets/webhook/url");
    expect(pod(synthesized, "verify").volume).toContainEqual({
      name: "webhook",
      secret: { secret_name: "medplum-backup-webhook", default_mode: "0440", optional: false, items: [{ key: "url", path: "url" }] },
    });
    // The verify restores into its own throwaway server: it holds no password of the primary's.
    expect(env(synthesized, "verify").PGPASSWORD).toBeUndefined();
    expect(env(synthesized, "verify").VERIFY_SERVER.value).toBe("local");
    const s3 = synth(props({ destination: { kind: "s3", bucket: "dumps", prefix: "medplum", region: "eu-west-1", credentialsSecret: "backup-writer" } }));
    for (const name of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]) {
      expect(env(s3, "dump")[name]).toEqual({ name, value_from: { secret_key_ref: { name: "backup-writer", key: name, optional: false } } });
    }
    for (const component of ["dump", "verify"] as const) {
      for (const variable of container(s3, component).env as any[]) {
        if (/PASSWORD|SECRET|TOKEN|KEY_ID/.test(variable.name)) expect(variable.value, variable.name).toBeUndefined();
      }
    }
  });

  test("mounts a volume destination read-write for the dump and read-only for the verify", () => {
    expect(env(synthesized, "dump").DUMP_DESTINATION.value).toBe("/backups/medplum");
    expect(container(synthesized, "dump").volume_mount).toContainEqual({ name: "backups", mount_path: "/backups", read_only: false });
    expect(container(synthesized, "verify").volume_mount).toContainEqual({ name: "backups", mount_path: "/backups", read_only: true });
    expect(pod(synthesized, "verify").volume).toContainEqual({ name: "backups", persistent_volume_claim: { claim_name: "medplum-backups" } });
  });

  test.each([
    [
      { kind: "s3", bucket: "dumps", prefix: "/medplum/", region: "eu-west-1", endpoint: "https://minio.storage.svc:9000" },
      "s3://dumps/medplum",
      { AWS_REGION: "eu-west-1", S3_ENDPOINT: "https://minio.storage.svc:9000" },
    ],
    [{ kind: "gcs", bucket: "dumps", credentialsSecret: "backup-sa" }, "gs://dumps", { GOOGLE_APPLICATION_CREDENTIALS: "/secrets/gcs/key.json" }],
    [
      { kind: "azure-blob", account: "medplumdr", container: "dumps", prefix: "pg", sasTokenSecret: "backup-sas" },
      "https://medplumdr.blob.core.windows.net/dumps/pg",
      { AZURE_SAS_TOKEN_FILE: "/secrets/azure/sasToken" },
    ],
  ] as const)("points the scripts at the %o destination", (destination, url, variables) => {
    const synthesizedFor = synth(props({ destination: destination as BackupCronJobsProps["destination"] }));
    for (const component of ["dump", "verify"] as const) {
      expect(env(synthesizedFor, component).DUMP_DESTINATION.value).toBe(url);
      for (const [name, value] of Object.entries(variables)) expect(env(synthesizedFor, component)[name].value).toBe(value);
      expect(pod(synthesizedFor, component).volume.map((volume: any) => volume.name)).not.toContain("backups");
    }
  });

  test("passes the retention rules to the dump script, 0 for a rule not given", () => {
    expect(env(synthesized, "dump").DUMP_RETENTION_COUNT.value).toBe("48");
    expect(env(synthesized, "dump").DUMP_RETENTION_DAYS.value).toBe("7");
    const byCount = synth(props({ retention: { count: 10 } }));
    expect(env(byCount, "dump").DUMP_RETENTION_DAYS.value).toBe("0");
  });

  test("synthesizes the same JSON every time", () => {
    expect(Testing.synthScope((scope) => new BackupCronJobs(scope, "backups", props()))).toBe(
      Testing.synthScope((scope) => new BackupCronJobs(scope, "backups", props())),
    );
  });

  test.each([
    [{ dumpSchedule: "every 30 minutes" }, /dumpSchedule: "every 30 minutes" is not a cron schedule/],
    [{ verifySchedule: "TZ=Europe/Paris 0 3 * * *" }, /verifySchedule: .* sets a time zone inside the schedule/],
    [{ timeZone: "+02:00" }, /timeZone: "\+02:00" is not an IANA time zone name/],
    [{ retention: {} }, /retention: gives neither count nor days/],
    [{ retention: { count: 0 } }, /retention.count: 0 is not a whole number from 1 to 9999/],
    [{ dumpResources: { scratchGiB: 1.5 } }, /dumpResources.scratchGiB: 1.5 is not a whole number/],
    [{ name: "Medplum_Backup" }, /name: "Medplum_Backup" is not a lower-case DNS label/],
    [{ destination: { kind: "s3", bucket: "dumps", prefix: "a b", region: "eu-west-1" } }, /destination.prefix: "a b" may hold only/],
    [
      { destination: { kind: "azure-blob", account: "Medplum-DR", container: "dumps", sasTokenSecret: "sas" } },
      /destination.account: "Medplum-DR" is not a storage account name/,
    ],
    [{ webhookSecret: { secretName: "Hook", key: "url" } }, /webhookSecret.secretName: "Hook" is not a Kubernetes Secret name/],
  ] as const)("refuses %o with a message naming the field", (override, message) => {
    expect(() => synth(props(override as Partial<BackupCronJobsProps>))).toThrow(message);
  });
});
