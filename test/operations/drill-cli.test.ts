/**
 * `npm run drill` end to end, with two stand-ins named as such: Terraform runs for real, but through a wrapper that
 * applies a small terraform_data configuration (local-exec sleeps) instead of the drill's AWS stack, which needs an AWS
 * account; and verify talks to the Medplum test double. What is real: the drill variant, its synth into the drill's
 * own folder, terraform init/apply -json/destroy run asynchronously with progress, verify, and the drill record.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main, type DrillIo } from "../../operations/drill-cli";
import { readDrillRecord } from "../../operations/drill-record";
import { hostMention } from "../../synth/synthesize";
import { runProcess } from "../support/cli";
import { skipWithoutTerraform } from "../report/terraform-helpers";
import { MedplumTestDouble, resource } from "./medplum-test-double";

const ROOT = join(__dirname, "../..");
const TERRAFORM = process.env.TERRAFORM_BINARY ?? "terraform";

/** Stands in for the drill's infrastructure: two steps, the second waiting for the first. */
const STAND_IN_TF = `
resource "terraform_data" "database" {
  provisioner "local-exec" { command = "sleep 1" }
}
resource "terraform_data" "application" {
  depends_on = [terraform_data.database]
  provisioner "local-exec" { command = "sleep 1" }
}
`;

describe("npm run drill (Terraform through a terraform_data stand-in, verify against the Medplum test double)", () => {
  const skip = skipWithoutTerraform("test/operations/drill-cli.test.ts (terraform init/apply/destroy of a stand-in)");
  let workdir: string;
  let standIn: string;
  let config: string;
  let double: MedplumTestDouble;
  let env: NodeJS.ProcessEnv;
  const lines = { out: [] as string[], err: [] as string[] };
  const io = (): DrillIo => ({
    out: (line) => lines.out.push(line),
    err: (line) => lines.err.push(line),
    now: () => new Date(),
    outdir: join(workdir, "cdktf.out.drill"),
    recordsDir: join(workdir, "drills"),
  });

  beforeAll(async () => {
    workdir = mkdtempSync(join(tmpdir(), "medplum-dr-drill-cli-"));
    standIn = join(workdir, "stand-in");
    mkdirSync(standIn);
    writeFileSync(join(standIn, "main.tf"), STAND_IN_TF);
    const wrapper = join(workdir, "terraform-stand-in.sh");
    // Every command the drill runs goes to the stand-in configuration, with the drill's own arguments.
    writeFileSync(wrapper, `#!/bin/sh\nexec "${TERRAFORM}" -chdir="${standIn}" "$@"\n`);
    chmodSync(wrapper, 0o755);
    config = join(workdir, "acme.yaml");
    writeFileSync(
      config,
      `${readFileSync(join(ROOT, "config/example.yaml"), "utf8").replace("image: medplum/medplum-server:4.3.9", "image: medplum/medplum-server:5.0.10")}\nverify:\n  rpoResourceTypes: [Patient]\n`,
    );
    double = await new MedplumTestDouble()
      .add(resource("Patient", "p1", "2026-11-30T07:52:00.000Z"), resource("Binary", "b1", "2026-11-30T07:00:00.000Z", { contentType: "text/plain" }))
      .start();
    double.state.storage.set("b1", Buffer.from("hello"));
    env = { ...process.env, RECOVERY_CONFIG: config, TERRAFORM_BINARY: wrapper, MEDPLUM_CLIENT_ID: "client-1", MEDPLUM_CLIENT_SECRET: "s3cret" };
  });
  afterAll(async () => {
    await double?.stop();
    if (workdir) rmSync(workdir, { recursive: true, force: true });
  });
  beforeEach((context) => {
    lines.out.length = 0;
    lines.err.length = 0;
    if (skip) context.skip();
  });

  it("deploys the drill with progress, verifies it, and writes a drill record with measured times", async () => {
    const code = await main(["--stack", "recovery-aws", "--at", "2026-11-30T08:00:00Z", "--url", double.baseUrl, "--expires-on", "2026-12-04"], env, io());
    expect(code, lines.err.join("\n")).toBe(0);
    // The drill's own synth, with no production host in it.
    const stack = JSON.parse(readFileSync(join(workdir, "cdktf.out.drill/stacks/recovery-aws/cdk.tf.json"), "utf8"));
    expect(hostMention(stack, ["api.medplum.example.com", "app.medplum.example.com", "storage.medplum.example.com"])).toBeUndefined();
    expect(stack.provider.aws[0].default_tags[0].tags).toMatchObject({ environment: "medplum-dr-drill", "drill-expires": "2026-12-04" });
    // Progress as it went, from Terraform's own apply -json messages.
    expect(lines.err.some((line) => /terraform_data\.database/.test(line))).toBe(true);
    expect(lines.out.join("\n")).toMatch(/verify passed/);
    const [file] = readdirSync(join(workdir, "drills", "recovery-aws"));
    const record = readDrillRecord(join(workdir, "drills", "recovery-aws", file!));
    expect(record.terraform.outcome).toBe("complete");
    expect(Object.fromEntries(record.resources.map((r) => [r.address, r.seconds]))).toEqual({
      "terraform_data.database": expect.any(Number),
      "terraform_data.application": expect.any(Number),
    });
    for (const r of record.resources) expect(r.seconds).toBeGreaterThanOrEqual(1);
    expect(record.rto.measuredMinutes).toBeGreaterThan(0);
    expect(record.rpo.measuredMinutes).toBe(8);
    expect(JSON.stringify(record)).not.toContain("s3cret");
  });

  it("tears the drill down with --destroy", async () => {
    const code = await main(["--stack", "recovery-aws", "--destroy", "--expires-on", "2026-12-04"], env, io());
    expect(code, lines.err.join("\n")).toBe(0);
    const state = await runProcess(TERRAFORM, ["show", "-json"], { cwd: standIn });
    expect(JSON.parse(state.stdout).values?.root_module?.resources ?? []).toEqual([]);
  });

  it("refuses bad input with one line and exit 2, before any Terraform", async () => {
    expect(await main(["--plan", "--destroy", "--stack", "recovery-aws"], env, io())).toBe(2);
    expect(lines.err).toEqual(["drill: --plan and --destroy: give one of them (--plan shows what a drill creates, --destroy removes it)"]);
    lines.err.length = 0;
    expect(await main([], env, io())).toBe(2);
    expect(lines.err).toEqual(["drill: --stack: is missing; give the stack to rehearse, e.g. --stack recovery-aws"]);
    lines.err.length = 0;
    const noDrill = join(workdir, "no-drill.yaml");
    writeFileSync(noDrill, readFileSync(join(ROOT, "config/example.yaml"), "utf8").replace(/^drill:\n(?: .*\n|\n)*?(?=^\S)/m, ""));
    expect(await main(["--stack", "recovery-aws"], { ...env, RECOVERY_CONFIG: noDrill }, io())).toBe(2);
    expect(lines.err.join("\n")).toMatch(/drill: is not set; add a drill section/);
  });
});
