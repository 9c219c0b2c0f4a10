/**
 * The HIPAA pack: which rules run, in what order, which HIPAA Security Rule implementation specifications each one
 * supports, the Checkov / cdk-nag checks an auditor may know it by, and which rules are core PHI protections that cannot
 * be suppressed. Rules themselves (rules/*.ts) know nothing of HIPAA; a fork can build another pack from the same rules.
 *
 * Equivalents name only checks that test the same property (Checkov ids checked against the Checkov sources);
 * "HIPAA.Security-" ids are cdk-nag's HIPAA Security pack.
 */
import { DatabaseStorageEncrypted } from "./rules/database-storage-encrypted";
import { DatabaseNotPublic } from "./rules/database-not-public";
import { DatabaseTlsRequired } from "./rules/database-tls-required";
import { DatabaseCustomerManagedKey } from "./rules/database-customer-managed-key";
import { DatabaseBackupsAndPitr } from "./rules/database-backups-and-pitr";
import { DatabaseRestoreInputsIgnored } from "./rules/database-restore-inputs-ignored";
import { DatabaseDeletionProtection } from "./rules/database-deletion-protection";
import { DatabasePreventDestroy } from "./rules/database-prevent-destroy";
import { DatabaseLogExport } from "./rules/database-log-export";
import { CacheEncryptedAtRest } from "./rules/cache-encrypted-at-rest";
import { CacheEncryptedInTransit } from "./rules/cache-encrypted-in-transit";
import { CacheAuthEnabled } from "./rules/cache-auth-enabled";
import { CacheNotPublic } from "./rules/cache-not-public";
import { LoadBalancerHttpsOnly } from "./rules/load-balancer-https-only";
import { LoadBalancerModernTls } from "./rules/load-balancer-modern-tls";
import { LoadBalancerDropsInvalidHeaders } from "./rules/load-balancer-drops-invalid-headers";
import { BucketPublicAccessBlocked } from "./rules/bucket-public-access-blocked";
import { BucketEncrypted } from "./rules/bucket-encrypted";
import { BucketCustomerManagedKey } from "./rules/bucket-customer-managed-key";
import { BucketVersioning } from "./rules/bucket-versioning";
import { BucketNoForceDestroy } from "./rules/bucket-no-force-destroy";
import { StorageSecureTransport } from "./rules/storage-secure-transport";
import { ContainerImagePinned } from "./rules/container-image-pinned";
import { WorkloadRunsAsNonRoot } from "./rules/workload-runs-as-non-root";
import { WorkloadNoPrivilegeEscalation } from "./rules/workload-no-privilege-escalation";
import { WorkloadCapabilitiesDropped } from "./rules/workload-capabilities-dropped";
import { WorkloadReadOnlyRootFilesystem } from "./rules/workload-read-only-root-filesystem";
import { WorkloadResourceLimits } from "./rules/workload-resource-limits";
import { WorkloadHealthProbes } from "./rules/workload-health-probes";
import { ClusterPrivateAccess } from "./rules/cluster-private-access";
import { ClusterWorkloadIdentity } from "./rules/cluster-workload-identity";
import { ClusterNetworkPolicy } from "./rules/cluster-network-policy";
import { ClusterRbac } from "./rules/cluster-rbac";
import { NoSecretLiterals } from "./rules/no-secret-literals";
import { SensitiveOutputs } from "./rules/sensitive-outputs";
import { KmsKeyRotation } from "./rules/kms-key-rotation";
import { LogRetention } from "./rules/log-retention";
import { DnsRecordTtl } from "./rules/dns-record-ttl";
import { ExternalDnsTtl } from "./rules/external-dns-ttl";
import { ExternalDnsOwnership } from "./rules/external-dns-ownership";
import { TrafficAfterServers } from "./rules/traffic-after-servers";
import { DatabaseCertificateVerified } from "./rules/database-certificate-verified";
import { NetworkIngressPrivate } from "./rules/network-ingress-private";
import type { PackEntry } from "./types";

export const HIPAA_PACK: readonly PackEntry[] = [
  // Databases
  {
    rule: DatabaseStorageEncrypted,
    controls: ["164.312(a)(2)(iv)"],
    equivalents: ["CKV_AWS_16", "CKV_AWS_96", "HIPAA.Security-RDSStorageEncrypted"],
    unsuppressible: true,
  },
  {
    rule: DatabaseNotPublic,
    controls: ["164.312(a)(1)", "164.312(e)(1)"],
    equivalents: ["CKV_AWS_17", "CKV_GCP_60", "HIPAA.Security-RDSInstancePublicAccess"],
    unsuppressible: true,
  },
  { rule: DatabaseTlsRequired, controls: ["164.312(e)(1)", "164.312(e)(2)(ii)"], equivalents: ["CKV_GCP_6"] },
  { rule: DatabaseCustomerManagedKey, controls: ["164.312(a)(2)(iv)"], equivalents: [] },
  {
    rule: DatabaseBackupsAndPitr,
    controls: ["164.308(a)(7)(ii)(A)", "164.308(a)(7)(ii)(B)"],
    equivalents: ["CKV_GCP_14", "HIPAA.Security-RDSInstanceBackupEnabled"],
  },
  { rule: DatabaseRestoreInputsIgnored, controls: ["164.308(a)(7)(ii)(B)", "164.312(c)(1)"], equivalents: [] },
  {
    rule: DatabaseDeletionProtection,
    controls: ["164.312(c)(1)", "164.308(a)(7)(ii)(A)"],
    equivalents: ["CKV_AWS_139", "HIPAA.Security-RDSInstanceDeletionProtectionEnabled"],
  },
  { rule: DatabasePreventDestroy, controls: ["164.312(c)(1)", "164.308(a)(7)(ii)(A)"], equivalents: [] },
  { rule: DatabaseLogExport, controls: ["164.312(b)"], equivalents: ["CKV_AWS_129", "HIPAA.Security-RDSLoggingEnabled"] },
  // Redis
  { rule: CacheEncryptedAtRest, controls: ["164.312(a)(2)(iv)"], equivalents: ["CKV_AWS_29"] },
  { rule: CacheEncryptedInTransit, controls: ["164.312(e)(1)", "164.312(e)(2)(ii)"], equivalents: ["CKV_AWS_30", "CKV_GCP_97", "CKV_AZURE_91"] },
  { rule: CacheNotPublic, controls: ["164.312(a)(1)", "164.312(e)(1)"], equivalents: ["CKV_AZURE_89"] },
  { rule: CacheAuthEnabled, controls: ["164.312(d)", "164.312(a)(1)"], equivalents: ["CKV_AWS_31", "CKV_GCP_95"] },
  // Load balancers and ingresses
  {
    rule: LoadBalancerHttpsOnly,
    controls: ["164.312(e)(1)", "164.312(e)(2)(ii)"],
    equivalents: ["CKV_AWS_2", "CKV2_AWS_20", "HIPAA.Security-ALBHttpToHttpsRedirection", "HIPAA.Security-ELBTlsHttpsListenersOnly"],
  },
  { rule: LoadBalancerModernTls, controls: ["164.312(e)(1)", "164.312(e)(2)(ii)"], equivalents: ["CKV_AWS_103"] },
  { rule: LoadBalancerDropsInvalidHeaders, controls: ["164.312(c)(1)"], equivalents: ["CKV_AWS_131", "HIPAA.Security-ALBHttpDropInvalidHeaderEnabled"] },
  // Object storage
  {
    rule: BucketPublicAccessBlocked,
    controls: ["164.312(a)(1)"],
    equivalents: [
      "CKV_AWS_53",
      "CKV_AWS_54",
      "CKV_AWS_55",
      "CKV_AWS_56",
      "CKV_GCP_29",
      "CKV_GCP_114",
      "CKV_AZURE_34",
      "HIPAA.Security-S3BucketLevelPublicAccessProhibited",
      "HIPAA.Security-S3BucketPublicReadProhibited",
      "HIPAA.Security-S3BucketPublicWriteProhibited",
    ],
    unsuppressible: true,
  },
  { rule: BucketEncrypted, controls: ["164.312(a)(2)(iv)"], equivalents: ["CKV_AWS_19", "HIPAA.Security-S3BucketServerSideEncryptionEnabled"] },
  { rule: BucketCustomerManagedKey, controls: ["164.312(a)(2)(iv)"], equivalents: ["CKV_AWS_145", "HIPAA.Security-S3DefaultEncryptionKMS"] },
  {
    rule: BucketVersioning,
    controls: ["164.312(c)(1)", "164.308(a)(7)(ii)(A)"],
    equivalents: ["CKV_AWS_21", "CKV_GCP_78", "HIPAA.Security-S3BucketVersioningEnabled"],
  },
  { rule: BucketNoForceDestroy, controls: ["164.312(c)(1)", "164.308(a)(7)(ii)(A)"], equivalents: [] },
  { rule: StorageSecureTransport, controls: ["164.312(e)(1)", "164.312(e)(2)(ii)"], equivalents: ["CKV_AZURE_3", "CKV_AZURE_44"] },
  // Kubernetes workloads
  { rule: WorkloadRunsAsNonRoot, controls: ["164.312(a)(1)"], equivalents: ["CKV_K8S_23", "CKV_K8S_40"] },
  { rule: WorkloadNoPrivilegeEscalation, controls: ["164.312(a)(1)"], equivalents: ["CKV_K8S_20", "CKV_K8S_16"] },
  { rule: WorkloadCapabilitiesDropped, controls: ["164.312(a)(1)"], equivalents: ["CKV_K8S_28", "CKV_K8S_37"] },
  { rule: WorkloadReadOnlyRootFilesystem, controls: ["164.312(c)(1)"], equivalents: ["CKV_K8S_22"] },
  { rule: WorkloadResourceLimits, controls: ["164.308(a)(7)(ii)(B)"], equivalents: ["CKV_K8S_10", "CKV_K8S_11", "CKV_K8S_12", "CKV_K8S_13"] },
  { rule: WorkloadHealthProbes, controls: ["164.308(a)(7)(ii)(B)"], equivalents: ["CKV_K8S_8", "CKV_K8S_9"] },
  { rule: ContainerImagePinned, controls: ["164.308(a)(7)(ii)(B)", "164.312(c)(1)"], equivalents: ["CKV_K8S_14"] },
  // Managed clusters
  { rule: ClusterPrivateAccess, controls: ["164.312(a)(1)", "164.312(e)(1)"], equivalents: ["CKV_GCP_25", "CKV_AZURE_115"] },
  { rule: ClusterWorkloadIdentity, controls: ["164.312(a)(1)", "164.312(d)"], equivalents: ["CKV_GCP_69"] },
  { rule: ClusterNetworkPolicy, controls: ["164.312(a)(1)", "164.312(e)(1)"], equivalents: ["CKV_GCP_12", "CKV_AZURE_7"] },
  { rule: ClusterRbac, controls: ["164.312(a)(1)", "164.312(d)"], equivalents: ["CKV_GCP_7", "CKV_AZURE_5"] },
  // Secrets, keys, logs, DNS
  { rule: NoSecretLiterals, controls: ["164.312(a)(1)", "164.312(d)"], equivalents: ["CKV_AWS_41", "CKV_SECRET_2"], unsuppressible: true },
  { rule: SensitiveOutputs, controls: ["164.312(a)(1)"], equivalents: [] },
  { rule: KmsKeyRotation, controls: ["164.312(a)(2)(iv)"], equivalents: ["CKV_AWS_7", "CKV_GCP_43"] },
  { rule: LogRetention, controls: ["164.312(b)"], equivalents: ["CKV_AWS_66", "CKV_AWS_338", "HIPAA.Security-CloudWatchLogGroupRetentionPeriod"] },
  { rule: DnsRecordTtl, controls: ["164.308(a)(7)(ii)(B)"], equivalents: [] },
  { rule: ExternalDnsTtl, controls: ["164.308(a)(7)(ii)(B)"], equivalents: [] },
  { rule: ExternalDnsOwnership, controls: ["164.308(a)(7)(ii)(B)"], equivalents: [] },
  { rule: TrafficAfterServers, controls: ["164.308(a)(7)(ii)(B)"], equivalents: [] },
  { rule: DatabaseCertificateVerified, controls: ["164.312(d)", "164.312(e)(1)"], equivalents: [] },
  // The network in front of the data stores
  { rule: NetworkIngressPrivate, controls: ["164.312(a)(1)", "164.312(e)(1)"], equivalents: ["CKV_AWS_260", "CKV_GCP_2", "CKV_AZURE_9"] },
];
