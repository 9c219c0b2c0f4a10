/**
 * The state backend, per target. Recovery state must outlive the region that failed, so the config names a backend in
 * the recovery region (or another cloud); `local` serves drills and synthesizing without a cloud account.
 */
import { AzurermBackend, GcsBackend, LocalBackend, S3Backend, TerraformStack } from "cdktf";
import type { StateBackendConfig } from "../config/schema";

export function configureStateBackend(stack: TerraformStack, stackName: string, backend: StateBackendConfig): void {
  switch (backend.type) {
    case "local":
      new LocalBackend(stack, { path: backend.path ?? `terraform.${stackName}.tfstate` });
      return;
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
