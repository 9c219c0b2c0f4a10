/**
 * The Medplum servers' Azure identity: a user-assigned managed identity federated with the workload's Kubernetes
 * service account (AKS workload identity), allowed to read and write the binary container, to sign download URLs for
 * it, and to read the recovery vault's secrets. Nothing else is granted.
 */
import { FederatedIdentityCredential } from "@cdktf/provider-azurerm/lib/federated-identity-credential";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

/** The audience Entra ID expects from Kubernetes service account tokens. */
export const WORKLOAD_IDENTITY_AUDIENCE = "api://AzureADTokenExchange";

export interface WorkloadIdentityProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** The cluster's OIDC issuer URL. */
  readonly oidcIssuerUrl: string;
  readonly namespace: string;
  readonly serviceAccountName: string;
  /** The binary container's ARM id. */
  readonly storageScope: string;
  /** The binary storage account's ARM id. */
  readonly storageAccountId: string;
  readonly keyVaultId: string;
  readonly tags: Readonly<Record<string, string>>;
}

export class WorkloadIdentity extends Construct {
  readonly identity: UserAssignedIdentity;
  readonly clientId: string;
  /** Everything the servers' first start depends on: the federation and the grants. */
  readonly grants: readonly ITerraformDependable[];

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    this.identity = new UserAssignedIdentity(this, "identity", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tags: { ...props.tags },
    });
    this.clientId = this.identity.clientId;

    const federation = new FederatedIdentityCredential(this, "federation", {
      name: "medplum-server",
      resourceGroupName: props.resourceGroupName,
      parentId: this.identity.id,
      issuer: props.oidcIssuerUrl,
      subject: `system:serviceaccount:${props.namespace}:${props.serviceAccountName}`,
      audience: [WORKLOAD_IDENTITY_AUDIENCE],
    });
    const grant = (grantId: string, scopeId: string, role: string) =>
      new RoleAssignment(this, grantId, {
        scope: scopeId,
        roleDefinitionName: role,
        principalId: this.identity.principalId,
        principalType: "ServicePrincipal",
      });
    this.grants = [
      federation,
      grant("blobData", props.storageScope, "Storage Blob Data Contributor"),
      // Medplum signs binary download URLs with a user delegation key (getUserDelegationKey in
      // packages/server/src/cloud/azure/storage.ts). Azure issues that key per account, so the action
      // (.../blobServices/generateUserDelegationKey/action) must be granted at account scope or above; a container-scoped
      // data role never satisfies it. Storage Blob Delegator grants only that action: the SAS it signs still carries no
      // more than the container-scoped data role allows.
      grant("blobDelegator", props.storageAccountId, "Storage Blob Delegator"),
      grant("vaultSecrets", props.keyVaultId, "Key Vault Secrets User"),
    ];
  }
}
