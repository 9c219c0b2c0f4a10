/**
 * Medplum's binaries replicated into a bucket in the recovery region, which the recovery adopts as
 * `targets.gcp.storage` (mode existing).
 *
 * Why a replica bucket and Storage Transfer cross-bucket replication, not a dual-region bucket: a bucket's location is
 * fixed at creation (`location` is ForceNew on `google_storage_bucket`, google provider 6.50.0), and the primary
 * bucket is not standby-gcp's to recreate. A primary bucket that already is dual- or multi-region over the recovery
 * region needs no standby step (targets.gcp.storage mode existing names it). Medplum's `gs:` storage
 * (packages/server/src/cloud/gcp/storage.ts) needs only a bucket name, so the replica serves as it is.
 *
 * The replication job (`replication_spec`, https://cloud.google.com/storage-transfer/docs/cross-bucket-replication)
 * copies new and updated objects, most within minutes and objects above 1 GiB within hours, with no RPO guarantee;
 * objects that existed before the job are not copied (a one-time transfer does that: docs/standby.md), and deletes are
 * not replicated, so the replica also keeps what a mistaken delete removed. Storage Transfer's service agent needs
 * `roles/storage.legacyBucketOwner` on the source (it sets up the Pub/Sub notification there) and
 * `roles/storage.legacyBucketWriter` on the destination, the roles Google's console grants for such a job.
 */
import { DataGoogleStorageTransferProjectServiceAccount } from "@cdktf/provider-google/lib/data-google-storage-transfer-project-service-account";
import type { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member";
import { StorageTransferJob } from "@cdktf/provider-google/lib/storage-transfer-job";
import { Construct } from "constructs";
import type { ReplicatedBinaries } from "../../standby-contracts";

export interface StandbyBinariesProps {
  readonly primary: GoogleProvider;
  readonly recovery: GoogleProvider;
  /** The recovery project: the replica bucket and the job live there. */
  readonly project: string;
  readonly region: string;
  readonly namePrefix: string;
  readonly primaryBucketName: string;
  readonly replicaBucketName: string;
  readonly labels: Readonly<Record<string, string>>;
  /** `prevent_destroy` on the replica: it holds patients' documents. */
  readonly preventDestroy: boolean;
}

export class StandbyBinaries extends Construct {
  readonly replica: StorageBucket;
  readonly job: StorageTransferJob;
  readonly binaries: ReplicatedBinaries;

  constructor(scope: Construct, id: string, props: StandbyBinariesProps) {
    super(scope, id);
    const { primary, recovery } = props;
    this.replica = new StorageBucket(this, "replica", {
      provider: recovery,
      project: props.project,
      name: props.replicaBucketName,
      location: props.region.toUpperCase(),
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      versioning: { enabled: true },
      // PHI: a destroy must fail on a non-empty bucket rather than delete patients' documents.
      forceDestroy: false,
      labels: { ...props.labels },
      lifecycle: props.preventDestroy ? { preventDestroy: true } : {},
    });

    const agent = new DataGoogleStorageTransferProjectServiceAccount(this, "agent", { provider: recovery, project: props.project });
    const member = `serviceAccount:${agent.email}`;
    // Non-authoritative members: other bindings on the primary bucket stay as they are.
    const sourceAccess = new StorageBucketIamMember(this, "sourceAccess", {
      provider: primary,
      bucket: props.primaryBucketName,
      role: "roles/storage.legacyBucketOwner",
      member,
    });
    const sinkAccess = new StorageBucketIamMember(this, "sinkAccess", {
      provider: recovery,
      bucket: this.replica.name,
      role: "roles/storage.legacyBucketWriter",
      member,
    });

    this.job = new StorageTransferJob(this, "replication", {
      provider: recovery,
      project: props.project,
      // A replication job takes no custom name (the API refuses one); the description identifies it.
      description: `${props.namePrefix}: Medplum binaries gs://${props.primaryBucketName} -> gs://${props.replicaBucketName}`,
      replicationSpec: {
        gcsDataSource: { bucketName: props.primaryBucketName },
        gcsDataSink: { bucketName: this.replica.name },
      },
      // Failed copies are logged at ERROR; the watches alert on them.
      loggingConfig: { logActions: ["COPY"], logActionStates: ["FAILED"] },
      dependsOn: [sourceAccess, sinkAccess],
    });

    this.binaries = {
      source: `gs://${props.primaryBucketName}`,
      replica: props.replicaBucketName,
      lag: "Storage Transfer cross-bucket replication (most objects within minutes, above 1 GiB within hours; no RPO guarantee)",
    };
  }
}
