/**
 * The binary-storage bucket Medplum reads attachments and documents from. A real recovery uses an existing dual- or
 * multi-region bucket (or one Storage Transfer Service kept in the recovery region); `new` makes an empty one for
 * drills. New buckets are private by construction and keep object versions; they are never force-destroyed.
 */
import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket";
import { Construct } from "constructs";
import type { GcpTargetConfig } from "../../config/schema";
import type { BinaryStorage } from "../contracts";

export interface GcpStorageProps {
  readonly project: string;
  readonly region: string;
  readonly storage: GcpTargetConfig["storage"];
  readonly labels: Readonly<Record<string, string>>;
}

export class GcpStorage extends Construct {
  /** Undefined when the bucket already exists. */
  readonly bucket?: StorageBucket;
  readonly value: BinaryStorage;

  constructor(scope: Construct, id: string, props: GcpStorageProps) {
    super(scope, id);
    const { storage } = props;
    if (storage.mode === "new") {
      this.bucket = new StorageBucket(this, "bucket", {
        project: props.project,
        name: storage.bucketName,
        location: (storage.location ?? props.region).toUpperCase(),
        uniformBucketLevelAccess: true,
        publicAccessPrevention: "enforced",
        versioning: { enabled: true },
        // PHI: a destroy must fail on a non-empty bucket rather than delete patients' documents.
        forceDestroy: false,
        labels: { ...props.labels },
      });
    }
    const name = this.bucket?.name ?? storage.bucketName;
    this.value = { name, medplumBinaryStorage: `gs:${name}` };
  }
}
