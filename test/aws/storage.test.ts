import { synthAws } from "./helpers";

describe("storage: the binaries bucket", () => {
  it("names the existing replica bucket and creates nothing", () => {
    const stack = synthAws();
    expect(stack.resources("aws_s3_bucket")).toEqual({});
    const container = JSON.parse(stack.only("aws_ecs_task_definition").container_definitions)[0];
    expect(container.environment).toContainEqual({ name: "MEDPLUM_BINARY_STORAGE", value: "s3:medplum-binaries-usw2" });
  });

  describe("a new bucket", () => {
    const stack = synthAws({ targets: { aws: { storage: { mode: "new", bucketName: "medplum-dr-drill-binaries" } } } });

    it("is never force-destroyed with its documents", () => {
      expect(stack.only("aws_s3_bucket")).toMatchObject({ bucket: "medplum-dr-drill-binaries", force_destroy: false });
    });

    it("blocks every kind of public access and enforces bucket-owner ownership", () => {
      expect(stack.only("aws_s3_bucket_public_access_block")).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(stack.only("aws_s3_bucket_ownership_controls").rule.object_ownership).toBe("BucketOwnerEnforced");
    });

    it("is versioned and encrypted with the recovery key", () => {
      expect(stack.only("aws_s3_bucket_versioning").versioning_configuration.status).toBe("Enabled");
      expect(stack.only("aws_s3_bucket_server_side_encryption_configuration").rule[0].apply_server_side_encryption_by_default).toEqual({
        sse_algorithm: "aws:kms",
        kms_master_key_id: stack.ref("aws_kms_key", "database/key", "arn"),
      });
    });

    it("denies every request not made over TLS", () => {
      const policy = JSON.parse(stack.only("aws_s3_bucket_policy").policy);
      expect(policy.Statement).toContainEqual(
        expect.objectContaining({ Effect: "Deny", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
      );
    });

    it("tells Medplum to use it", () => {
      const container = JSON.parse(stack.only("aws_ecs_task_definition").container_definitions)[0];
      expect(container.environment).toContainEqual({ name: "MEDPLUM_BINARY_STORAGE", value: `s3:${stack.ref("aws_s3_bucket", "storage", "bucket")}` });
    });
  });
});
