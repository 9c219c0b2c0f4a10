/**
 * The Google service account Medplum's pods act as through workload identity: object access on the binary bucket
 * only, and permission to sign blobs as itself, which is how a keyless identity signs the presigned URLs Medplum
 * hands out for binaries.
 */
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member";
import { Construct } from "constructs";
import { workloadPool } from "./cluster";

export interface GcpWorkloadIdentityProps {
  readonly project: string;
  /** 6-30 characters: the service account's account id. */
  readonly accountId: string;
  readonly bucketName: string;
}

export class GcpWorkloadIdentity extends Construct {
  readonly serviceAccount: ServiceAccount;
  readonly bucketAccess: StorageBucketIamMember;
  private readonly project: string;

  constructor(scope: Construct, id: string, props: GcpWorkloadIdentityProps) {
    super(scope, id);
    this.project = props.project;
    this.serviceAccount = new ServiceAccount(this, "serviceAccount", {
      project: props.project,
      accountId: props.accountId,
      displayName: "Medplum server (disaster recovery)",
    });
    const self = `serviceAccount:${this.serviceAccount.email}`;

    this.bucketAccess = new StorageBucketIamMember(this, "bucketAccess", { bucket: props.bucketName, role: "roles/storage.objectAdmin", member: self });
    new ServiceAccountIamMember(this, "signUrls", {
      serviceAccountId: this.serviceAccount.name,
      role: "roles/iam.serviceAccountTokenCreator",
      member: self,
    });
  }

  /** Lets pods running as `<namespace>/<name>` act as the service account (workload identity). */
  allowKubernetesServiceAccount(namespace: string, name: string): ServiceAccountIamMember {
    return new ServiceAccountIamMember(this, "workloadIdentity", {
      serviceAccountId: this.serviceAccount.name,
      role: "roles/iam.workloadIdentityUser",
      member: `serviceAccount:${workloadPool(this.project)}[${namespace}/${name}]`,
    });
  }
}
