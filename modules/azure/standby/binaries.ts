/**
 * Medplum's binaries replicated into the recovery region by blob object replication
 * (https://learn.microsoft.com/azure/storage/blobs/object-replication-overview): a replica account created here, and a
 * replication policy from the primary's container into it that copies every blob, old ones included
 * (`copy_blobs_created_after = "Everything"`; the provider's default copies new blobs only).
 *
 * Prerequisites Azure checks when the policy is created: blob versioning on both accounts and the change feed on the
 * source. The replica has both here; on the primary they are settings of its `azurerm_storage_account`, which standby
 * does not own, so its owner turns them on (docs/standby.md says what that changes). While the policy exists the
 * replica container is read-only; the recovery runbook removes the policy before the servers write. The plan reads the
 * primary account (with the primary provider) and fails where Azure would refuse the policy: object replication
 * needs general-purpose v2 or premium block blob accounts and does not support a hierarchical namespace (same page,
 * "Prerequisites and caveats"), and the provider's data source exposes both (`account_kind`, `is_hns_enabled`).
 */
import { DataAzurermStorageAccount } from "@cdktf/provider-azurerm/lib/data-azurerm-storage-account";
import type { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import { StorageObjectReplication } from "@cdktf/provider-azurerm/lib/storage-object-replication";
import { Construct } from "constructs";
import type { AzureStandbyConfig } from "../../../config/schema/azure";
import { parseResourceId } from "../resource-id";
import { createPrivateStorageAccount } from "../storage";
import type { StorageReplication } from "../zones";
import type { AzureReplicatedBinaries } from "./results";

export interface StandbyBinariesProps {
  readonly primary: AzurermProvider;
  readonly storage: AzureStandbyConfig["storage"];
  readonly resourceGroupName: string;
  readonly location: string;
  /** Redundancy of the replica inside the recovery region (zones.ts decides it as for a recovery's new account). */
  readonly replication: StorageReplication;
  readonly tags: Readonly<Record<string, string>>;
}

export class StandbyBinaries extends Construct {
  readonly replicaAccountId: string;
  readonly binaries: AzureReplicatedBinaries;

  constructor(scope: Construct, id: string, props: StandbyBinariesProps) {
    super(scope, id);
    const { storage } = props;
    const source = parseResourceId(storage.primaryAccountId);
    new DataAzurermStorageAccount(this, "primary", {
      provider: props.primary,
      name: source.name,
      resourceGroupName: source.resourceGroupName,
      lifecycle: {
        postcondition: [
          {
            condition: '${contains(["StorageV2", "BlockBlobStorage"], self.account_kind)}',
            errorMessage: "targets.azure.standby.storage.primaryAccountId: object replication needs a general-purpose v2 or premium block blob account",
          },
          {
            condition: "${!self.is_hns_enabled}",
            errorMessage: "targets.azure.standby.storage.primaryAccountId: the account has a hierarchical namespace, which object replication does not support",
          },
        ],
      },
    });
    // Versioning is on (object replication needs it on the destination too); only a deliberate edit may remove the
    // recovery's copy of the binaries.
    const account = createPrivateStorageAccount(this, "replica", {
      name: storage.replicaAccountName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      replication: props.replication,
      softDeleteRetentionDays: storage.softDeleteRetentionDays,
      preventDestroy: true,
      tags: props.tags,
    });
    // Same name as the primary's, so the recovery's storage.containerName is the one Medplum used all along.
    const container = new StorageContainer(this, "container", {
      name: storage.primaryContainerName,
      storageAccountId: account.id,
      containerAccessType: "private",
    });
    const replication = new StorageObjectReplication(this, "replication", {
      sourceStorageAccountId: storage.primaryAccountId,
      destinationStorageAccountId: account.id,
      rules: [{ sourceContainerName: storage.primaryContainerName, destinationContainerName: container.name, copyBlobsCreatedAfter: "Everything" }],
    });
    this.replicaAccountId = account.id;
    this.binaries = {
      source: `azure:${source.name}:${storage.primaryContainerName}`,
      replica: `azure:${storage.replicaAccountName}:${storage.primaryContainerName}`,
      lag: "blob object replication (asynchronous, no SLA; pending work alerted past the RPO objective)",
      sourcePolicyId: replication.sourceObjectReplicationId,
    };
  }
}
