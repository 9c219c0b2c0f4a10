/**
 * The state backend, per target. Recovery state must outlive the region that failed, so the config names a backend in
 * the recovery region (or another cloud); `local` serves drills and synthesizing without a cloud account.
 *
 * Local state never lives in the synth output: every `npm run synth` replaces that folder whole. It lives in
 * `state/<stack>.tfstate` in the project folder (the folder that holds the output folder, `cdktf.out/`), git-ignored.
 */
import { posix } from "node:path";
import { AzurermBackend, GcsBackend, LocalBackend, S3Backend, TerraformStack } from "cdktf";
import type { StateBackendConfig } from "../config/schema";

/** Where local state lives, relative to the project folder. */
export const STATE_FOLDER = "state";

/** The local backend's state file for a stack, relative to the project folder, when the config names none. */
export function defaultLocalStatePath(stackName: string): string {
  return `${STATE_FOLDER}/${stackName}.tfstate`;
}

/**
 * A project-relative path as Terraform must be given it. Terraform resolves the local backend's `path` and
 * `workspace_dir` against the folder it runs in, `<outdir>/stacks/<stack>/` (cdktf's Manifest), and cdktf passes them
 * through verbatim; three levels up is the project folder wherever the output folder is, so the emitted path is the
 * same on every machine and moves with a clone. Absolute paths are kept as they are.
 */
export function fromStackFolder(projectRelative: string): string {
  if (posix.isAbsolute(projectRelative)) return projectRelative;
  return posix.join("..", "..", "..", projectRelative);
}

export function configureStateBackend(stack: TerraformStack, stackName: string, backend: StateBackendConfig): void {
  switch (backend.type) {
    case "local": {
      const path = backend.path ?? defaultLocalStatePath(stackName);
      // Non-default workspaces (a drill's `terraform workspace new`) would otherwise go to terraform.tfstate.d/ in the
      // stack folder, inside the synth output.
      new LocalBackend(stack, { path: fromStackFolder(path), workspaceDir: fromStackFolder(`${path}.d`) });
      return;
    }
    case "s3": {
      new S3Backend(stack, {
        bucket: backend.bucket,
        key: backend.key,
        region: backend.region,
        encrypt: true,
        ...(backend.kmsKeyId !== undefined ? { kmsKeyId: backend.kmsKeyId } : {}),
        ...(backend.lockTable !== undefined ? { dynamodbTable: backend.lockTable } : {}),
      });
      if (backend.lockTable === undefined) {
        // cdktf 0.21's S3BackendConfig predates Terraform 1.10's S3-native locking, so no typed property exists for it.
        stack.addOverride("terraform.backend.s3.use_lockfile", true);
      }
      return;
    }
    case "gcs":
      new GcsBackend(stack, { bucket: backend.bucket, prefix: backend.prefix });
      return;
    case "azurerm":
      new AzurermBackend(stack, {
        resourceGroupName: backend.resourceGroupName,
        storageAccountName: backend.storageAccountName,
        containerName: backend.containerName,
        key: backend.key,
      });
      return;
  }
}
