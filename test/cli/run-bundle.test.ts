/**
 * bin/run.js runs each command from an esbuild bundle, compiled from V8's code cache after the first run, with cdktf's
 * token creation traces left out. None of that may change what a command writes: the bundle's stacks are the sources'
 * own, byte for byte, and a damaged cache costs only speed.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, runCommand, runProcess } from "../support/cli";

const DIST = join(ROOT, "dist");
const STACKS = ["recovery-aws", "recovery-gcp", "recovery-azure", "recovery-k8s", "standby-aws", "standby-gcp", "standby-azure", "standby-k8s"];

let workdir: string;
beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), "medplum-dr-bundle-"));
});
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

const stackJson = (outdir: string, stack: string) => readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8");
const synthCaches = () => readdirSync(DIST).filter((file) => /^synth\.js\.[0-9a-f]{16}\.v8cache$/.test(file));

describe("node bin/run.js synth", () => {
  it("writes the same Terraform JSON as the TypeScript sources run by tsx", async () => {
    const fromBundle = join(workdir, "bundle");
    const fromSources = join(workdir, "sources");
    const [bundle, sources] = await Promise.all([
      runCommand("synth", ["--outdir", fromBundle]),
      runProcess(process.execPath, ["--import", "tsx", join(ROOT, "main.ts"), "--outdir", fromSources], { env: { CDKTF_OUTDIR: undefined } }),
    ]);
    expect(bundle.status, bundle.stderr).toBe(0);
    expect(sources.status, sources.stderr).toBe(0);
    for (const stack of STACKS) expect(stackJson(fromBundle, stack), stack).toBe(stackJson(fromSources, stack));
  }, 120_000);

  it("leaves V8's code cache beside the bundle, and runs the same from a damaged one, replacing it", async () => {
    const first = join(workdir, "first");
    expect((await runCommand("synth", ["--outdir", first])).status).toBe(0);
    const caches = synthCaches();
    expect(caches.length).toBeGreaterThan(0);
    // What a cache left by another bundle of the same length, or a torn write, would look like to V8.
    const garbage = Buffer.alloc(4096, 0x5a);
    for (const cache of caches) writeFileSync(join(DIST, cache), garbage);

    const second = join(workdir, "second");
    const result = await runCommand("synth", ["--outdir", second]);
    expect(result.status, result.stderr).toBe(0);
    for (const stack of STACKS) expect(stackJson(second, stack), stack).toBe(stackJson(first, stack));
    const rewritten = synthCaches().map((cache) => readFileSync(join(DIST, cache)));
    expect(rewritten.some((bytes) => !bytes.equals(garbage))).toBe(true);
  }, 120_000);
});
