/**
 * Blob storage for Medplum binaries in the recovery region. `existing`: the GRS/RA-GRS account that held them in
 * peacetime (after its customer-initiated failover it is writable in the secondary region); `new`: an empty,
 * locked-down account for drills or for binaries restored from another copy. Either way the servers reach it through a
 * private endpoint with their workload identity (Storage Blob Data Contributor on the container and Storage Blob
 * Delegator on the account, granted in identity.ts): shared-key access is off on a new account.
 */
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import { Construct } from "constructs";
import type { AzureTargetConfig } from "../../config/schema";
import type { BinaryStorage } from "../contracts";
import { createPrivateEndpoint } from "./private-endpoint";
import { parseResourceId } from "./resource-id";
import type { StorageReplication } from "./zones";

export interface AzureStorageProps {
  readonly storage: AzureTargetConfig["storage"];
  readonly resourceGroupName: string;
  readonly location: string;
  readonly privateEndpointSubnetId: string;
  readonly privateDnsZoneId: string;
  /** Replication of a new account, decided for the region by zones.ts. */
  readonly replication: StorageReplication;
  readonly namePrefix: string;
  readonly tags: Readonly<Record<string, string>>;
}

export class AzureStorage extends Construct {
  readonly accountId: string;
  readonly accountName: string;
  readonly containerName: string;
  /** The container's ARM id: the narrowest scope the servers' role assignment can have. */
  readonly containerScope: string;
  readonly binaryStorage: BinaryStorage;

  constructor(scope: Construct, id: string, props: AzureStorageProps) {
    super(scope, id);
    const { storage } = props;
    this.containerName = storage.containerName;

    if (storage.mode === "existing") {
      this.accountId = storage.accountId;
      this.accountName = parseResourceId(storage.accountId).name;
    } else {
      const account = createPrivateStorageAccount(this, "account", {
        name: storage.accountName,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        replication: props.replication,
        softDeleteRetentionDays: storage.softDeleteRetentionDays,
        tags: props.tags,
      });
      // Created through the management plane (storage_account_id), which works with public access and shared keys off.
      new StorageContainer(this, "container", { name: storage.containerName, storageAccountId: account.id, containerAccessType: "private" });
      this.accountId = account.id;
      this.accountName = storage.accountName;
    }
    this.containerScope = `${this.accountId}/blobServices/default/containers/${storage.containerName}`;

    createPrivateEndpoint(this, "endpoint", {
      name: `${props.namePrefix}-blob-pe`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      subnetId: props.privateEndpointSubnetId,
      resourceId: this.accountId,
      subresource: "blob",
      privateDnsZoneId: props.privateDnsZoneId,
      tags: props.tags,
    });

    this.binaryStorage = { name: storage.containerName, medplumBinaryStorage: `azure:${this.accountName}:${storage.containerName}` };
  }
}

export interface PrivateStorageAccountProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly replication: StorageReplication;
  /** Soft delete of blobs and containers, in days. */
  readonly softDeleteRetentionDays: number;
  /** Only a deliberate edit may remove the account (a replica holding the only other copy). @default false */
  readonly preventDestroy?: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * A StorageV2 account for Medplum binaries that only Entra ID identities reach, privately: no public blobs, TLS 1.2,
 * HTTPS only, shared keys off, public network off, infrastructure encryption, blob versioning (object replication
 * needs it on both sides), blob and container soft delete.
 */
export function createPrivateStorageAccount(scope: Construct, id: string, props: PrivateStorageAccountProps): StorageAccount {
  return new StorageAccount(scope, id, {
    name: props.name,
    resourceGroupName: props.resourceGroupName,
    location: props.location,
    accountTier: "Standard",
    accountKind: "StorageV2",
    accountReplicationType: props.replication,
    minTlsVersion: "TLS1_2",
    httpsTrafficOnlyEnabled: true,
    allowNestedItemsToBePublic: false,
    // The servers use their workload identity; no account key exists to leak.
    sharedAccessKeyEnabled: false,
    defaultToOauthAuthentication: true,
    publicNetworkAccessEnabled: false,
    crossTenantReplicationEnabled: false,
    infrastructureEncryptionEnabled: true,
    blobProperties: {
      versioningEnabled: true,
      deleteRetentionPolicy: { days: props.softDeleteRetentionDays },
      containerDeleteRetentionPolicy: { days: props.softDeleteRetentionDays },
    },
    tags: { ...props.tags },
    ...(props.preventDestroy === true ? { lifecycle: { preventDestroy: true } } : {}),
  });
}
