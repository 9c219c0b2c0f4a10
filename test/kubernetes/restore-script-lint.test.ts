/**
 * shellcheck on the restore script the Job runs. Needs `shellcheck` on PATH: fails in CI without it, skips loudly
 * elsewhere.
 */
import { spawnSync } from "node:child_process";
import { RESTORE_SCRIPT_PATH } from "../../modules/kubernetes/target/restore-job";

const shellcheck = spawnSync("sh", ["-c", "command -v shellcheck"], { encoding: "utf8" }).stdout.trim();

test("the restore script passes shellcheck", () => {
  if (shellcheck === "") {
    if (process.env.CI) throw new Error("shellcheck is not on PATH; the restore script cannot be checked");
    console.warn("SKIPPING shellcheck of the restore script: shellcheck is not on PATH");
    return;
  }
  const result = spawnSync(shellcheck, ["--shell=bash", "--severity=style", RESTORE_SCRIPT_PATH], { encoding: "utf8" });
  expect(result.stdout + result.stderr).toBe("");
  expect(result.status).toBe(0);
});
