/**
 * shellcheck on the restore script the Job runs. Needs `shellcheck` on PATH: fails in CI without it, skips loudly
 * elsewhere.
 */
import { RESTORE_SCRIPT_PATH } from "../../modules/kubernetes/target/restore-job";
import { runProcess } from "../support/cli";
import { findOnPath } from "../support/path";

const shellcheck = findOnPath("shellcheck") ?? "";

test("the restore script passes shellcheck", async () => {
  if (shellcheck === "") {
    if (process.env.CI) throw new Error("shellcheck is not on PATH; the restore script cannot be checked");
    console.warn("SKIPPING shellcheck of the restore script: shellcheck is not on PATH");
    return;
  }
  const result = await runProcess(shellcheck, ["--shell=bash", "--severity=style", RESTORE_SCRIPT_PATH]);
  expect(result.stdout + result.stderr).toBe("");
  expect(result.status).toBe(0);
});
