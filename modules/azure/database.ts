/**
 * Where the Azure database restore is decided. From `targets.azure.database.restore.mode`:
 *   - `geo-restore`: create_mode GeoRestore from the source's geo-redundant backup, into the paired region;
 *   - `point-in-time`: create_mode PointInTimeRestore, a new server in the source's region;
 *   - `replica-promotion`: the cross-region read replica kept in the recovery region, imported and promoted.
 * Either way the result is one private Flexible Server with Medplum's parameters (server-parameters.ts).
 */
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { AzureTargetConfig } from "../../config/schema";
import type { RestoredDatabase, RestoreProvenance, SecretReference } from "../contracts";
import { FlexibleServer, type ServerOrigin } from "./postgresql-server";
import { parseResourceId } from "./resource-id";
import { ServerParameters } from "./server-parameters";
import type { HighAvailabilityMode } from "./zones";

export const POSTGRES_PORT = 5432;

export interface AzureDatabaseProps {
  readonly database: AzureTargetConfig["database"];
  readonly region: string;
  /** The recovery resource group; a promoted replica stays in its own. */
  readonly resourceGroupName: string;
  readonly namePrefix: string;
  readonly delegatedSubnetId: string;
  readonly privateDnsZoneId: string;
  /** The private DNS zone's link to the VNet, when this stack creates it; the server is created after it. */
  readonly privateDnsZoneLink?: ITerraformDependable;
  /** The standby mode, decided for the recovery region by zones.ts. */
  readonly highAvailability: HighAvailabilityMode;
  /** Where the application role's password lives (the recovery Key Vault). */
  readonly password: SecretReference;
  readonly tags: Readonly<Record<string, string>>;
}

export function serverOrigin(restore: AzureTargetConfig["database"]["restore"]): ServerOrigin {
  switch (restore.mode) {
    case "geo-restore":
    case "point-in-time":
      return { kind: restore.mode, sourceServerId: restore.sourceServerId, time: restore.time };
    case "replica-promotion":
      return { kind: "replica-promotion", replicaServerId: restore.replicaServerId, sourceServerId: restore.sourceServerId };
  }
}

export function restoreProvenance(restore: AzureTargetConfig["database"]["restore"]): RestoreProvenance {
  switch (restore.mode) {
    case "geo-restore":
    case "point-in-time":
      return { mode: restore.mode, source: restore.sourceServerId, point: restore.time };
    case "replica-promotion":
      return { mode: restore.mode, source: restore.replicaServerId, point: "the replica's last replayed transaction at promotion" };
  }
}

export class AzureDatabase extends Construct {
  readonly flexibleServer: FlexibleServer;
  /** Medplum's server parameters; the servers start only after they are set. */
  readonly parameters: ServerParameters;
  readonly restored: RestoredDatabase;

  constructor(scope: Construct, id: string, props: AzureDatabaseProps) {
    super(scope, id);
    const { database } = props;
    const origin = serverOrigin(database.restore);
    // An adopted replica keeps its name and resource group: both force a new server.
    const replica = origin.kind === "replica-promotion" ? parseResourceId(origin.replicaServerId) : undefined;

    this.flexibleServer = new FlexibleServer(this, "flexible", {
      name: replica?.name ?? database.serverName ?? `${props.namePrefix}-pg`,
      resourceGroupName: replica?.resourceGroupName ?? props.resourceGroupName,
      location: props.region,
      origin,
      version: database.version,
      skuName: database.skuName,
      storageMb: database.storageMb,
      delegatedSubnetId: props.delegatedSubnetId,
      privateDnsZoneId: props.privateDnsZoneId,
      backupRetentionDays: database.backupRetentionDays,
      geoRedundantBackup: database.geoRedundantBackup,
      highAvailability: props.highAvailability,
      ...(database.customerManagedKey !== undefined ? { customerManagedKey: database.customerManagedKey } : {}),
      deletionProtection: database.deletionProtection,
      restoreTimeoutMinutes: database.restoreTimeoutMinutes,
      ...(props.privateDnsZoneLink !== undefined ? { dependsOn: [props.privateDnsZoneLink] } : {}),
      tags: props.tags,
    });
    const server = this.flexibleServer.server;
    this.parameters = new ServerParameters(this, "parameters", { serverId: server.id });

    this.restored = {
      engine: `azure-postgresql-flexible ${database.version}`,
      resourceId: server.id,
      host: server.fqdn,
      port: POSTGRES_PORT,
      databaseName: database.databaseName,
      username: database.applicationUser,
      password: props.password,
      restore: restoreProvenance(database.restore),
    };
  }
}
