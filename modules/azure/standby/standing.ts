/**
 * What a pilot-light or warm standby keeps standing in the recovery region, built from the recovery bundle's own
 * constructs so it is what a recovery would have created: the VNet with its subnets and private DNS zones
 * (network.ts, mode new), a Log Analytics workspace, the AKS cluster (cluster.ts), and for warm-standby a cross-region
 * read replica of the primary (`create_mode = "Replica"`, `source_server_id`) in the delegated subnet. The recovery
 * adopts them by name: network mode existing with these subnets, the cluster through a data source, the replica by
 * its replica-promotion mode (an import block, then `replication_role = "None"`).
 */
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { Construct } from "constructs";
import type { AzureTargetConfig } from "../../../config/schema";
import { AksCluster } from "../cluster";
import { RecoveryLogs } from "../monitoring";
import { AzureNetwork } from "../network";
import { FlexibleServer } from "../postgresql-server";
import type { ZonePlan } from "../zones";
import type { AzureStandingInfrastructure } from "./results";

export interface StandbyStandingProps {
  readonly azure: AzureTargetConfig;
  readonly cidr: string;
  readonly namePrefix: string;
  readonly resourceGroupName: string;
  readonly clusterName: string;
  readonly zones: ZonePlan;
  readonly applicationRouting: boolean;
  /** The recovery vault, whose certificate the application routing add-on reads. */
  readonly vaultId: string;
  /** warm-standby: the replica to keep. @default - none (pilot-light) */
  readonly replica?: { readonly name: string; readonly sourceServerId: string };
  readonly tags: Readonly<Record<string, string>>;
}

export class StandbyStanding extends Construct {
  readonly standing: AzureStandingInfrastructure;

  constructor(scope: Construct, id: string, props: StandbyStandingProps) {
    super(scope, id);
    const { azure } = props;
    const location = azure.region;
    const common = { resourceGroupName: props.resourceGroupName, location, tags: props.tags };
    const vnet = new AzureNetwork(this, "vnet", { ...common, network: { mode: "new", cidr: props.cidr }, namePrefix: props.namePrefix });
    const logs = new RecoveryLogs(this, "logs", { ...common, name: `${props.namePrefix}-standby-logs`, retentionDays: azure.alerts.logRetentionDays });
    const keyVaultCertificate = azure.ingress.tls.mode === "key-vault-certificate";
    const aks = new AksCluster(this, "aks", {
      ...common,
      cluster: azure.cluster,
      name: props.clusterName,
      tenantId: azure.tenantId,
      nodeSubnetId: vnet.aksSubnetId,
      nodePoolZones: props.zones.nodePoolZones,
      ...(azure.cluster.monitoringAgent ? { logAnalyticsWorkspaceId: logs.workspace.id } : {}),
      applicationRouting: props.applicationRouting,
      keyVaultSecretsProvider: keyVaultCertificate,
    });
    const adopted = [`VNet ${props.namePrefix}-vnet (subnets, private DNS zones)`, `AKS cluster ${props.clusterName}`];
    if (keyVaultCertificate && props.applicationRouting) {
      // The add-on's identity exists only on this cluster, so the grant the recovery would make is made here.
      new RoleAssignment(this, "ingressCertificate", {
        scope: props.vaultId,
        roleDefinitionName: "Key Vault Certificate User",
        principalId: aks.cluster.webAppRouting.webAppRoutingIdentity.get(0).objectId,
        principalType: "ServicePrincipal",
      });
    }

    if (props.replica === undefined) {
      this.standing = { adopted, logAnalyticsWorkspaceId: logs.workspace.id };
      return;
    }
    const database = azure.database;
    const replica = new FlexibleServer(this, "replica", {
      name: props.replica.name,
      resourceGroupName: props.resourceGroupName,
      location,
      origin: { kind: "replica", sourceServerId: props.replica.sourceServerId },
      version: database.sourceVersion,
      skuName: database.skuName,
      storageMb: database.storageMb,
      delegatedSubnetId: vnet.postgresSubnetId,
      privateDnsZoneId: vnet.privateDnsZoneIds.postgres,
      backupRetentionDays: database.backupRetentionDays,
      // Azure keeps no backups of a read replica, and geo-redundancy is fixed at creation: the promoted server has
      // none (docs/standby.md).
      geoRedundantBackup: false,
      // Read replicas carry no standby of their own.
      highAvailability: "disabled",
      ...(database.customerManagedKey !== undefined ? { customerManagedKey: database.customerManagedKey } : {}),
      deletionProtection: true,
      restoreTimeoutMinutes: database.restoreTimeoutMinutes,
      ...(vnet.privateDnsZoneLinks.postgres !== undefined ? { dependsOn: [vnet.privateDnsZoneLinks.postgres] } : {}),
      tags: props.tags,
    });
    new MonitorDiagnosticSetting(this, "replicaLogs", {
      name: "postgresql-logs",
      targetResourceId: replica.server.id,
      logAnalyticsWorkspaceId: logs.workspace.id,
      enabledLog: [{ category: "PostgreSQLLogs" }],
    });
    this.standing = {
      adopted: [...adopted, `read replica ${props.replica.name}`],
      logAnalyticsWorkspaceId: logs.workspace.id,
      replicaServerId: replica.server.id,
      databaseReplica: { id: replica.server.id, lag: "asynchronous physical replication (seconds to minutes; alerted past the RPO objective)" },
    };
  }
}
