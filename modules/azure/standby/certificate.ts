/**
 * The ingress certificate in the recovery vault, where the application routing add-on reads it
 * (`kubernetes.azure.com/tls-cert-keyvault-uri`): copied from the primary's vault in peacetime, so the recovery needs
 * neither the primary region nor a new issuance. A Key Vault certificate's PFX is readable as the secret of the same
 * name (https://learn.microsoft.com/azure/key-vault/certificates/about-certificates#composition-of-a-certificate), which
 * `azurerm_key_vault_certificate` imports as `certificate.contents`.
 */
import { DataAzurermKeyVaultSecret } from "@cdktf/provider-azurerm/lib/data-azurerm-key-vault-secret";
import { KeyVaultCertificate } from "@cdktf/provider-azurerm/lib/key-vault-certificate";
import type { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { Construct } from "constructs";
import type { IssuedCertificate } from "../../standby-contracts";

export interface StandbyCertificateProps {
  readonly primary: AzurermProvider;
  readonly primaryKeyVaultId: string;
  readonly vaultId: string;
  /** The certificate's name in both vaults (from targets.azure.ingress.tls.certificateUri). */
  readonly name: string;
  readonly hostname: string;
  /** The identity running Terraform, granted the right to import the certificate. */
  readonly runnerObjectId: string;
}

export class StandbyCertificate extends Construct {
  readonly certificate: IssuedCertificate;

  constructor(scope: Construct, id: string, props: StandbyCertificateProps) {
    super(scope, id);
    const grant = new RoleAssignment(this, "writer", {
      scope: props.vaultId,
      roleDefinitionName: "Key Vault Certificates Officer",
      principalId: props.runnerObjectId,
    });
    const pfx = new DataAzurermKeyVaultSecret(this, "primary", { provider: props.primary, name: props.name, keyVaultId: props.primaryKeyVaultId });
    const copy = new KeyVaultCertificate(this, "copy", {
      name: props.name,
      keyVaultId: props.vaultId,
      certificate: { contents: pfx.value },
      dependsOn: [grant],
    });
    this.certificate = { hostname: props.hostname, certificateId: copy.versionlessId };
  }
}
