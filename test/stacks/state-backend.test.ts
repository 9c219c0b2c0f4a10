import { App, TerraformStack, Testing } from "cdktf";
import type { StateBackendConfig } from "../../config/schema";
import { configureStateBackend } from "../../providers/backend";

function backendOf(backend: StateBackendConfig): Record<string, any> {
  const stack = new TerraformStack(new App({ outdir: "unused" }), "recovery-test");
  configureStateBackend(stack, "recovery-test", backend);
  return JSON.parse(Testing.synth(stack)).terraform.backend;
}

describe("the state backend", () => {
  it("keeps a drill's state in a local file named after the stack by default", () => {
    expect(backendOf({ type: "local" })).toEqual({ local: { path: "terraform.recovery-test.tfstate" } });
  });

  it("encrypts S3 state and locks it with S3's own lock file when no DynamoDB table is named", () => {
    expect(backendOf({ type: "s3", bucket: "acme-dr-state", key: "medplum.tfstate", region: "us-west-2" })).toEqual({
      s3: { bucket: "acme-dr-state", key: "medplum.tfstate", region: "us-west-2", encrypt: true, use_lockfile: true },
    });
  });

  it("locks S3 state with the named DynamoDB table instead", () => {
    const s3 = backendOf({ type: "s3", bucket: "acme-dr-state", key: "medplum.tfstate", region: "us-west-2", lockTable: "tf-locks", kmsKeyId: "alias/state" }).s3;
    expect(s3).toMatchObject({ dynamodb_table: "tf-locks", kms_key_id: "alias/state", encrypt: true });
    expect(s3).not.toHaveProperty("use_lockfile");
  });

  it("supports GCS and Azure Storage for teams recovering into those clouds", () => {
    expect(backendOf({ type: "gcs", bucket: "acme-dr-state", prefix: "medplum" })).toEqual({ gcs: { bucket: "acme-dr-state", prefix: "medplum" } });
    expect(
      backendOf({ type: "azurerm", resourceGroupName: "dr-state", storageAccountName: "acmedrstate", containerName: "tfstate", key: "medplum.tfstate" }).azurerm,
    ).toEqual({ resource_group_name: "dr-state", storage_account_name: "acmedrstate", container_name: "tfstate", key: "medplum.tfstate" });
  });
});
