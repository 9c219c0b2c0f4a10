/**
 * What pilot-light and warm-standby keep standing in the recovery region for recovery-gcp to adopt by name
 * (modules/gcp/standing-names.ts): the recovery VPC with private services access and Cloud NAT, and the private GKE
 * Autopilot cluster, built by the same constructs the recovery uses (network.ts, cluster.ts), so what stands is what the
 * recovery would have created. warm-standby adds a cross-region Cloud SQL read replica of the primary in that VPC,
 * which the recovery promotes (database.restore.mode replica-promotion, the same instance name).
 *
 * ForceNew inputs of the replica (google provider 6.50.0, google/services/sql/resource_sql_database_instance.go):
 * `name`, `region`, `project`, `master_instance_name`, `encryption_key_name`, `settings.disk_type`, and a smaller
 * `settings.disk_size`. Name and master come from config fields a routine change does not touch; the disk size is
 * ignored after creation (autoresize grows it), as on the recovered instance. Tier, edition, flags and availability
 * change in place.
 */
import type { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { SqlDatabaseInstance } from "@cdktf/provider-google/lib/sql-database-instance";
import { Construct } from "constructs";
import type { GcpTargetConfig } from "../../../config/schema";
import { suppressPolicy } from "../../../policy";
import type { StandingInfrastructure } from "../../standby-contracts";
import { FORCE_NEW_SETTINGS, MEDPLUM_DATABASE_FLAGS, SERVER_CA_MODE } from "../cloud-sql-instance";
import { GcpCluster } from "../cluster";
import { usesGateway } from "../gateway";
import { GcpRecoveryNetwork } from "../network";
import { gcpStandingNames } from "../standing-names";
import type { GcpStandbyConfig } from "./providers";

export interface StandbyStandingProps {
  readonly recovery: GoogleProvider;
  readonly gcp: GcpTargetConfig;
  readonly standby: GcpStandbyConfig;
  readonly namePrefix: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The recovery promotes this instance (database.restore.replicaInstance); warm-standby only. */
  readonly replicaName?: string;
}

/** What the watches need beyond the contract: the replica's `database_id`. */
export interface GcpStandingInfrastructure extends StandingInfrastructure {
  readonly replicaDatabaseId?: string;
}

export class StandbyStanding extends Construct {
  readonly replica?: SqlDatabaseInstance;
  readonly standing: GcpStandingInfrastructure;

  constructor(scope: Construct, id: string, props: StandbyStandingProps) {
    super(scope, id);
    const { gcp, standby, recovery, namePrefix, labels } = props;
    const names = gcpStandingNames(namePrefix);
    if (standby.network === undefined) throw new Error(`targets.gcp.standby.network: (not set) is required for tier ${standby.tier}`);

    const network = new GcpRecoveryNetwork(this, "vpc", {
      provider: recovery,
      project: gcp.project,
      region: gcp.region,
      namePrefix,
      network: { mode: "new", ...standby.network },
      labels,
    }).value;
    new GcpCluster(this, "gke", {
      provider: recovery,
      project: gcp.project,
      region: gcp.region,
      name: names.cluster,
      cluster: gcp.cluster,
      network,
      labels,
      gatewayApi: usesGateway(gcp),
    });
    const adopted = [
      `VPC ${names.network} (subnet ${names.subnetwork}, ranges ${names.podsRange} and ${names.servicesRange})`,
      `private services access range ${names.privateServicesRange}`,
      `Cloud NAT ${names.nat}`,
      `GKE Autopilot cluster ${names.cluster}`,
    ];
    if (standby.tier !== "warm-standby" || props.replicaName === undefined) {
      this.standing = { adopted };
      return;
    }

    const { database } = gcp;
    this.replica = new SqlDatabaseInstance(this, "replica", {
      provider: recovery,
      project: gcp.project,
      region: gcp.region,
      name: props.replicaName,
      masterInstanceName: standby.primary.databaseInstance,
      instanceType: "READ_REPLICA_INSTANCE",
      databaseVersion: database.databaseVersion,
      ...(database.kmsKeyName !== undefined ? { encryptionKeyName: database.kmsKeyName } : {}),
      deletionProtection: database.deletionProtection,
      settings: {
        // The size the recovery runs on once promoted, so the promotion changes no machine.
        tier: database.tier,
        edition: database.edition,
        availabilityType: database.availabilityType,
        diskType: "PD_SSD",
        diskSize: database.diskSizeGiB,
        diskAutoresize: true,
        deletionProtectionEnabled: database.deletionProtection,
        userLabels: { ...labels },
        ipConfiguration: {
          ipv4Enabled: false,
          privateNetwork: network.networkId,
          allocatedIpRange: network.privateServicesRangeName,
          sslMode: "ENCRYPTED_ONLY",
          serverCaMode: SERVER_CA_MODE,
        },
        databaseFlags: MEDPLUM_DATABASE_FLAGS.map((flag) => ({ ...flag })),
      },
      timeouts: { create: "120m", update: "90m" },
      dependsOn: [...network.privateServicesReady],
      lifecycle: {
        // Once recovery-gcp has promoted the replica, it is a stand-alone instance: a later standby plan must neither
        // replace it (master_instance_name is ForceNewIf) nor try to turn it back into a replica (instance_type).
        // Both are read at creation only; the runbook then removes the instance from standby-gcp's state.
        ignoreChanges: ["master_instance_name", "instance_type", ...FORCE_NEW_SETTINGS],
        ...(database.deletionProtection ? { preventDestroy: true } : {}),
      },
    });
    suppressPolicy(
      this.replica,
      "DatabaseBackupsAndPitr",
      "a Cloud SQL read replica takes no automated backups (the primary's are checked in recoveryPoints); recovery-gcp turns backups and point-in-time recovery on when it promotes the replica",
    );
    this.standing = {
      adopted: [...adopted, `Cloud SQL read replica ${props.replicaName} of ${standby.primary.databaseInstance}`],
      databaseReplica: {
        id: `${gcp.project}:${props.replicaName}`,
        lag: "Cloud SQL asynchronous replication (seconds to minutes; alert past objectives.rpoMinutes)",
      },
      replicaDatabaseId: `${gcp.project}:${this.replica.name}`,
    };
  }
}
