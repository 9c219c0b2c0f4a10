/**
 * Every config in examples/ is a fork's starting point, so each must be one a user could deploy: it validates, its
 * stacks synthesize with no blocking policy or apply-time finding, it says at the top what scenario it is, and the
 * folder's README lists it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadRecoveryConfig } from "../../config/load";
import { synthesize } from "../../synth/synthesize";

const EXAMPLES = join(__dirname, "..", "..", "examples");
const files = readdirSync(EXAMPLES)
  .filter((name) => name.endsWith(".yaml"))
  .sort();

describe("examples/", () => {
  it("holds a config per scenario", () => {
    expect(files.length).toBeGreaterThanOrEqual(1);
  });

  it("lists every example in its README, and no example that is not there", () => {
    const readme = readFileSync(join(EXAMPLES, "README.md"), "utf8");
    const listed = [...readme.matchAll(/\(([a-z0-9-]+\.yaml)\)/g)].map((match) => match[1]).sort();
    expect(listed).toEqual(files);
  });

  describe.each(files)("%s", (file) => {
    it("says at the top which scenario it shows", () => {
      const text = readFileSync(join(EXAMPLES, file), "utf8");
      expect(
        text
          .split("\n")
          .slice(0, 3)
          .every((line) => line.startsWith("#")),
      ).toBe(true);
    });

    it("validates and synthesizes with no blocking finding", () => {
      const outdir = mkdtempSync(join(tmpdir(), "medplum-dr-example-"));
      try {
        const outcome = synthesize({ config: loadRecoveryConfig(join(EXAMPLES, file)), outdir: join(outdir, "cdktf.out"), fromCli: false });
        expect(outcome.status === "refused" ? `${outcome.reason}\n${outcome.policy ?? ""}` : outcome.status).toBe("written");
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
    });
  });
});
