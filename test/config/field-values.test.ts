/**
 * Every string field of the recovery config against values its cloud refuses: each bad value must be reported once,
 * at the field's dotted path, with the value and what is wrong; each good value (including the edge cases the vendor
 * rule allows) must pass. A field whose mode is not the example's gets a `setup` that switches the mode first.
 */
import { parseRecoveryConfig, RecoveryConfigError } from "../../config/load";
import { EXISTING_NETWORK } from "../azure/support";
import { exampleWith } from "./bad-config-cases";

interface FieldCase {
  readonly path: string;
  readonly setup?: (doc: any) => void;
  readonly bad: ReadonlyArray<readonly [value: unknown, expected: RegExp]>;
  readonly good: readonly unknown[];
}

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups";
const aws = (doc: any) => doc.targets.aws;
const gcp = (doc: any) => doc.targets.gcp;
const azure = (doc: any) => doc.targets.azure;
const k8s = (doc: any) => doc.targets.kubernetes;

const awsExistingNetwork = (doc: any) =>
  (aws(doc).network = {
    mode: "existing",
    vpcId: "vpc-0abc1234def567890",
    publicSubnetIds: ["subnet-0a1b2c3d", "subnet-1a1b2c3d"],
    privateSubnetIds: ["subnet-2a1b2c3d", "subnet-3a1b2c3d"],
  });
const awsPointInTime = (doc: any) => {
  aws(doc).database.engine = "postgres";
  aws(doc).database.restore = { mode: "point-in-time", automatedBackupsArn: "arn:aws:rds:us-west-2:111122223333:auto-backup:ab-example", time: "latest" };
};
const s3Backend = (doc: any) => (aws(doc).backend = { type: "s3", bucket: "acme-medplum-state", key: "recovery/aws.tfstate", region: "us-west-2" });
const gcpExistingNetwork = (doc: any) =>
  (gcp(doc).network = { mode: "existing", networkName: "dr", subnetworkName: "dr-usw1", podsRangeName: "pods", servicesRangeName: "services" });
/** The ingress certificate must sit in the recovery vault (a cross-field rule): use a Secret when the vault changes. */
const ingressFromSecret = (doc: any) => (azure(doc).ingress.tls = { mode: "existing-secret", secretName: "api-tls" });
const azureKeyVaultNew = (doc: any) => ((azure(doc).secrets.keyVault = { mode: "new", name: "medplum-dr-kv" }), ingressFromSecret(doc));
const azureCmk = (doc: any) =>
  (azure(doc).database.customerManagedKey = {
    keyVaultKeyId: "https://medplum-dr-kv.vault.azure.net/keys/postgres",
    identityId: `${SUB}/medplum-dr/providers/Microsoft.ManagedIdentity/userAssignedIdentities/postgres-cmk`,
    geoBackupKeyVaultKeyId: "https://medplum-dr-kv-geo.vault.azure.net/keys/postgres",
    geoBackupIdentityId: `${SUB}/medplum-dr/providers/Microsoft.ManagedIdentity/userAssignedIdentities/postgres-cmk-geo`,
  });
const k8sExistingDatabase = (doc: any) =>
  (k8s(doc).database = {
    mode: "existing",
    host: "medplum-pg-rw.databases.svc.cluster.local",
    credentials: { secretName: "medplum-pg-app" },
    allowedPeers: [{ namespace: "databases" }],
  });

const FIELDS: readonly FieldCase[] = [
  // --- common ---
  {
    path: "environment",
    bad: [
      ["Medplum DR", /is not a valid environment name/],
      ["-dr", /is not a valid environment name/],
    ],
    good: ["dr1", "medplum-dr"],
  },
  {
    path: "medplum.image",
    bad: [
      ["Medplum/medplum-server:4.3.9", /is not a container image reference/],
      ["medplum/medplum-server:4.3.9@sha256:abc", /is not a container image reference/],
      ["medplum/medplum-server:-4.3.9", /is not a container image reference/],
    ],
    good: ["medplum/medplum-server:5.0.10", "ghcr.io/acme/medplum-server:4.3.9-acme.1", `localhost:5000/medplum/medplum-server:4.3.9@sha256:${"0".repeat(64)}`],
  },
  {
    path: "medplum.baseUrl",
    bad: [
      ["http://api.medplum.example.com/", /is a http:\/\/ URL; give a https:\/\/ URL/],
      ["https://api.medplum.example.com/?token=abc", /carries a credential in its query \(parameter token\)/],
      ["https://api.medplum.example.com/#x", /has a query or fragment/],
      ["https://api medplum/", /is not a URL/],
    ],
    good: ["https://api.medplum.example.com/", "https://api.medplum.example.com:8443/medplum/"],
  },
  {
    path: "medplum.hostnames.app",
    bad: [
      ["App.Medplum.example.com", /is not a fully qualified lower-case host name/],
      ["app", /is not a fully qualified/],
    ],
    good: ["app.medplum.example.com"],
  },
  {
    path: "medplum.supportEmail",
    bad: [
      ["support@medplum", /is not an e-mail address/],
      ["a,b@medplum.example.com", /is not an e-mail address/],
    ],
    good: ["support+dr@medplum.example.com"],
  },

  // --- state backends ---
  {
    path: "targets.aws.backend.bucket",
    setup: s3Backend,
    bad: [
      ["Acme_State", /is not an S3 bucket name/],
      ["xn--acme-state", /starts with "xn--", which S3 reserves/],
    ],
    good: ["acme.medplum.state"],
  },
  {
    path: "targets.aws.backend.key",
    setup: s3Backend,
    bad: [
      ["/recovery/aws.tfstate", /starts or ends with "\/" or contains "\/\/"/],
      ["recovery//aws.tfstate", /contains "\/\/"/],
    ],
    good: ["aws.tfstate"],
  },
  { path: "targets.aws.backend.region", setup: s3Backend, bad: [["US West 2", /is not an AWS region name/]], good: ["eu-central-1"] },
  { path: "targets.aws.backend.lockTable", setup: s3Backend, bad: [["lock table", /is not a DynamoDB table name/]], good: ["terraform-locks"] },
  {
    path: "targets.aws.backend.kmsKeyId",
    setup: s3Backend,
    bad: [["alias/terraform", /is not a KMS key id or key ARN .*takes no alias/]],
    good: ["1234abcd-12ab-34cd-56ef-1234567890ab", "arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"],
  },
  {
    path: "targets.gcp.backend.bucket",
    setup: (doc) => (gcp(doc).backend = { type: "gcs", bucket: "acme-state", prefix: "medplum" }),
    bad: [
      ["goog-state", /starts with "goog"/],
      ["ab", /is 2 characters long/],
    ],
    good: ["acme_medplum.state"],
  },
  {
    path: "targets.azure.backend.storageAccountName",
    setup: (doc) =>
      (azure(doc).backend = {
        type: "azurerm",
        resourceGroupName: "tfstate",
        storageAccountName: "acmetfstate",
        containerName: "tfstate",
        key: "medplum.tfstate",
      }),
    bad: [["acme-tfstate", /is not a storage account name \(3-24 lower-case letters and digits\)/]],
    good: ["acmetfstate01"],
  },
  {
    path: "targets.azure.backend.containerName",
    setup: (doc) =>
      (azure(doc).backend = {
        type: "azurerm",
        resourceGroupName: "tfstate",
        storageAccountName: "acmetfstate",
        containerName: "tfstate",
        key: "medplum.tfstate",
      }),
    bad: [
      ["tf--state", /is not a blob container name/],
      ["TfState", /is not a blob container name/],
    ],
    good: ["tf-state"],
  },
  {
    path: "targets.azure.backend.resourceGroupName",
    setup: (doc) =>
      (azure(doc).backend = {
        type: "azurerm",
        resourceGroupName: "tfstate",
        storageAccountName: "acmetfstate",
        containerName: "tfstate",
        key: "medplum.tfstate",
      }),
    bad: [
      ["tfstate.", /is not a resource group name/],
      ["tf/state", /is not a resource group name/],
    ],
    good: ["rg-tfstate(prod)", "ressources-état"],
  },

  // --- AWS ---
  { path: "targets.aws.accountId", bad: [["1111-2222-3333", /is not a 12-digit AWS account id/]], good: ["111122223333"] },
  { path: "targets.aws.availabilityZones[0]", bad: [["usw2-az1", /is not an availability zone name/]], good: ["us-west-2c"] },
  {
    path: "targets.aws.network.cidr",
    bad: [
      ["10.40.0.0/24", /is a \/24; give a CIDR block between \/16 and \/22/],
      ["10.40.0.0", /is an address without a prefix length/],
      ["010.40.0.0/16", /leading zero/],
    ],
    good: ["172.16.0.0/20"],
  },
  {
    path: "targets.aws.network.vpcId",
    setup: awsExistingNetwork,
    bad: [
      ["vpc-0abc", /is not a VPC id \(vpc- and 8 or 17 hex digits\)/],
      ["vpc-XYZ12345", /is not a VPC id/],
    ],
    good: ["vpc-0abc1234"],
  },
  { path: "targets.aws.network.privateSubnetIds[1]", setup: awsExistingNetwork, bad: [["subnet 1", /is not a subnet id/]], good: ["subnet-0abc1234def567890"] },
  {
    path: "targets.aws.database.restore.snapshotIdentifier",
    bad: [
      ["medplum--copy", /is not an RDS snapshot identifier/],
      ["medplum-copy-", /is not an RDS snapshot identifier/],
      ["1-medplum-copy", /is not an RDS snapshot identifier/],
      [
        "arn:aws:rds:us-west-2:111122223333:db:medplum",
        /is not an RDS snapshot ARN: resource "db:medplum" is not snapshot:<identifier> or cluster-snapshot:<identifier>/,
      ],
      ["arn:aws:rds:uswest2:111122223333:cluster-snapshot:x", /region "uswest2" is not a region code/],
    ],
    good: [
      "medplum-prod-copy-2026-11-22",
      "rds:medplum-prod-2026-11-22-08-00",
      "arn:aws:rds:us-west-2:111122223333:cluster-snapshot:rds:medplum-prod-2026-11-22-08-00",
    ],
  },
  {
    path: "targets.aws.database.restore.automatedBackupsArn",
    setup: awsPointInTime,
    bad: [
      [
        "arn:aws:rds:us-west-2:111122223333:auto-backup:medplum",
        /is not an RDS automated backups ARN: resource "auto-backup:medplum" is not auto-backup:ab-<id>/,
      ],
    ],
    good: ["arn:aws:rds:us-west-2:111122223333:auto-backup:ab-L2IJCEXJP7XQ7HOJ4SIEXAMPLE"],
  },
  { path: "targets.aws.database.instanceClass", bad: [["r6g.large", /is not an RDS instance class/]], good: ["db.x2iedn.16xlarge"] },
  {
    path: "targets.aws.database.kmsKeyArn",
    bad: [
      ["arn:aws:kms:us-west-2:111122223333:alias/medplum", /is not a KMS key ARN: resource "alias\/medplum" is not key\/<key id>/],
      ["arn:aws:kms:us-west-2:111122223333:key/not-a-key", /is not a KMS key ARN/],
    ],
    good: ["arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"],
  },
  { path: "targets.aws.cache.nodeType", bad: [["t4g.medium", /is not an ElastiCache node type/]], good: ["cache.r7g.xlarge"] },
  {
    path: "targets.aws.cache.authTokenSecretArn",
    bad: [["arn:aws:secretsmanager:us-west-2:111122223333:secret:medplum redis", /is not a Secrets Manager secret ARN: resource "secret:medplum redis"/]],
    good: ["arn:aws:secretsmanager:us-west-2:111122223333:secret:medplum/redis_auth+dr@acme=1-AbCdEf"],
  },
  {
    path: "targets.aws.storage.bucketName",
    bad: [
      ["192.168.10.20", /is formatted as an IP address/],
      ["medplum-binaries-s3alias", /ends with "-s3alias", which S3 reserves/],
      ["Medplum-Binaries", /is not an S3 bucket name/],
    ],
    good: ["medplum.binaries.usw2"],
  },
  {
    path: "targets.aws.tls.certificateArn",
    bad: [
      [
        "arn:aws:acm:us-west-2:111122223333:certificate/api-medplum",
        /is not an ACM certificate ARN: resource "certificate\/api-medplum" is not certificate\/<certificate id>/,
      ],
    ],
    good: ["arn:aws:acm:us-west-2:111122223333:certificate/12345678-1234-1234-1234-123456789012"],
  },
  {
    path: "targets.aws.dns.hostedZoneId",
    bad: [
      ["/hostedzone/Z0123456789EXAMPLE", /is not a Route 53 hosted zone id .*without \/hostedzone\//],
      ["z0123", /is not a Route 53 hosted zone id/],
    ],
    good: ["Z2FDTNDATAQYW2"],
  },
  {
    path: "targets.aws.dns.routing.setIdentifier",
    setup: (doc) => (aws(doc).dns.routing = { mode: "failover" }),
    bad: [["x".repeat(129), /is not a Route 53 set identifier/]],
    good: ["dr us-west-2"],
  },
  {
    path: "targets.aws.alerts.topicArn",
    bad: [
      ["arn:aws:sns:us-west-2:111122223333:on call", /is not an SNS topic ARN/],
      ["arn:aws:sqs:us-west-2:111122223333:oncall", /it is a sqs ARN/],
    ],
    good: ["arn:aws:sns:us-west-2:111122223333:oncall_pager-1"],
  },

  // --- GCP ---
  {
    path: "targets.gcp.project",
    bad: [
      ["acme-google-dr", /contains "google", which Google Cloud project ids may not/],
      ["acme-dr-", /is not a Google Cloud project id/],
      ["acme", /is not a Google Cloud project id/],
    ],
    good: ["acme-dr-123456"],
  },
  {
    path: "targets.gcp.network.podsCidr",
    bad: [
      ["10.52.0.1/17", /has host bits set: .* so write 10\.52\.0\.0\/17/],
      ["10.52.0.0/22", /is a \/22; give a CIDR block between \/14 and \/21/],
    ],
    good: ["10.64.0.0/14"],
  },
  {
    path: "targets.gcp.network.networkName",
    setup: gcpExistingNetwork,
    bad: [
      ["DR-Network", /is not a Google Cloud resource name/],
      ["dr-", /is not a Google Cloud resource name/],
    ],
    good: ["dr-vpc-1"],
  },
  {
    path: "targets.gcp.database.restore.sourceInstance",
    bad: [
      ["Medplum_Prod", /is not a Cloud SQL instance name/],
      ["medplum-prod-", /is not a Cloud SQL instance name/],
    ],
    good: ["medplum-prod-2"],
  },
  { path: "targets.gcp.database.restore.sourceProject", bad: [["Acme Prod", /is not a Google Cloud project id/]], good: ["acme-medplum-prod"] },
  {
    path: "targets.gcp.database.tier",
    bad: [
      ["db-custom-4-", /is not a Cloud SQL machine tier/],
      ["custom-4-16384", /is not a Cloud SQL machine tier/],
    ],
    good: ["db-n1-standard-4"],
  },
  {
    path: "targets.gcp.database.kmsKeyName",
    bad: [
      ["projects/acme-medplum-dr/locations/us-west1/keyRings/med plum/cryptoKeys/cloudsql", /has key ring "med plum", which is not a key ring id/],
      ["projects/acme/locations/us-west1/keyRings/medplum/cryptoKeys/cloudsql", /has project "acme", which is not a project id or number/],
      ["medplum-key", /is not a Cloud KMS key name/],
    ],
    good: ["projects/123456789012/locations/us-west1/keyRings/medplum_ring/cryptoKeys/cloud-sql"],
  },
  {
    path: "targets.gcp.database.passwordSecretId",
    bad: [
      ["medplum/db-password", /is not a Secret Manager secret id/],
      ["x".repeat(256), /is not a Secret Manager secret id/],
    ],
    good: ["MEDPLUM_DB_PASSWORD-1"],
  },
  {
    path: "targets.gcp.storage.bucketName",
    bad: [
      ["-medplum", /is not a Cloud Storage bucket name/],
      ["1.2.3.4", /is formatted as an IP address/],
    ],
    good: ["medplum_binaries.acme.example.com"],
  },
  {
    path: "targets.gcp.cluster.masterAuthorizedNetworks[0].cidr",
    bad: [["203.0.113.7/24", /has host bits set: .* so write 203\.0\.113\.0\/24 \(the google provider requires the network address/]],
    good: ["203.0.113.7/32"],
  },
  {
    path: "targets.gcp.cluster.masterAuthorizedNetworks[0].name",
    bad: [
      ["", /is not a display name/],
      ["ops\nvpn", /is not a display name/],
    ],
    good: ["ops VPN (Frankfurt)"],
  },
  {
    path: "targets.gcp.dns.routing.primaryAddresses[0]",
    setup: (doc) =>
      (gcp(doc).dns.routing = { mode: "primary-backup", primaryAddresses: ["198.51.100.7"], healthCheckRegions: ["us-east1", "us-central1", "us-west1"] }),
    bad: [
      ["198.51.100.256", /has an octet above 255; give an IPv4 address/],
      ["198.51.100.7/32", /is not four dot-separated numbers/],
    ],
    good: ["203.0.113.1"],
  },
  { path: "targets.gcp.dns.managedZone", bad: [["medplum.example.com", /is not a Google Cloud resource name/]], good: ["medplum-example-com"] },
  {
    path: "targets.gcp.alerts.channelIds[0]",
    setup: (doc) => (gcp(doc).alerts.channelIds = ["projects/acme-medplum-dr/notificationChannels/1"]),
    bad: [["projects/acme-medplum-dr/notificationChannels/pager", /is not a notification channel id/]],
    good: ["projects/1234567890/notificationChannels/987654321"],
  },

  // --- Azure ---
  {
    path: "targets.azure.subscriptionId",
    bad: [
      ["00000000-0000-0000-0000-00000000000", /is not a GUID/],
      ["{00000000-0000-0000-0000-000000000000}", /is not a GUID/],
    ],
    good: ["A1B2C3D4-0000-4000-8000-000000000000"],
  },
  {
    path: "targets.azure.resourceGroupName",
    bad: [
      ["medplum dr.", /is not a resource group name/],
      ["x".repeat(91), /is not a resource group name/],
    ],
    good: ["medplum-dr_(recovery)"],
  },
  {
    path: "targets.azure.network.cidr",
    bad: [
      ["10.50.0.0/20", /is a \/20; give a CIDR block between \/16 and \/19/],
      ["10.50.128.0/16", /has host bits set/],
    ],
    good: ["10.60.0.0/19"],
  },
  {
    path: "targets.azure.network.postgresSubnet.id",
    setup: (doc) => (azure(doc).network = structuredClone(EXISTING_NETWORK)),
    bad: [
      [
        `${SUB}/net/providers/Microsoft.Network/virtualNetworks/dr/subnets/`,
        /is not a Microsoft\.Network\/virtualNetworks\/subnets resource id: subnets name "" is not 1-80 letters/,
      ],
      [
        `${SUB}/net/providers/Microsoft.Network/virtualNetworks/dr`,
        /is not a Microsoft\.Network\/virtualNetworks\/subnets resource id: it has 8 path segments, not 10/,
      ],
    ],
    good: [`${SUB.replace("resourceGroups", "resourcegroups")}/net/providers/microsoft.network/virtualNetworks/dr/subnets/pg_1`],
  },
  {
    path: "targets.azure.network.privateEndpointSubnet.cidr",
    setup: (doc) => (azure(doc).network = structuredClone(EXISTING_NETWORK)),
    bad: [["10.9.2.5/24", /has host bits set/]],
    good: ["10.9.2.0/26"],
  },
  {
    path: "targets.azure.network.privateDnsZoneIds.postgres",
    setup: (doc) => (azure(doc).network = structuredClone(EXISTING_NETWORK)),
    bad: [[`${SUB}/net/providers/Microsoft.Network/dnszones/postgres.example.com`, /it names a Microsoft\.Network\/dnszones resource/]],
    good: [`${SUB}/net/providers/Microsoft.Network/privateDnsZones/medplum.private.postgres.database.azure.com`],
  },
  {
    path: "targets.azure.database.restore.sourceServerId",
    bad: [
      [
        `${SUB}/medplum-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/Medplum-Prod`,
        /flexibleServers name "Medplum-Prod" is not 3-63 lower-case letters/,
      ],
      [
        `/subscriptions/prod/resourceGroups/medplum-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/medplum-prod-pg`,
        /subscription "prod" is not a GUID/,
      ],
    ],
    good: [`${SUB}/medplum-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg1`],
  },
  {
    path: "targets.azure.database.serverName",
    bad: [
      ["medplum_pg", /is not a Flexible Server name/],
      ["-pg", /is not a Flexible Server name/],
    ],
    good: ["medplum-dr-pg"],
  },
  {
    path: "targets.azure.database.skuName",
    bad: [
      ["GP_Standard_", /is not a Flexible Server SKU/],
      ["Standard_D4ds_v5", /is not a Flexible Server SKU/],
    ],
    good: ["MO_Standard_E4ds_v5"],
  },
  {
    path: "targets.azure.database.applicationUser",
    bad: [
      ["Medplum", /is not a plain PostgreSQL role name/],
      ["x".repeat(64), /is not a plain PostgreSQL role name/],
    ],
    good: ["medplum_app"],
  },
  {
    path: "targets.azure.database.customerManagedKey.keyVaultKeyId",
    setup: azureCmk,
    bad: [
      ["https://medplum-dr-kv.vault.azure.net/keys/postgres?api-version=7.4", /is not a Key Vault key id/],
      ["https://medplum-dr-kv.vault.azure.net/keys/postgres/123", /is not a Key Vault key id/],
      ["https://medplum--kv.vault.azure.net/keys/postgres", /is not a Key Vault key id/],
    ],
    good: ["https://medplum-dr-kv.vault.azure.net/keys/postgres/0123456789abcdef0123456789abcdef"],
  },
  {
    path: "targets.azure.database.customerManagedKey.geoBackupIdentityId",
    setup: azureCmk,
    bad: [[`${SUB}/medplum-dr/providers/Microsoft.ManagedIdentity/userAssignedIdentities/-cmk`, /userAssignedIdentities name "-cmk" is not 3-128 letters/]],
    good: [`${SUB}/medplum-dr/providers/Microsoft.ManagedIdentity/userAssignedIdentities/pg_cmk-geo`],
  },
  {
    path: "targets.azure.storage.accountId",
    bad: [
      [
        `${SUB}/medplum-prod/providers/Microsoft.Storage/storageAccounts/Medplum-Binaries`,
        /storageAccounts name "Medplum-Binaries" is not 3-24 lower-case letters and digits/,
      ],
    ],
    good: [`${SUB}/medplum-prod/providers/Microsoft.Storage/storageAccounts/abc`],
  },
  {
    path: "targets.azure.storage.containerName",
    bad: [
      ["bi", /is not a blob container name/],
      ["binaries-", /is not a blob container name/],
    ],
    good: ["medplum-binaries-1"],
  },
  {
    path: "targets.azure.secrets.keyVault.name",
    setup: azureKeyVaultNew,
    bad: [
      ["1medplum", /is not a Key Vault name/],
      ["medplum--kv", /is not a Key Vault name/],
      ["medplum-dr-key-vault-0001", /is not a Key Vault name/],
    ],
    good: ["Medplum-DR-kv1"],
  },
  {
    path: "targets.azure.secrets.keyVault.id",
    setup: ingressFromSecret,
    bad: [[`${SUB}/medplum-dr-secrets/providers/Microsoft.KeyVault/vaults/kv`, /vaults name "kv" is not 3-24 letters/]],
    good: [`${SUB}/medplum-dr-secrets/providers/Microsoft.KeyVault/vaults/kv1`],
  },
  {
    path: "targets.azure.secrets.terraformIpRanges[0]",
    bad: [
      ["203.0.113.0/6", /is a \/6: opens the vault's firewall/],
      ["192.168.1.0/24", /is a private \(RFC 1918\) range/],
    ],
    good: ["203.0.113.7/32", "172.32.0.0/16"],
  },
  {
    path: "targets.azure.secrets.names.signingKey",
    setup: (doc) => (azure(doc).secrets.names = { signingKeyId: "MedplumSigningKeyId", signingKeyPassphrase: "MedplumSigningKeyPassphrase" }),
    bad: [["medplum_signing_key", /is not a Key Vault secret name/]],
    good: ["MedplumSigningKey-2"],
  },
  {
    path: "targets.azure.cluster.nodeVmSize",
    bad: [
      ["D4ds_v5", /is not a VM size/],
      ["Standard_", /is not a VM size/],
    ],
    good: ["Standard_E8as_v5"],
  },
  { path: "targets.azure.cluster.adminGroupObjectIds[0]", bad: [["ops-admins", /is not a GUID/]], good: ["33333333-3333-3333-3333-333333333333"] },
  {
    path: "targets.azure.cluster.apiServer.authorizedIpRanges[0]",
    bad: [
      ["128.0.0.0/1", /is a \/1: opens the API server/],
      ["203.0.113.0/33", /has prefix length \/33, which IPv4 does not have/],
    ],
    good: ["203.0.113.0/24"],
  },
  { path: "targets.azure.ingress.className", bad: [["Web App Routing", /is not an IngressClass name/]], good: ["nginx.internal"] },
  { path: "targets.azure.ingress.controllerNamespace", bad: [["app.routing", /is not a Kubernetes namespace name/]], good: ["ingress-nginx"] },
  {
    path: "targets.azure.ingress.tls.certificateUri",
    bad: [["https://medplum-dr-kv.vault.azure.net/secrets/api", /is not a Key Vault certificate id/]],
    good: ["https://medplum-dr-kv.vault.azure.net/certificates/api/0123456789abcdef0123456789abcdef"],
  },
  {
    path: "targets.azure.ingress.tls.issuerName",
    setup: (doc) => (azure(doc).ingress.tls = { mode: "cert-manager", issuerName: "letsencrypt" }),
    bad: [["Lets Encrypt", /is not a Kubernetes object name/]],
    good: ["letsencrypt.prod"],
  },
  {
    path: "targets.azure.ingress.tls.secretName",
    setup: (doc) => (azure(doc).ingress.tls = { mode: "existing-secret", secretName: "api-tls" }),
    bad: [["api_tls", /is not a Kubernetes Secret name/]],
    good: ["api-tls"],
  },
  { path: "targets.azure.dns.zoneResourceGroupName", bad: [["dns.", /is not a resource group name/]], good: ["dns-zones"] },
  {
    path: "targets.azure.dns.routing.profileName",
    setup: (doc) => (azure(doc).dns.routing = { mode: "traffic-manager", profileName: "medplum-dr" }),
    bad: [["medplum.dr", /is not a Traffic Manager relative DNS name/]],
    good: ["m"],
  },
  {
    path: "targets.azure.alerts.webhooks[0].uri",
    setup: (doc) => (azure(doc).alerts.webhooks = [{ name: "pager", uri: "https://pager.example.com/x" }]),
    bad: [
      ["https://acme.azurewebsites.net/api/alert?code=abc", /carries a credential in its query \(parameter code\)/],
      ["https://outlook.office.com/webhook/abc/IncomingWebhook/def", /is a Microsoft Teams incoming webhook, whose path is itself the secret/],
      ["https://events.pagerduty.com/integration/0123456789abcdef/enqueue", /is a PagerDuty integration URL/],
      ["https://pager.example.com/x#access_token=abc", /carries a credential in its fragment \(access_token\)/],
      ["https://pager.example.com/x?X-Amz-Signature=abc", /carries a credential in its query \(parameter X-Amz-Signature\)/],
      ["http://pager.example.com/x", /is a http:\/\/ URL/],
    ],
    good: ["https://pager.example.com/azure-monitor?team=dr&severity=1"],
  },

  // --- Kubernetes ---
  {
    path: "targets.kubernetes.namespace",
    bad: [
      ["medplum.dr", /is not a Kubernetes name/],
      ["x".repeat(64), /is not a Kubernetes name/],
    ],
    good: ["medplum-dr"],
  },
  { path: "targets.kubernetes.ingress.className", bad: [["NGINX", /is not a Kubernetes IngressClass name/]], good: ["nginx"] },
  { path: "targets.kubernetes.ingress.tls.issuer", bad: [["letsencrypt_prod", /is not a Kubernetes name/]], good: ["letsencrypt-staging"] },
  {
    path: "targets.kubernetes.ingress.allowedFrom[0].podLabels",
    bad: [
      [{ "app.kubernetes.io/name": "ingress nginx" }, /is not a label value/],
      [{ "-app": "x" }, /is not a label or annotation key/],
    ],
    good: [{ "app.kubernetes.io/name": "" }],
  },
  {
    path: "targets.kubernetes.ingress.annotations",
    bad: [[{ "nginx.ingress.kubernetes.io/proxy body size": "64m" }, /is not a label or annotation key/]],
    good: [{ "nginx.ingress.kubernetes.io/proxy-body-size": "64m" }],
  },
  { path: "targets.kubernetes.database.storageClass", bad: [["Standard SSD", /is not a Kubernetes StorageClass name/]], good: ["gp3.encrypted"] },
  {
    path: "targets.kubernetes.database.dump.url",
    bad: [
      ["s3://Acme_Backups/medplum.dump", /has bucket "Acme_Backups", which is not an S3 bucket name/],
      ["gs://goog-backups/medplum.dump", /has bucket "goog-backups", which starts with "goog"/],
      ["s3://acme-backups/medplum.dump?X-Amz-Credential=abc", /carries a credential in its query/],
      ["https://acme.blob.core.windows.net/Dumps/medplum.dump", /is not a dump location/],
      ["ftp://backups.example.com/medplum.dump", /is not a dump location/],
    ],
    good: ["gs://acme_backups/medplum/2026-11-22.dump", "https://acmebackups.blob.core.windows.net/dumps/medplum.dump"],
  },
  {
    path: "targets.kubernetes.database.dump.s3Endpoint",
    bad: [
      ["minio.example.com:9000", /is not a URL; give a https:\/\/ or http:\/\/ URL/],
      ["https://minio.example.com/?access_key=abc", /carries a credential in its query \(parameter access_key\)/],
    ],
    good: ["http://minio.minio.svc:9000"],
  },
  { path: "targets.kubernetes.database.dump.s3Region", bad: [["US West", /is not a region name/]], good: ["auto"] },
  { path: "targets.kubernetes.database.dump.credentialsSecret", bad: [["Backup Reader", /is not a Kubernetes Secret name/]], good: ["backup.reader"] },
  {
    path: "targets.kubernetes.database.dump.downloaderImage",
    bad: [
      ["Amazon/aws-cli:2.17.0", /is not a container image reference/],
      ["amazon/aws-cli", /is not pinned/],
    ],
    good: ["public.ecr.aws/aws-cli/aws-cli:2.17.0"],
  },
  {
    path: "targets.kubernetes.database.superuser.passwordKey",
    bad: [
      ["pass word", /is not a Secret data key/],
      ["..", /is not a Secret data key/],
    ],
    good: ["POSTGRES_PASSWORD"],
  },
  {
    path: "targets.kubernetes.database.host",
    setup: k8sExistingDatabase,
    bad: [
      ["postgres://pg:5432", /is not a host name or IP address/],
      ["pg:5432", /is not a host name or IP address/],
      ["10.0.0.300", /is not a host name or IP address/],
    ],
    good: ["pg-rw", "10.0.12.7", "fd00::12"],
  },
  {
    path: "targets.kubernetes.database.allowedPeers[0].cidr",
    setup: (doc) => (k8sExistingDatabase(doc), (k8s(doc).database.allowedPeers = [{ cidr: "10.0.0.0/16" }])),
    bad: [
      ["2001:db8::1/64", /has host bits set/],
      ["10.0.0.0/16/8", /is not an IPv4 CIDR block/],
    ],
    good: ["10.0.12.7/32", "2001:db8:1::/48"],
  },
  {
    path: "targets.kubernetes.redis.image",
    bad: [["redis:7.2.5:alpine", /is not a container image reference/]],
    good: ["docker.io/library/redis:7.4.1-alpine"],
  },
  {
    path: "targets.kubernetes.storage.binaryStorage",
    bad: [
      ["s3:Medplum", /has "Medplum" after s3:, which is not an S3 bucket name/],
      ["azure:medplumbinaries", /is not <storage account/],
      ["minio:bucket", /names no storage Medplum knows/],
    ],
    good: ["gs:medplum_binaries", "azure:medplumbinaries:binaries"],
  },
  {
    path: "targets.kubernetes.storage.credentials.keys",
    bad: [[{ AWS_ACCESS_KEY_ID: "access key" }, /is not a Secret data key/]],
    good: [{ AWS_ACCESS_KEY_ID: "accessKeyId" }],
  },
  { path: "targets.kubernetes.secrets.applicationSecret", bad: [[".medplum-app", /is not a Kubernetes Secret name/]], good: ["medplum.app"] },
  {
    path: "targets.kubernetes.serviceAccountAnnotations",
    bad: [[{ "eks.amazonaws.com//role-arn": "x" }, /has more than one '\/'/]],
    good: [{ "eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/medplum" }],
  },
];

/** Sets `value` at a dotted path with `[n]` indices (`a.b[0].c`), creating nothing: the path must exist after setup. */
function setAt(doc: any, path: string, value: unknown): void {
  const segments = path.split(/\.|(?=\[)/).map((segment) => (segment.startsWith("[") ? Number(segment.slice(1, -1)) : segment));
  const last = segments.pop()!;
  const parent = segments.reduce((current, segment) => current[segment], doc);
  parent[last] = value;
}

function problemsOf(edit: (doc: any) => void): string[] {
  try {
    parseRecoveryConfig(exampleWith(edit), "test.yaml");
  } catch (error) {
    if (error instanceof RecoveryConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("every string field refuses the values its cloud refuses, at its dotted path", () => {
  const bad = FIELDS.flatMap(({ path, setup, bad: values }) =>
    values.map(([value, expected]) => ({ path, setup, value, expected, label: `${path} = ${JSON.stringify(value).slice(0, 60)}` })),
  );
  it.each(bad)("$label", ({ path, setup, value, expected }) => {
    const problems = problemsOf((doc) => {
      setup?.(doc);
      setAt(doc, path, value);
    });
    expect(problems).toHaveLength(1);
    // Record fields report at the offending key, one level below the path.
    expect(problems[0]).toMatch(new RegExp(`^${escapeRegExp(path)}(\\.[^:]+)?: `));
    expect(problems[0]).toMatch(expected);
  });

  const good = FIELDS.flatMap(({ path, setup, good: values }) =>
    values.map((value) => ({ path, setup, value, label: `${path} = ${JSON.stringify(value).slice(0, 60)}` })),
  );
  it.each(good)("accepts $label", ({ path, setup, value }) => {
    expect(
      problemsOf((doc) => {
        setup?.(doc);
        setAt(doc, path, value);
      }),
    ).toEqual([]);
  });
});
