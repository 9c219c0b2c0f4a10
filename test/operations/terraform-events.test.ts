import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  applyWithProgress,
  ApplyTimer,
  dependenciesFromState,
  measuredCriticalPath,
  parseTerraformEvents,
  type ApplyRun,
  type ResourceTiming,
  TerraformUiVersionError,
} from "../../operations/terraform-events";
import { skipWithoutTerraform } from "../report/terraform-helpers";

const TERRAFORM = process.env.TERRAFORM_BINARY ?? "terraform";
const env = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };

function run(args: readonly string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(TERRAFORM, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", (error) => resolve({ code: null, stdout, stderr: error.message }));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Only Terraform itself is needed (terraform_data is built in): no provider mirror. Asked asynchronously, like every Terraform run here. */
async function skipUnlessTerraformRuns(): Promise<boolean> {
  const version = await run(["version"], tmpdir());
  return skipWithoutTerraform(
    "the terraform apply -json parser tests",
    version.code === 0 ? { available: true, reason: "" } : { available: false, reason: `${TERRAFORM} is not runnable (${version.stderr.trim()})` },
  );
}

/** A recovery in miniature: the database is the slow step everything after it waits for. */
const RECOVERY_TF = `
resource "terraform_data" "network" {
  provisioner "local-exec" { command = "sleep 1" }
}
resource "terraform_data" "database" {
  depends_on = [terraform_data.network]
  provisioner "local-exec" { command = "sleep 3" }
}
resource "terraform_data" "cache" {
  depends_on = [terraform_data.network]
  provisioner "local-exec" { command = "sleep 1" }
}
resource "terraform_data" "application" {
  depends_on = [terraform_data.database, terraform_data.cache]
  provisioner "local-exec" { command = "sleep 1" }
}
resource "terraform_data" "dns" {
  depends_on = [terraform_data.application]
}
`;

async function applyConfiguration(tf: string): Promise<ApplyRun & { dir: string; lines: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), "medplum-dr-tf-events-"));
  writeFileSync(join(dir, "main.tf"), tf);
  const init = await run(["init", "-input=false", "-no-color"], dir);
  if (init.code !== 0) throw new Error(`terraform init failed: ${init.stderr}`);
  const lines: string[] = [];
  const result = await applyWithProgress({ cwd: dir, env, terraform: TERRAFORM, progress: { write: (line) => lines.push(line) } });
  return { ...result, dir, lines };
}

const byName = (resources: readonly ResourceTiming[]) =>
  Object.fromEntries(resources.map((resource) => [resource.address.replace("terraform_data.", ""), resource]));

describe("terraform apply -json, for real (terraform_data with local-exec sleeps)", () => {
  let skip = true;
  let applied: Awaited<ReturnType<typeof applyConfiguration>>;
  beforeAll(async () => {
    skip = await skipUnlessTerraformRuns();
    if (!skip) applied = await applyConfiguration(RECOVERY_TF);
  });
  beforeEach((context) => {
    if (skip) context.skip();
  });
  afterAll(() => applied && rmSync(applied.dir, { recursive: true, force: true }));

  it("measures each resource's creation time from apply_start to apply_complete", () => {
    expect(applied.exitCode).toBe(0);
    expect(applied.timing.outcome).toBe("complete");
    expect(applied.timing.changes).toEqual({ add: 5, change: 0, remove: 0 });
    const r = byName(applied.timing.resources);
    for (const [name, sleep] of [
      ["network", 1],
      ["database", 3],
      ["cache", 1],
      ["application", 1],
    ] as const) {
      expect(r[name]?.status).toBe("complete");
      expect(r[name]?.action).toBe("create");
      expect(r[name]?.seconds).toBeGreaterThanOrEqual(sleep);
      expect(r[name]?.seconds).toBeLessThan(sleep + 3);
    }
    expect(r.dns?.seconds).toBeLessThan(1);
    // Terraform started each resource only after what it depends on had finished.
    expect(Date.parse(r.database?.startedAt as string)).toBeGreaterThanOrEqual(Date.parse(r.network?.finishedAt as string));
    expect(Date.parse(r.application?.startedAt as string)).toBeGreaterThanOrEqual(
      Math.max(Date.parse(r.database?.finishedAt as string), Date.parse(r.cache?.finishedAt as string)),
    );
  });

  it("implies the critical path through the slow database, as long as the apply actually took", async () => {
    const state = await run(["show", "-json"], applied.dir);
    const dependsOn = dependenciesFromState(JSON.parse(state.stdout));
    // State records every resource a resource was ordered after, transitively.
    expect(Object.fromEntries(dependsOn)).toEqual({
      "terraform_data.network": [],
      "terraform_data.database": ["terraform_data.network"],
      "terraform_data.cache": ["terraform_data.network"],
      "terraform_data.application": ["terraform_data.cache", "terraform_data.database", "terraform_data.network"],
      "terraform_data.dns": ["terraform_data.application", "terraform_data.cache", "terraform_data.database", "terraform_data.network"],
    });
    const path = measuredCriticalPath(applied.timing, dependsOn);
    expect(path.path).toEqual(["terraform_data.network", "terraform_data.database", "terraform_data.application", "terraform_data.dns"]);
    // The path's length is what the apply spent creating resources: from the first start to the last completion,
    // less only Terraform's scheduling gaps between a resource finishing and its dependent starting.
    const r = byName(applied.timing.resources);
    const creating = (Date.parse(r.dns?.finishedAt as string) - Date.parse(r.network?.startedAt as string)) / 1000;
    expect(path.totalMinutes * 60).toBeGreaterThanOrEqual(5);
    expect(path.totalMinutes * 60).toBeLessThanOrEqual(creating + 0.001);
    expect(creating - path.totalMinutes * 60).toBeLessThan(2);
    // End to end (refresh, plan, apply) is longer still.
    expect(applied.timing.durationSeconds).toBeGreaterThanOrEqual(creating);
  });

  it("prints one progress line per step of the apply", () => {
    expect(applied.lines[0]).toMatch(/^\[00:00\] terraform 1\.\d+\.\d+$/);
    expect(applied.lines).toContainEqual(expect.stringMatching(/^\[00:\d\d\] terraform_data\.database creating$/));
    expect(applied.lines).toContainEqual(expect.stringMatching(/^\[00:\d\d\] plan: 5 to add, 0 to change, 0 to destroy$/));
    const created = applied.lines.find((line) => /^\[00:\d\d\] terraform_data\.database created after \d+\.\ds \([1-5]\/5\)$/.test(line));
    // The measured time (timestamps), as the drill record keeps it.
    expect(Number(/after (\d+\.\d)s/.exec(created ?? "")?.[1])).toBeCloseTo(byName(applied.timing.resources).database?.seconds as number, 0);
    expect(applied.lines.at(-1)).toMatch(/^\[00:\d\d\] apply: 5 to add, 0 to change, 0 to destroy$/);
    // 1 version + 2 summaries + 5 starts + 5 completions; provisioner output and the plan list stay quiet.
    expect(applied.lines).toHaveLength(13);
  });

  it("reports a failed resource, Terraform's error, and the resources that never started", async () => {
    const failed = await applyConfiguration(`
resource "terraform_data" "database" {
  provisioner "local-exec" { command = "sleep 1; exit 3" }
}
resource "terraform_data" "application" {
  depends_on = [terraform_data.database]
}
`);
    try {
      expect(failed.exitCode).toBe(1);
      expect(failed.timing.outcome).toBe("errored");
      expect(failed.timing.resources).toEqual([expect.objectContaining({ address: "terraform_data.database", status: "errored" })]);
      expect(failed.timing.resources[0]?.seconds).toBeGreaterThanOrEqual(1);
      expect(failed.timing.errors).toEqual([
        expect.stringMatching(/^local-exec provisioner error: Error running command 'sleep 1; exit 3': exit status 3\..* \(terraform_data\.database\)$/),
      ]);
      expect(failed.lines).toContainEqual(expect.stringMatching(/^\[00:\d\d\] terraform_data\.database FAILED after [1-9]\.\ds \(1\/2\)$/));
      expect(failed.lines).toContainEqual(expect.stringMatching(/error: local-exec provisioner error \(terraform_data\.database\): Error running command/));
    } finally {
      rmSync(failed.dir, { recursive: true, force: true });
    }
  });
});

describe("parseTerraformEvents", () => {
  it("refuses a machine-readable UI major version it does not know", async () => {
    const lines = [
      '{"@level":"info","@message":"Terraform 2.0.0","@module":"terraform.ui","@timestamp":"2027-01-01T00:00:00.000000Z","terraform":"2.0.0","type":"version","ui":"2.0"}',
    ];
    const events = parseTerraformEvents(lines);
    await expect(events.next()).rejects.toThrow(TerraformUiVersionError);
  });

  it("keeps plain-text lines, and leaves a resource running when the stream ends mid-apply", async () => {
    const hook = (type: string, at: string) =>
      JSON.stringify({
        "@level": "info",
        "@message": "",
        "@timestamp": at,
        type,
        hook: {
          resource: {
            addr: "aws_rds_cluster.database_cluster",
            module: "",
            resource_type: "aws_rds_cluster",
            resource_name: "database_cluster",
            resource_key: null,
          },
          action: "create",
          elapsed_seconds: 10,
        },
      });
    const timer = new ApplyTimer();
    const types: string[] = [];
    for await (const event of parseTerraformEvents([
      "Error: something printed as text",
      hook("apply_start", "2026-11-30T08:00:00.250000Z"),
      hook("apply_progress", "2026-11-30T08:00:10.250000Z"),
    ])) {
      types.push(event.type);
      timer.observe(event);
    }
    expect(types).toEqual(["text", "apply_start", "apply_progress"]);
    const timing = timer.timing();
    expect(timing.outcome).toBe("incomplete");
    expect(timing.resources).toEqual([
      {
        address: "aws_rds_cluster.database_cluster",
        resourceAddress: "aws_rds_cluster.database_cluster",
        resourceType: "aws_rds_cluster",
        action: "create",
        startedAt: "2026-11-30T08:00:00.250000Z",
        status: "running",
      },
    ]);
    expect(timing.durationSeconds).toBe(10);
  });
});
