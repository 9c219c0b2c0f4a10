/**
 * Construct paths and Terraform addresses quoted in the docs are what a reader copies into a suppression or a
 * `terraform state` command, so each must be one the bundled example really synthesizes (hash suffixes aside).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadRecoveryConfig } from "../../config/load";
import { synthesize } from "../../synth/synthesize";

const ROOT = join(__dirname, "..", "..");
const STACK_PATH = /`((?:recovery|standby)-(?:aws|gcp|azure|k8s)\/[A-Za-z0-9/]+)`|at ((?:recovery|standby)-(?:aws|gcp|azure|k8s)\/[A-Za-z0-9/]+) \(/g;

function documentedPaths(): Array<{ file: string; path: string }> {
  const docs = readdirSync(join(ROOT, "docs"), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".md"))
    .map((name) => join("docs", name));
  return ["README.md", ...docs].flatMap((file) =>
    [...readFileSync(join(ROOT, file), "utf8").matchAll(STACK_PATH)].map((match) => ({ file, path: (match[1] ?? match[2])! })),
  );
}

describe("construct paths in the docs", () => {
  it("each names a construct the example synthesizes", () => {
    const outdir = mkdtempSync(join(tmpdir(), "medplum-dr-doc-paths-"));
    try {
      const outcome = synthesize({ config: loadRecoveryConfig(join(ROOT, "config", "example.yaml")), outdir: join(outdir, "cdktf.out"), fromCli: false });
      expect(outcome.status).toBe("written");
      const real = new Set<string>();
      for (const stack of readdirSync(join(outdir, "cdktf.out", "stacks"))) {
        const json = JSON.parse(readFileSync(join(outdir, "cdktf.out", "stacks", stack, "cdk.tf.json"), "utf8")) as Record<
          string,
          Record<string, Record<string, { "//"?: { metadata?: { path?: string } } }>>
        >;
        for (const kind of ["resource", "data"]) {
          for (const byName of Object.values(json[kind] ?? {}))
            for (const block of Object.values(byName)) if (block["//"]?.metadata?.path) real.add(block["//"].metadata.path);
        }
      }
      const documented = documentedPaths();
      expect(documented.length).toBeGreaterThan(0);
      // A documented path may be a construct or a construct with resources beneath it.
      const missing = documented.filter(({ path }) => !real.has(path) && ![...real].some((candidate) => candidate.startsWith(`${path}/`)));
      expect(missing).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
