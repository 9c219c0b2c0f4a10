/**
 * shellcheck on the peacetime dump and verify scripts, the recovery's fetch of the newest dump, and the store library
 * they source, with the sourced file followed (-x). Needs `shellcheck` on PATH: fails in CI without it, skips loudly elsewhere.
 */
import { backupScriptPath } from "../../modules/kubernetes/standby/backup-cronjobs";
import { fetchScriptPath } from "../../modules/kubernetes/target/restore-job";
import { runProcess } from "../support/cli";
import { findOnPath } from "../support/path";

/** Found without a child process: this runs while vitest collects the file. */
const shellcheck = findOnPath("shellcheck");

test("shellcheck is present for the dump and verify scripts", () => {
  if (shellcheck !== undefined) return;
  if (process.env.CI) throw new Error("shellcheck is not on PATH; the dump and verify scripts cannot be checked");
  console.warn("SKIPPING shellcheck of the dump and verify scripts: shellcheck is not on PATH");
});

describe.skipIf(shellcheck === undefined)("the peacetime backup scripts", () => {
  test.each(["dump-medplum-db.sh", "verify-medplum-dump.sh", "dump-store.sh"] as const)("%s passes shellcheck, following what it sources", async (file) => {
    const result = await runProcess(shellcheck as string, ["--shell=bash", "--severity=style", "--external-sources", backupScriptPath(file)]);
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  test("fetch-newest-dump.sh (the recovery's init container with dump.manifest) passes shellcheck, following what it sources", async () => {
    const result = await runProcess(shellcheck as string, ["--shell=bash", "--severity=style", "--external-sources", fetchScriptPath("fetch-newest-dump.sh")]);
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  test("shellcheck would report a problem (the check can fail)", async () => {
    // The same invocation on a script with an unquoted expansion must not pass.
    const result = await runProcess("sh", ["-c", `printf '#!/usr/bin/env bash\\nrm -rf $1/tmp\\n' | ${shellcheck} --shell=bash --severity=style -`]);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(/SC2086/);
  });
});
