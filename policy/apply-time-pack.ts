/**
 * The apply-time rule set: constraints a real `terraform plan`/`apply` (the provider's validation, its CustomizeDiff,
 * the cloud API) would enforce, encoded for the stacks whose provider cannot run on the build machines (google,
 * azurerm, kubernetes; the aws ones back up the offline plan). Each rule lives in policy/apply-time/, cites the source
 * it was read from, and has compliant and non-compliant fixtures. Errors block the synth like policy errors. The
 * entries map to no HIPAA control: they keep the recovery from failing half-way or replacing what it restored.
 */
import { AksVersionSupported } from "./apply-time/aks-version-supported";
import { AutopilotConflictingFields } from "./apply-time/autopilot-conflicting-fields";
import { AwsReplicaPromotionImported } from "./apply-time/aws-replica-promotion-imported";
import { AwsRestoreSourceInRegion } from "./apply-time/aws-restore-source-in-region";
import { CloudSqlBackupSourceNamed } from "./apply-time/cloud-sql-backup-source-named";
import { CloudSqlCloneSourceInProject } from "./apply-time/cloud-sql-clone-source-in-project";
import { CloudSqlPromotionNotIgnored } from "./apply-time/cloud-sql-promotion-not-ignored";
import { DnsRecordAdopted } from "./apply-time/dns-record-adopted";
import { FlexibleServerGeoRestoreTarget } from "./apply-time/flexible-server-geo-restore-target";
import { FlexibleServerPromotionImported } from "./apply-time/flexible-server-promotion-imported";
import { FlexibleServerPromotionPairing } from "./apply-time/flexible-server-promotion-pairing";
import { FlexibleServerRestoreInputs } from "./apply-time/flexible-server-restore-inputs";
import { FlexibleServerSkuName } from "./apply-time/flexible-server-sku-name";
import { FlexibleServerStorageSize } from "./apply-time/flexible-server-storage-size";
import { ManagedRedisSkuName } from "./apply-time/managed-redis-sku-name";
import { RestoredDatabaseForceNewIgnored } from "./apply-time/restored-database-force-new-ignored";
import { ZonesInZoneRegions } from "./apply-time/zones-in-zone-regions";
import type { PackEntry, PolicyRule } from "./types";

const applyTime = (rule: PolicyRule): PackEntry => ({ rule, controls: [], equivalents: [], ruleSet: "apply-time" });

export const APPLY_TIME_PACK: readonly PackEntry[] = [
  // Restored databases: never replaced, restored from where the API can read
  applyTime(RestoredDatabaseForceNewIgnored),
  applyTime(AwsRestoreSourceInRegion),
  applyTime(AwsReplicaPromotionImported),
  applyTime(CloudSqlBackupSourceNamed),
  applyTime(CloudSqlCloneSourceInProject),
  applyTime(CloudSqlPromotionNotIgnored),
  applyTime(FlexibleServerRestoreInputs),
  applyTime(FlexibleServerGeoRestoreTarget),
  applyTime(FlexibleServerPromotionPairing),
  applyTime(FlexibleServerPromotionImported),
  applyTime(FlexibleServerSkuName),
  applyTime(FlexibleServerStorageSize),
  // Regions, clusters, caches, DNS
  applyTime(ZonesInZoneRegions),
  applyTime(AutopilotConflictingFields),
  applyTime(AksVersionSupported),
  applyTime(ManagedRedisSkuName),
  applyTime(DnsRecordAdopted),
];
