/**
 * The review workflow runs with a token that can comment on pull requests and, online, federate into the clouds that
 * hold the recovery. A tag can be moved to other code after review; a commit SHA cannot, so every action is pinned by
 * its full SHA with the tag beside it for readers and Dependabot (.github/dependabot.yml).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const WORKFLOWS = join(__dirname, "../../.github/workflows");
const files = readdirSync(WORKFLOWS).filter((name) => name.endsWith(".yml") || name.endsWith(".yaml"));

describe.each(files)(".github/workflows/%s", (file) => {
  const lines = readFileSync(join(WORKFLOWS, file), "utf8").split("\n");
  const uses = lines.map((line, index) => ({ line: index + 1, text: line.trim() })).filter(({ text }) => /^(-\s+)?uses:/.test(text));

  it("uses at least one action (the check below would pass vacuously otherwise)", () => {
    expect(uses.length).toBeGreaterThan(0);
  });

  it("pins every action by full commit SHA, with its tag in a comment", () => {
    const unpinned = uses.filter(({ text }) => !/uses:\s+[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/.test(text));
    expect(unpinned.map(({ line, text }) => `${file}:${line}: ${text}`)).toEqual([]);
  });

  it("runs a Node.js that is still supported", () => {
    const versions = lines
      .map((line) => /node-version:\s*(\d+)/.exec(line)?.[1])
      .filter((version) => version !== undefined)
      .map(Number);
    expect(versions.length).toBeGreaterThan(0);
    expect(versions.every((major) => major >= 22)).toBe(true);
  });
});
