/**
 * The unit/integration split and the longest-first order name files by path: a renamed or moved file would silently
 * leave the integration project (and run its Terraform or PostgreSQL in `npm run test:unit`) or lose its early start.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { INTEGRATION_TESTS, LONGEST_TESTS } from "../support/split";

const ROOT = join(__dirname, "../..");

it("names only integration files that exist, or folders that hold test files", () => {
  for (const entry of INTEGRATION_TESTS) {
    if (entry.endsWith("/**/*.test.ts")) {
      const folder = join(ROOT, entry.slice(0, -"/**/*.test.ts".length));
      expect([entry, existsSync(folder) && readdirSync(folder).some((name) => name.endsWith(".test.ts"))]).toEqual([entry, true]);
    } else expect([entry, existsSync(join(ROOT, entry))]).toEqual([entry, true]);
  }
});

it("starts first only files of the integration project, each named once", () => {
  expect(LONGEST_TESTS.length).toBeGreaterThan(0);
  expect(new Set(LONGEST_TESTS).size).toBe(LONGEST_TESTS.length);
  for (const file of LONGEST_TESTS) expect([file, INTEGRATION_TESTS.includes(file)]).toEqual([file, true]);
});
