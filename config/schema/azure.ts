/**
 * `targets.azure`: recovery into an Azure region. PostgreSQL Flexible Server is brought back by geo-restore into the
 * paired region, point-in-time restore (same region as the source), or promotion of a cross-region read replica; AKS
 * runs the shared Medplum workload; Azure DNS (optionally behind Traffic Manager) switches the api host.
 */
import { z } from "zod";
import { smtpPasswordRule, type CrossFieldProblem, type CrossFieldRule } from "./cross-field";
import { blobContainerName, emailAddress, hostname, pastTimestamp, stateBackend } from "./common";
import {
  AZURE_NAMES,
  AZURE_RESOURCE_GROUP,
  azureResourceId,
  checkedString,
  GUID,
  ipv4Cidr,
  K8S_DNS_LABEL,
  K8S_DNS_SUBDOMAIN,
  keyVaultObjectId,
  url,
  type Ipv4CidrRule,
} from "./identifiers";
import { AZURE_REGIONS, azureRegion as regionFacts } from "../../facts/azure-regions";
import { MAX_CUTOVER_TTL_SECONDS } from "../../facts/dns";
import { keepsStandingInfrastructure, STANDBY_TIERS } from "../../modules/standby-contracts";

/**
 * Where Azure keeps a Flexible Server's geo-redundant backup copy, per source region: its paired region (a few pairs
 * are one-way, e.g. West US 3 and Brazil South). GeoRestore can only restore into this region. Derived from the region
 * table in facts/azure-regions.ts; a region without a pair there cannot be geo-restored from.
 */
export const AZURE_GEO_BACKUP_REGION: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(AZURE_REGIONS).flatMap(([name, facts]) => (facts.pairedRegion !== undefined ? [[name, facts.pairedRegion]] : [])),
);

/** Region names as the ARM API spells them (https://learn.microsoft.com/azure/reliability/regions-list): lower case, no spaces. */
const azureRegion = z.string().regex(/^[a-z]+[a-z0-9]*$/, "is not an Azure region name such as westus2 (lower case, no spaces)");
const uuid = z.string().regex(GUID, "is not a GUID such as 00000000-0000-0000-0000-000000000000");
const resourceGroupName = checkedString((name) =>
  AZURE_RESOURCE_GROUP.test(name) ? undefined : "is not a resource group name (1-90 letters, digits, '_', '-', '.', '(' and ')', not ending with '.')",
);

/**
 * An IPv4 CIDR block. AKS wants the first address of an authorized range
 * (https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges: "137.117.106.90/29 is a valid range, but make
 * sure you specify the first IP address in the range, such as 137.117.106.88/29"). azurerm's own check
 * (helpers/validate/network.go, CIDR) only matches the shape, so an octet of 300 would reach the Azure API; the VNet's
 * address_space and a subnet's address_prefixes are only checked for being non-empty.
 */
const cidr = (rule: Partial<Ipv4CidrRule> = {}) =>
  ipv4Cidr({ example: "203.0.113.0/24", hostBits: "a block is named by its first address; the value would not say which block is meant", ...rule });

/** `/subscriptions/<id>/resourceGroups/<rg>/providers/<namespace>/<type>/<name>`, case-insensitive like Azure itself. */
const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups";
const FLEXIBLE_SERVER_ID_EXAMPLE = `${SUB}/medplum-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/medplum-prod-pg`;
export const flexibleServerId = azureResourceId({
  provider: "Microsoft.DBforPostgreSQL",
  type: "flexibleServers",
  names: [AZURE_NAMES.flexibleServer],
  example: FLEXIBLE_SERVER_ID_EXAMPLE,
});
const subnetId = azureResourceId({
  provider: "Microsoft.Network",
  type: "virtualNetworks/subnets",
  names: [AZURE_NAMES.virtualNetwork, AZURE_NAMES.subnet],
  example: `${SUB}/net/providers/Microsoft.Network/virtualNetworks/dr-vnet/subnets/postgres`,
});
const privateDnsZoneId = azureResourceId({
  provider: "Microsoft.Network",
  type: "privateDnsZones",
  names: [AZURE_NAMES.privateDnsZone],
  example: `${SUB}/dns/providers/Microsoft.Network/privateDnsZones/privatelink.postgres.database.azure.com`,
});

/**
 * Azure refuses "latest" for GeoRestore and PointInTimeRestore: `point_in_time_restore_time_in_utc` must be an explicit
 * time. Refused here with the reason, rather than guessed at synth time (a synth-time clock would make output differ run to run).
 */
const explicitRestoreTime = z.string().superRefine((value, ctx) => {
  if (value === "latest") {
    ctx.addIssue({
      code: "custom",
      message:
        'is not accepted by Azure for a restore; give an explicit past RFC 3339 time (for geo-restore, the newest geo-backup can be up to about an hour old: read "earliest/latest restore point" with az postgres flexible-server show and pick a time before the newest copy)',
    });
    return;
  }
  const result = pastTimestamp.safeParse(value);
  if (!result.success) for (const issue of result.error.issues) ctx.addIssue({ code: "custom", message: issue.message });
});

/** Medplum 5 needs PostgreSQL 14 or later. */
const postgresVersion = z.enum(["14", "15", "16", "17"]);

const FLEXIBLE_SERVER_STORAGE_MB: readonly number[] = [32768, 65536, 131072, 262144, 524288, 1048576, 2097152, 4193280, 4194304, 8388608, 16777216, 33553408];

const restore = z.discriminatedUnion("mode", [
  z.strictObject({
    /** GeoRestore from the source's geo-redundant backup into the paired region (the region that was lost's pair). */
    mode: z.literal("geo-restore"),
    /** The source server (in the lost region), created in peacetime with geo_redundant_backup_enabled. */
    sourceServerId: flexibleServerId,
    /** The point to restore to: an explicit past RFC 3339 time ("latest" is not accepted by Azure). */
    time: explicitRestoreTime,
  }),
  z.strictObject({
    /** PointInTimeRestore: a new server in the SOURCE's region (Azure restores a point in time in place only). */
    mode: z.literal("point-in-time"),
    sourceServerId: flexibleServerId,
    time: explicitRestoreTime,
  }),
  z.strictObject({
    /**
     * Promote an existing cross-region read replica in the recovery region (`replication_role = "None"`). The
     * replica is imported into state by an import block; its name and resource group come from this id.
     */
    mode: z.literal("replica-promotion"),
    replicaServerId: flexibleServerId,
    /**
     * The server the replica replicates from (the primary, in the lost region). The provider promotes only a server
     * whose configuration says `create_mode = "Replica"` with its `source_server_id`; both are set from here.
     */
    sourceServerId: flexibleServerId,
  }),
]);

const userAssignedIdentityId = azureResourceId({
  provider: "Microsoft.ManagedIdentity",
  type: "userAssignedIdentities",
  names: [AZURE_NAMES.userAssignedIdentity],
  example: `${SUB}/medplum-dr/providers/Microsoft.ManagedIdentity/userAssignedIdentities/postgres-cmk`,
});

const customerManagedKey = z.strictObject({
  /** Key Vault key (versionless id) in the recovery region. */
  keyVaultKeyId: keyVaultObjectId("keys", "https://medplum-dr-kv.vault.azure.net/keys/postgres"),
  /** A user-assigned identity allowed to wrap and unwrap with the key. */
  identityId: userAssignedIdentityId,
  /** Key and identity for the geo-backup copy, in the geo-backup region. Required by Azure with geo-redundant backups. */
  geoBackupKeyVaultKeyId: keyVaultObjectId("keys", "https://medplum-dr-kv-geo.vault.azure.net/keys/postgres").optional(),
  geoBackupIdentityId: userAssignedIdentityId.optional(),
});

const database = z.strictObject({
  /** Globally unique server name. @default <environment>-pg (the replica's own name for replica-promotion) */
  serverName: z.string().regex(AZURE_NAMES.flexibleServer.pattern, `is not a Flexible Server name (${AZURE_NAMES.flexibleServer.rule})`).optional(),
  /** The recovered server's PostgreSQL major version. */
  version: postgresVersion,
  /** The source server's major version; a restore keeps it, so the two must match (checked). */
  sourceVersion: postgresVersion,
  /** <tier>_<VM size>: B_, GP_ or MO_Standard_... (https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-compute). */
  skuName: z.string().regex(/^(B|GP|MO)_Standard_[A-Z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$/, "is not a Flexible Server SKU such as GP_Standard_D4ds_v5"),
  /**
   * Storage of the recovered server, in MiB: at least the source's (`az postgres flexible-server show --ids <source>
   * --query storage.storageSizeGb`, times 1024), since a restore cannot shrink it. Without it the provider asks for
   * 32 GiB. Storage auto-grow is on, and Terraform ignores the size once the server exists (a size below the grown one
   * would force a new server). For replica-promotion, the replica's size (the replica keeps its own either way).
   */
  storageMb: z
    .number()
    .int()
    .refine((size) => FLEXIBLE_SERVER_STORAGE_MB.includes(size), `is not a Flexible Server storage size; use one of ${FLEXIBLE_SERVER_STORAGE_MB.join(", ")}`),
  restore,
  /** The role Medplum connects as (restored with the data); its password is read from the recovery Key Vault. @default medplum */
  applicationUser: z
    .string()
    // Plain identifiers of at most 63 bytes (https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS).
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, "is not a plain PostgreSQL role name (lower-case letters, digits and '_', starting with a letter or '_', at most 63)")
    .default("medplum"),
  /** @default medplum */
  databaseName: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, "is not a plain PostgreSQL database name (lower-case letters, digits and '_', at most 63)")
    .default("medplum"),
  /**
   * A standby server. "ZoneRedundant" needs a region with availability zones (facts/azure-regions.ts; asking for it
   * elsewhere is an error); "SameZone" works everywhere.
   * @default - "ZoneRedundant" in a region with availability zones, "SameZone" in one without (the plan report says so)
   */
  highAvailability: z.enum(["ZoneRedundant", "SameZone", "disabled"]).optional(),
  /** Geo-redundant backups on the recovered server, so it can itself be geo-restored. @default true */
  geoRedundantBackup: z.boolean().default(true),
  /** @default 14 */
  backupRetentionDays: z.number().int().min(7, "must be at least 7 (Azure's minimum)").max(35, "must be at most 35 (Azure's maximum)").default(14),
  /**
   * A CanNotDelete management lock and `prevent_destroy` on the server. Turn off only for drills torn down again.
   * @default true
   */
  deletionProtection: z.boolean().default(true),
  /** @default - platform-managed keys */
  customerManagedKey: customerManagedKey.optional(),
  /** Minutes Terraform waits for the restore; geo-restores of large servers take long. @default 180 */
  restoreTimeoutMinutes: z.number().int().min(30).max(1440).default(180),
});

const network = z.discriminatedUnion("mode", [
  z.strictObject({
    mode: z.literal("new"),
    /** The VNet's range; split into /24 subnets for PostgreSQL and private endpoints and a /20 for AKS nodes. */
    cidr: cidr({ minPrefix: 16, maxPrefix: 19, example: "10.50.0.0/16", hostBits: "the subnets are carved from the network address" }),
  }),
  z.strictObject({
    mode: z.literal("existing"),
    virtualNetworkId: azureResourceId({
      provider: "Microsoft.Network",
      type: "virtualNetworks",
      names: [AZURE_NAMES.virtualNetwork],
      example: `${SUB}/net/providers/Microsoft.Network/virtualNetworks/dr-vnet`,
    }),
    /** Delegated to Microsoft.DBforPostgreSQL/flexibleServers. */
    postgresSubnet: z.strictObject({ id: subnetId, cidr: cidr({ example: "10.50.16.0/24" }) }),
    aksSubnet: z.strictObject({ id: subnetId }),
    privateEndpointSubnet: z.strictObject({ id: subnetId, cidr: cidr({ example: "10.50.17.0/24" }) }),
    /** Private DNS zones already linked to this VNet (two zones of one name cannot be linked to one VNet). */
    privateDnsZoneIds: z.strictObject({ postgres: privateDnsZoneId, redis: privateDnsZoneId, keyVault: privateDnsZoneId, blob: privateDnsZoneId }),
  }),
]);

/** 1-127 letters, digits and hyphens (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftkeyvault). */
const secretName = z.string().regex(/^[0-9a-zA-Z-]{1,127}$/, "is not a Key Vault secret name (1-127 letters, digits and hyphens)");

const cache = z.discriminatedUnion("mode", [
  z.strictObject({
    /** An Azure Managed Redis created by the recovery. The default, so a config without `mode` means this. */
    mode: z.literal("new").default("new"),
    /** Azure Managed Redis SKU (Azure Cache for Redis is being retired). */
    skuName: z
      .string()
      // azurerm_managed_redis sku_name values (internal/services/managedredis in terraform-provider-azurerm; https://learn.microsoft.com/azure/redis/overview).
      .regex(/^(Balanced_B|ComputeOptimized_X|MemoryOptimized_M|FlashOptimized_A)\d+$/, "is not an Azure Managed Redis SKU such as Balanced_B5"),
    /** @default true */
    highAvailability: z.boolean().default(true),
    /**
     * Medplum's Redis client is not cluster-aware: NoCluster (one shard, smaller SKUs) or EnterpriseCluster (a proxy
     * presenting one endpoint). OSSCluster would need a cluster client and is refused.
     * @default "NoCluster"
     */
    clusteringPolicy: z.enum(["NoCluster", "EnterpriseCluster"]).default("NoCluster"),
  }),
  z.strictObject({
    /**
     * A Redis the platform team runs and the recovery only connects to (its own Azure Managed Redis or Azure Cache for
     * Redis in the recovery region, reachable from the recovery VNet). The recovery creates no cache then.
     */
    mode: z.literal("existing"),
    host: hostname,
    /** Azure Managed Redis serves on 10000, Azure Cache for Redis on 6380 (TLS): no default fits both. */
    port: z.number().int().min(1, "is not a TCP port (1-65535)").max(65535, "is not a TCP port (1-65535)"),
    /** The server certificate is verified against Node's public roots, which Azure's Redis certificates chain to. @default true */
    tls: z.boolean().default(true),
    /**
     * The secret in the recovery vault (targets.azure.secrets.keyVault) holding the access key: the primary region's
     * vault is read-only during a regional failover, so the key is kept where the other secrets are.
     */
    accessKeySecretName: secretName,
    /**
     * Address ranges the servers may reach Redis in (the NetworkPolicy's egress peers).
     * @default - the recovery's private-endpoint subnet, where a private endpoint of the team's Redis lives
     */
    allowedCidrs: z
      .array(cidr({ example: "10.60.2.0/24" }))
      .min(1, "needs at least one range, or the servers cannot reach Redis")
      .optional(),
  }),
]);

const storage = z.discriminatedUnion("mode", [
  z.strictObject({
    /** The GRS/RA-GRS account (or an object-replication target) holding the binaries, readable in the recovery region. */
    mode: z.literal("existing"),
    accountId: azureResourceId({
      provider: "Microsoft.Storage",
      type: "storageAccounts",
      names: [AZURE_NAMES.storageAccount],
      example: `${SUB}/medplum-prod/providers/Microsoft.Storage/storageAccounts/medplumbinaries`,
    }),
    containerName: blobContainerName,
  }),
  z.strictObject({
    mode: z.literal("new"),
    accountName: z.string().regex(AZURE_NAMES.storageAccount.pattern, `is not a storage account name (${AZURE_NAMES.storageAccount.rule})`),
    containerName: blobContainerName,
    /**
     * ZRS, GZRS and RAGZRS need a region with availability zones (facts/azure-regions.ts; asking for them elsewhere is
     * an error).
     * @default - "GZRS" in a region with availability zones, "GRS" in one without
     */
    replication: z.enum(["LRS", "ZRS", "GRS", "RAGRS", "GZRS", "RAGZRS"]).optional(),
    /** @default 30 */
    softDeleteRetentionDays: z.number().int().min(1).max(365).default(30),
  }),
]);

const keyVault = z.discriminatedUnion("mode", [
  z.strictObject({
    /** A vault created and filled in peacetime in the recovery region (recommended: the secrets are there before the disaster). */
    mode: z.literal("existing"),
    id: azureResourceId({
      provider: "Microsoft.KeyVault",
      type: "vaults",
      names: [AZURE_NAMES.keyVault],
      example: `${SUB}/medplum-dr-secrets/providers/Microsoft.KeyVault/vaults/medplum-dr-kv`,
    }),
  }),
  z.strictObject({
    /** Created by this stack; apply it ahead of time with -target and fill it in peacetime (docs/targets/azure.md). */
    mode: z.literal("new"),
    name: z.string().regex(AZURE_NAMES.keyVault.pattern, `is not a Key Vault name (${AZURE_NAMES.keyVault.rule})`),
    /** @default 90 */
    softDeleteRetentionDays: z.number().int().min(7).max(90).default(90),
  }),
]);

const secrets = z.strictObject({
  keyVault,
  /**
   * Public IP ranges allowed through the vault's firewall beside the private endpoint: where Terraform runs, since
   * it reads the secrets at apply time. Empty means only from inside the VNet (run Terraform there).
   * @default []
   */
  terraformIpRanges: z
    .array(
      cidr({
        minPrefix: 8,
        hostBits: "a block is named by its first address; the value would not say which block is meant",
        tooWide:
          "opens the vault's firewall to a large part of the internet, which is what the list is there to prevent; list where Terraform runs (a /32 for one machine)",
        // "any IP range inside 10.0.0.0-10.255.255.255 (private IP addresses) cannot be used to add network rules"
        // (https://learn.microsoft.com/powershell/module/az.keyvault/add-azkeyvaultnetworkrule).
        publicOnly:
          "Key Vault IP rules take public addresses only; inside the VNet Terraform reaches the vault through its private endpoint, so leave the list empty for that",
      }),
    )
    .default([]),
  /** Names of the secrets in the recovery vault. */
  names: z
    .strictObject({
      /** @default medplum-database-password */
      databasePassword: secretName.default("medplum-database-password"),
      /**
       * Medplum's signing key settings. Medplum uses the signing key only to sign CloudFront URLs for `s3:` binaries;
       * with the Blob storage this target uses it hands out SAS URLs and ignores the key, and tokens are signed with
       * the key restored in the database. Give all three, or none.
       * @default - none
       */
      signingKey: secretName.optional(),
      signingKeyId: secretName.optional(),
      signingKeyPassphrase: secretName.optional(),
      /** The SMTP password; required when medplum.smtp is set. @default - none */
      smtpPassword: secretName.optional(),
    })
    .default({ databasePassword: "medplum-database-password" }),
});

const apiServer = z.discriminatedUnion("mode", [
  /** Public endpoint limited to these ranges (where Terraform and operators run). */
  z.strictObject({
    mode: z.literal("authorized-ranges"),
    authorizedIpRanges: z
      .array(
        cidr({
          minPrefix: 8,
          hostBits: "AKS requires the first address of an authorized range",
          tooWide:
            "opens the API server to a large part of the internet (0.0.0.0/0 to all of it), which is what the allow-list is there to prevent; list where Terraform and operators run, or use mode private",
        }),
      )
      .min(1, "needs at least one range; an empty list would open the API server to the internet"),
  }),
  /** Private API server; Terraform must then run inside the VNet (or a peered one). */
  z.strictObject({ mode: z.literal("private") }),
]);

const cluster = z.strictObject({
  /**
   * Major.minor only: the patch auto-upgrade channel moves the patch. Keep it inside AKS support (facts/aks-versions.ts):
   * AKS creates no cluster on a version it has retired, and the plan report warns about one past its end of life.
   * @default - AKS's default version
   */
  // AKS versions are major.minor[.patch] (https://learn.microsoft.com/azure/aks/supported-kubernetes-versions).
  kubernetesVersion: z
    .string()
    .regex(/^1\.\d{2}$/, "is not a Kubernetes major.minor version such as 1.31 (patches are applied by the patch auto-upgrade channel)")
    .optional(),
  /** Standard_<family><vCPUs>... (https://learn.microsoft.com/azure/virtual-machines/vm-naming-conventions). */
  nodeVmSize: z.string().regex(/^Standard_[A-Z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$/, "is not a VM size such as Standard_D4ds_v5"),
  /** @default 2 */
  minNodes: z.number().int().min(1).max(100).default(2),
  /** @default 6 */
  maxNodes: z.number().int().min(1).max(1000).default(6),
  /**
   * Availability zones of the node pool; only in a region that has them (facts/azure-regions.ts; asking for zones
   * elsewhere is an error).
   * @default - ["1", "2", "3"] in a region with availability zones, none in one without (the plan report says so)
   */
  zones: z
    .array(z.enum(["1", "2", "3"]))
    .min(1)
    .optional(),
  /** "cilium" uses the Cilium data plane with Azure CNI overlay. @default "cilium" */
  networkPolicy: z.enum(["azure", "calico", "cilium"]).default("cilium"),
  /** Entra ID groups given cluster-admin through Azure RBAC. */
  adminGroupObjectIds: z.array(uuid).min(1, "needs at least one group, or nobody can administer the cluster (local accounts are disabled)"),
  apiServer,
  /**
   * How Terraform's kubernetes provider gets an Entra token through kubelogin (local accounts are disabled):
   * azurecli (az login), spn (AAD_SERVICE_PRINCIPAL_* env), workloadidentity (CI federated token), msi.
   * @default "azurecli"
   */
  kubeloginMode: z.enum(["azurecli", "spn", "workloadidentity", "msi"]).default("azurecli"),
  /** Container Insights (OMS agent) into the recovery Log Analytics workspace. @default true */
  monitoringAgent: z.boolean().default(true),
  /** "Standard" carries the uptime SLA. @default "Standard" */
  skuTier: z.enum(["Free", "Standard", "Premium"]).default("Standard"),
});

const ingressTls = z.discriminatedUnion("mode", [
  /** A Key Vault certificate served by the application routing add-on (kubernetes.azure.com/tls-cert-keyvault-uri). */
  z.strictObject({
    mode: z.literal("key-vault-certificate"),
    certificateUri: keyVaultObjectId("certificates", "https://medplum-dr-kv.vault.azure.net/certificates/api"),
  }),
  /** A cert-manager ClusterIssuer: a Kubernetes object name (https://kubernetes.io/docs/concepts/overview/working-with-objects/names/). */
  z.strictObject({
    mode: z.literal("cert-manager"),
    issuerName: z.string().regex(K8S_DNS_SUBDOMAIN, "is not a Kubernetes object name (lower-case letters, digits, '-' and '.') such as letsencrypt-prod"),
  }),
  z.strictObject({
    mode: z.literal("existing-secret"),
    secretName: z.string().regex(K8S_DNS_SUBDOMAIN, "is not a Kubernetes Secret name (lower-case letters, digits, '-' and '.') such as medplum-api-tls"),
  }),
]);

const ingress = z.strictObject({
  /** @default "webapprouting.kubernetes.azure.com" (the AKS application routing add-on, enabled by the stack) */
  className: z
    .string()
    .regex(K8S_DNS_SUBDOMAIN, "is not an IngressClass name (lower-case letters, digits, '-' and '.')")
    .default("webapprouting.kubernetes.azure.com"),
  /** Namespace of the ingress controller's pods, allowed through the workload's NetworkPolicy. @default "app-routing-system" */
  controllerNamespace: z
    .string()
    .regex(K8S_DNS_LABEL, "is not a Kubernetes namespace name (1-63 lower-case letters, digits and '-')")
    .default("app-routing-system"),
  tls: ingressTls,
});

const dnsRouting = z.discriminatedUnion("mode", [
  /** A record for the api host straight at the ingress address. */
  z.strictObject({ mode: z.literal("cut-over") }),
  /** Traffic Manager, Priority routing with an HTTPS monitor on /healthcheck; the api host becomes a CNAME to it. */
  z.strictObject({
    mode: z.literal("traffic-manager"),
    /** Globally unique <name>.trafficmanager.net: a DNS label (https://learn.microsoft.com/azure/traffic-manager/traffic-manager-overview). */
    profileName: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "is not a Traffic Manager relative DNS name (1-63 lower-case letters, digits and hyphens)"),
    /** The primary environment's public address, priority 1; the recovery endpoint gets priority 2. @default - recovery endpoint only */
    primaryEndpoint: hostname.optional(),
  }),
]);

const dns = z.strictObject({
  zoneName: hostname,
  zoneResourceGroupName: resourceGroupName,
  /** Short, because this record is what a recovery switches; at most 60 (checked). @default 60 */
  ttlSeconds: z.number().int().min(1).default(MAX_CUTOVER_TTL_SECONDS),
  routing: dnsRouting,
  /**
   * The api record already exists in the zone: the primary's, in every real disaster. azurerm refuses to create a
   * record that exists, so the stack adopts it with an import block (an A record for `cut-over`, a CNAME for
   * `traffic-manager`; the existing record must be of that type). Set false only where the record does not exist yet
   * (a first deploy, or a drill into a zone without it): importing a missing record fails the plan.
   * @default true
   */
  adoptExistingRecord: z.boolean().default(true),
});

const alerts = z.strictObject({
  emails: z.array(emailAddress).default([]),
  /**
   * Webhook receivers (pager, chat). The URI is written in clear into the stack and the state, so one that carries a
   * credential (a token, key, signature or password in the query, user:password@, or a Slack/Teams/Discord webhook
   * whose path is the secret) is refused.
   */
  webhooks: z
    .array(
      z.strictObject({
        // Receiver names are free text in Azure (https://learn.microsoft.com/azure/azure-monitor/alerts/action-groups);
        // this project keeps them to plain characters so they read the same in the portal, the plan and alerts.
        name: z.string().regex(/^[A-Za-z0-9 _-]{1,64}$/, "is not a receiver name (1-64 letters, digits, spaces, '_' and '-')"),
        uri: url({
          schemes: ["https:"],
          example: "https://pager.example.com/azure-monitor",
          instead:
            "use an endpoint that authenticates Azure Monitor without a secret in the URL (a secure webhook with Entra ID, or a receiver that allow-lists the ActionGroup service tag), or alert by e-mail",
        }),
      }),
    )
    .default([]),
  /** Log Analytics retention; the HIPAA-aligned policy pack asks for a year. @default 365 */
  logRetentionDays: z.number().int().min(30).max(730).default(365),
});

const storageAccountId = azureResourceId({
  provider: "Microsoft.Storage",
  type: "storageAccounts",
  names: [AZURE_NAMES.storageAccount],
  example: `${SUB}/medplum-prod/providers/Microsoft.Storage/storageAccounts/medplumbinaries`,
});
const keyVaultId = azureResourceId({
  provider: "Microsoft.KeyVault",
  type: "vaults",
  names: [AZURE_NAMES.keyVault],
  example: `${SUB}/medplum-prod/providers/Microsoft.KeyVault/vaults/medplum-prod-kv`,
});

/** The DR tiers, in AWS's vocabulary (https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html). */

/**
 * `targets.azure.standby`: what `standby-azure` prepares in peacetime in the recovery region (docs/standby.md, Azure).
 * What it attaches to on the primary is named here by id; the primary's resources stay owned by whoever built them.
 */
const standby = z.strictObject({
  tier: z.enum(STANDBY_TIERS),
  /** standby-azure's own state, never the recovery's. @default - local, state/standby-azure.tfstate */
  backend: stateBackend.default({ type: "local" }),
  /** The resource group in the recovery region for what standby creates. @default <environment>-standby-rg */
  resourceGroupName: resourceGroupName.optional(),
  database: z.strictObject({
    /** The primary Flexible Server (in primaryRegion), read through a data source; never modified. */
    primaryServerId: flexibleServerId,
    /** The primary's backup retention must be at least this (checked at plan time): the window a geo-restore can pick a time in. @default 7 */
    minimumBackupRetentionDays: z.number().int().min(7, "must be at least 7 (Azure's minimum)").max(35, "must be at most 35 (Azure's maximum)").default(7),
    /** warm-standby: the read replica's name in the recovery region. @default <environment>-pg-replica */
    replicaServerName: z.string().regex(AZURE_NAMES.flexibleServer.pattern, `is not a Flexible Server name (${AZURE_NAMES.flexibleServer.rule})`).optional(),
  }),
  storage: z.strictObject({
    /** The primary's binaries account: object replication copies from it (versioning and change feed must be on there). */
    primaryAccountId: storageAccountId,
    primaryContainerName: blobContainerName,
    /** The replica account standby creates in the recovery region; targets.azure.storage (mode existing) adopts it. */
    replicaAccountName: z.string().regex(AZURE_NAMES.storageAccount.pattern, `is not a storage account name (${AZURE_NAMES.storageAccount.rule})`),
    /** Soft delete of the replica's blobs and containers. @default 30 */
    softDeleteRetentionDays: z.number().int().min(1).max(365).default(30),
  }),
  secrets: z.strictObject({
    /** The vault standby creates in the recovery region; targets.azure.secrets.keyVault (mode existing) adopts it. */
    keyVaultName: z.string().regex(AZURE_NAMES.keyVault.pattern, `is not a Key Vault name (${AZURE_NAMES.keyVault.rule})`),
    /**
     * The primary's vault: each secret targets.azure.secrets.names names is copied from it into the recovery vault.
     * @default - none: the recovery vault is created empty and filled by hand
     */
    primaryKeyVaultId: keyVaultId.optional(),
    /** @default 90 */
    softDeleteRetentionDays: z.number().int().min(7).max(90).default(90),
  }),
  /** pilot-light and warm-standby: the standing VNet (carved like targets.azure.network mode new). */
  network: z
    .strictObject({ cidr: cidr({ minPrefix: 16, maxPrefix: 19, example: "10.50.0.0/16", hostBits: "the subnets are carved from the network address" }) })
    .optional(),
  /** An availability test on https://<api host>/healthcheck from the recovery region, so the outage itself pages. @default true */
  watchPrimary: z.boolean().default(true),
});

export const azureTarget = z.strictObject({
  subscriptionId: uuid,
  tenantId: uuid,
  /** The recovery region, where everything is created. */
  region: azureRegion,
  /** The region that was lost (the source server's region). */
  primaryRegion: azureRegion,
  backend: stateBackend,
  /** @default - a new resource group <environment>-rg */
  resourceGroupName: resourceGroupName.optional(),
  /** Create the resource group, or use one that exists. @default true */
  createResourceGroup: z.boolean().default(true),
  network,
  database,
  cache,
  storage,
  secrets,
  cluster,
  ingress,
  dns,
  alerts,
  /** Peacetime preparation by the standby-azure stack (docs/standby.md). @default - none: no standby-azure stack */
  standby: standby.optional(),
});

export type AzureStandbyConfig = z.infer<typeof standby>;
export type AzureTargetConfig = z.infer<typeof azureTarget>;

const AZ = ["targets", "azure"] as const;

/** Storage replication kinds that spread copies over availability zones. */
export const ZONE_REDUNDANT_STORAGE: readonly string[] = ["ZRS", "GZRS", "RAGZRS"];

export const azureCrossFieldRules: readonly CrossFieldRule[] = [
  {
    description: "The signing key settings come as a set.",
    check: (doc) => {
      const base = [...AZ, "secrets", "names"];
      const given = ["signingKey", "signingKeyId", "signingKeyPassphrase"].filter((key) => doc.has([...base, key]));
      return given.length > 0 && given.length < 3
        ? [
            {
              path: base,
              message: `names ${given.join(", ")} but not all of signingKey, signingKeyId, signingKeyPassphrase; give all three (Medplum needs them together) or none`,
            },
          ]
        : [];
    },
  },
  smtpPasswordRule([...AZ], [...AZ, "secrets", "names", "smtpPassword"], "the recovery vault", "Key Vault secret"),
  {
    description: "Geo-restore and replica promotion recover into another region than the one that was lost.",
    check: (doc) => {
      const region = doc.string([...AZ, "region"]);
      const primary = doc.string([...AZ, "primaryRegion"]);
      const mode = doc.string([...AZ, "database", "restore", "mode"]);
      return region !== undefined && region === primary && mode !== "point-in-time"
        ? [{ path: [...AZ, "region"], message: `is the primary region too; ${mode ?? "a regional recovery"} recovers into a different region than ${primary}` }]
        : [];
    },
  },
  {
    description: "GeoRestore only restores into the source region's geo-backup (paired) region.",
    check: (doc) => {
      if (doc.string([...AZ, "database", "restore", "mode"]) !== "geo-restore") return [];
      const region = doc.string([...AZ, "region"]);
      const primary = doc.string([...AZ, "primaryRegion"]);
      if (region === undefined || primary === undefined) return [];
      const pair = AZURE_GEO_BACKUP_REGION[primary];
      if (pair === undefined) {
        return [
          {
            path: [...AZ, "primaryRegion"],
            message: `is not in the table of supported region pairs (facts/azure-regions.ts, docs/targets/azure.md); add its pair there to geo-restore from it`,
          },
        ];
      }
      return pair !== region
        ? [{ path: [...AZ, "region"], message: `is not where ${primary}'s geo-backups are kept; geo-restore only restores into the paired region ${pair}` }]
        : [];
    },
  },
  {
    description: "Point-in-time restore creates the new server in the source server's region.",
    check: (doc) => {
      if (doc.string([...AZ, "database", "restore", "mode"]) !== "point-in-time") return [];
      const region = doc.string([...AZ, "region"]);
      const primary = doc.string([...AZ, "primaryRegion"]);
      return region !== undefined && primary !== undefined && region !== primary
        ? [
            {
              path: [...AZ, "database", "restore", "mode"],
              message: `restores into the source's region ${primary} only, not ${region}; use "geo-restore" (paired region) or "replica-promotion" for a regional recovery`,
            },
          ]
        : [];
    },
  },
  {
    description: "A promoted replica stays in the VNet it was created in, so the network is that existing one.",
    check: (doc) =>
      doc.string([...AZ, "database", "restore", "mode"]) === "replica-promotion" && doc.string([...AZ, "network", "mode"]) === "new"
        ? [
            {
              path: [...AZ, "network", "mode"],
              message:
                'cannot hold a promoted replica, which keeps the delegated subnet it was created in; use mode "existing" with the replica\'s VNet, subnets and private DNS zones',
            },
          ]
        : [],
  },
  {
    description: "Availability zones are asked for only in a region that has them (the defaults fall back to none there).",
    check: (doc) => {
      const region = doc.string([...AZ, "region"]);
      if (region === undefined || regionFacts(region)?.zones !== false) return [];
      const lacks = `${region} has no availability zones (facts/azure-regions.ts)`;
      const problems: CrossFieldProblem[] = [];
      if (doc.has([...AZ, "cluster", "zones"])) {
        problems.push({
          path: [...AZ, "cluster", "zones"],
          message: `asks for availability zones, but ${lacks}; remove it (the node pool then runs without zones)`,
        });
      }
      if (doc.string([...AZ, "database", "highAvailability"]) === "ZoneRedundant") {
        problems.push({
          path: [...AZ, "database", "highAvailability"],
          message: `needs availability zones, but ${lacks}; use "SameZone" or remove it (the default there)`,
        });
      }
      const replication = doc.string([...AZ, "storage", "replication"]);
      if (doc.string([...AZ, "storage", "mode"]) === "new" && replication !== undefined && ZONE_REDUNDANT_STORAGE.includes(replication)) {
        problems.push({
          path: [...AZ, "storage", "replication"],
          message: `needs availability zones, but ${lacks}; use "GRS" or "RAGRS", or remove it (GRS is the default there)`,
        });
      }
      return problems;
    },
  },
  {
    description: "A restore keeps the source's PostgreSQL major version.",
    check: (doc) => {
      const version = doc.string([...AZ, "database", "version"]);
      const source = doc.string([...AZ, "database", "sourceVersion"]);
      return version !== undefined && source !== undefined && version !== source
        ? [
            {
              path: [...AZ, "database", "version"],
              message: `differs from targets.azure.database.sourceVersion (${source}); a restore or promotion keeps the source's major version, upgrade afterwards`,
            },
          ]
        : [];
    },
  },
  {
    description: "The api record's TTL is short enough for a cut-over.",
    check: (doc) => {
      const ttl = doc.number([...AZ, "dns", "ttlSeconds"]);
      return ttl !== undefined && ttl > MAX_CUTOVER_TTL_SECONDS
        ? [
            {
              path: [...AZ, "dns", "ttlSeconds"],
              message: `is above ${MAX_CUTOVER_TTL_SECONDS}; resolvers would keep sending users to the lost region that long after the switch`,
            },
          ]
        : [];
    },
  },
  {
    description: "The api host is inside the DNS zone the record is written to.",
    check: (doc) => {
      const zone = doc.string([...AZ, "dns", "zoneName"]);
      const api = doc.string(["medplum", "hostnames", "api"]);
      return zone !== undefined && api !== undefined && !api.endsWith(`.${zone}`)
        ? [{ path: [...AZ, "dns", "zoneName"], message: `does not contain medplum.hostnames.api (${api}); name the zone the api record belongs to` }]
        : [];
    },
  },
  {
    description: "The node autoscaling ceiling is not below its floor.",
    check: (doc) => {
      const min = doc.number([...AZ, "cluster", "minNodes"], 2);
      const max = doc.number([...AZ, "cluster", "maxNodes"], 6);
      return min !== undefined && max !== undefined && max < min
        ? [{ path: [...AZ, "cluster", "maxNodes"], message: `is below targets.azure.cluster.minNodes (${min})` }]
        : [];
    },
  },
  {
    description: "The ingress certificate is in the recovery vault, where the ingress add-on's identity is granted access.",
    check: (doc) => {
      const uri = doc.string([...AZ, "ingress", "tls", "certificateUri"]);
      if (doc.string([...AZ, "ingress", "tls", "mode"]) !== "key-vault-certificate" || uri === undefined) return [];
      const vault =
        doc.string([...AZ, "secrets", "keyVault", "mode"]) === "new"
          ? doc.string([...AZ, "secrets", "keyVault", "name"])
          : doc
              .string([...AZ, "secrets", "keyVault", "id"])
              ?.split("/")
              .pop();
      const certificateVault = /^https:\/\/([^.]+)\.vault\.azure\.net\//.exec(uri)?.[1];
      return vault !== undefined && certificateVault !== undefined && certificateVault.toLowerCase() !== vault.toLowerCase()
        ? [
            {
              path: [...AZ, "ingress", "tls", "certificateUri"],
              message: `is not in the recovery vault ${vault}; import the certificate there in peacetime (the primary's vault may be unreachable)`,
            },
          ]
        : [];
    },
  },
  {
    description: "Customer-managed keys with geo-redundant backups need a key and identity in the geo-backup region too.",
    check: (doc): CrossFieldProblem[] => {
      if (!doc.has([...AZ, "database", "customerManagedKey"])) return [];
      const geo = doc.value([...AZ, "database", "geoRedundantBackup"]) !== false;
      const hasGeoKey =
        doc.has([...AZ, "database", "customerManagedKey", "geoBackupKeyVaultKeyId"]) &&
        doc.has([...AZ, "database", "customerManagedKey", "geoBackupIdentityId"]);
      return geo && !hasGeoKey
        ? [
            {
              path: [...AZ, "database", "customerManagedKey"],
              message: "has no geoBackupKeyVaultKeyId/geoBackupIdentityId; Azure needs both for geo-redundant backups with a customer-managed key",
            },
          ]
        : [];
    },
  },
  {
    description: "A pilot-light or warm standby keeps a VNet standing, carved from standby.network.cidr.",
    check: (doc) => {
      const tier = doc.string([...AZ, "standby", "tier"]);
      return keepsStandingInfrastructure(tier) && !doc.has([...AZ, "standby", "network"])
        ? [
            {
              path: [...AZ, "standby", "network"],
              message: `is required by tier ${tier}, which keeps the recovery VNet standing; give { cidr: <a /16-/19 range> }`,
            },
          ]
        : [];
    },
  },
  {
    description: "With a pilot-light or warm standby the recovery adopts the standing VNet instead of creating one.",
    check: (doc) => {
      const tier = doc.string([...AZ, "standby", "tier"]);
      return keepsStandingInfrastructure(tier) && doc.string([...AZ, "network", "mode"]) === "new"
        ? [
            {
              path: [...AZ, "network", "mode"],
              message: `would create a second VNet, but standby tier ${tier} keeps one standing; use mode "existing" with the standby VNet's subnets and private DNS zones (docs/standby.md, Azure)`,
            },
          ]
        : [];
    },
  },
  {
    description: "A warm standby keeps a read replica, which the recovery promotes.",
    check: (doc) => {
      if (doc.string([...AZ, "standby", "tier"]) !== "warm-standby") return [];
      const environment = doc.string(["environment"]);
      const replicaName = doc.string([...AZ, "standby", "database", "replicaServerName"]) ?? `${environment}-pg-replica`;
      const group = doc.string([...AZ, "standby", "resourceGroupName"]) ?? `${environment}-standby-rg`;
      const mode = doc.string([...AZ, "database", "restore", "mode"]);
      if (mode !== "replica-promotion") {
        return [
          {
            path: [...AZ, "database", "restore", "mode"],
            message: `does not promote the replica ${replicaName} standby tier warm-standby keeps for it; use mode "replica-promotion" with replicaServerId in resource group ${group}`,
          },
        ];
      }
      const id = doc.string([...AZ, "database", "restore", "replicaServerId"]);
      const parts = id?.split("/");
      const name = parts?.[parts.length - 1];
      const idGroup = parts?.[4];
      return id !== undefined && (name?.toLowerCase() !== replicaName || idGroup?.toLowerCase() !== group.toLowerCase())
        ? [
            {
              path: [...AZ, "database", "restore", "replicaServerId"],
              message: `names ${idGroup}/${name}, not the replica standby-azure keeps (${group}/${replicaName}); point it at that replica`,
            },
          ]
        : [];
    },
  },
  {
    description: "The recovery never creates the storage account or vault standby-azure creates.",
    check: (doc) => {
      const problems: CrossFieldProblem[] = [];
      const replica = doc.string([...AZ, "standby", "storage", "replicaAccountName"]);
      if (replica !== undefined && doc.string([...AZ, "storage", "mode"]) === "new" && doc.string([...AZ, "storage", "accountName"]) === replica) {
        problems.push({
          path: [...AZ, "storage", "accountName"],
          message: `is targets.azure.standby.storage.replicaAccountName, which standby-azure creates; use mode "existing" with its accountId to adopt the replica`,
        });
      }
      const vault = doc.string([...AZ, "standby", "secrets", "keyVaultName"]);
      if (
        vault !== undefined &&
        doc.string([...AZ, "secrets", "keyVault", "mode"]) === "new" &&
        doc.string([...AZ, "secrets", "keyVault", "name"])?.toLowerCase() === vault.toLowerCase()
      ) {
        problems.push({
          path: [...AZ, "secrets", "keyVault", "name"],
          message: `is targets.azure.standby.secrets.keyVaultName, which standby-azure creates; use mode "existing" with its id to adopt the vault`,
        });
      }
      return problems;
    },
  },
  {
    description: "standby-azure keeps its own state: one shared with recovery-azure would let either apply destroy the other's resources.",
    check: (doc) => {
      if (!doc.has([...AZ, "standby"])) return [];
      const standbyType = doc.string([...AZ, "standby", "backend", "type"]) ?? "local";
      if (standbyType !== doc.string([...AZ, "backend", "type"])) return [];
      const same = (field: string) => doc.string([...AZ, "standby", "backend", field]) === doc.string([...AZ, "backend", field]);
      const shared =
        standbyType === "azurerm"
          ? same("storageAccountName") && same("containerName") && same("key")
          : standbyType === "local" && doc.string([...AZ, "standby", "backend", "path"]) !== undefined && same("path");
      return shared
        ? [
            {
              path: [...AZ, "standby", "backend"],
              message: "is the recovery's state (targets.azure.backend) too; give standby-azure a state of its own (another key or path)",
            },
          ]
        : [];
    },
  },
];
