/**
 * standby-gcp test configs and synthesis: the example config with only the GCP target, a standby section per tier, and
 * the recovery config each tier asks for (the replica bucket adopted, and for pilot-light and warm-standby the VPC
 * adopted by name, for warm-standby the replica promoted). Synthesis goes through `synthesize`, which runs the policy
 * pack and the apply-time rules on every stack, exactly as `npm run synth` does.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RecoveryConfig } from "../../../config/schema";
import { gcpStandingNames } from "../../../modules/gcp/standing-names";
import { synthesize } from "../../../synth/synthesize";
import { gcpConfig } from "../../gcp/support";
import { stackJson, type StackJson } from "../../support/stack-json";

export type Tier = "backup-restore" | "pilot-light" | "warm-standby";
export type { Resource } from "../../support/stack-json";
export type SynthesizedStack = StackJson;

export const PRIMARY = { project: "acme-medplum-dr", databaseInstance: "medplum-prod", bucketName: "medplum-binaries-use1" } as const;
export const REPLICA_BUCKET = "medplum-binaries-usw1";
export const REPLICA_INSTANCE = "medplum-prod-replica-usw1";
export const STANDBY_NETWORK = { subnetCidr: "10.50.0.0/20", podsCidr: "10.52.0.0/17", servicesCidr: "10.54.0.0/20" } as const;

/** targets.gcp.network naming what standby-gcp keeps standing for the example's environment. */
export function adoptedNetwork(environment = "medplum-dr"): Record<string, unknown> {
  const names = gcpStandingNames(environment);
  return {
    mode: "existing",
    networkName: names.network,
    subnetworkName: names.subnetwork,
    podsRangeName: names.podsRange,
    servicesRangeName: names.servicesRange,
    privateServicesRangeName: names.privateServicesRange,
    createNat: false,
  };
}

/** The example's GCP target with a standby section of `tier` and the recovery settings that tier asks for; then `edit`. */
export function gcpStandbyDocument(tier: Tier, edit: (doc: any) => void = () => undefined): (doc: any) => void {
  return (doc) => {
    const gcp = doc.targets.gcp;
    gcp.storage = { mode: "existing", bucketName: REPLICA_BUCKET };
    gcp.standby = { tier, primary: { ...PRIMARY }, binaries: { replicaBucketName: REPLICA_BUCKET } };
    if (tier !== "backup-restore") {
      gcp.standby.network = { ...STANDBY_NETWORK };
      gcp.network = adoptedNetwork();
    }
    if (tier === "warm-standby")
      gcp.database.restore = { mode: "replica-promotion", replicaInstance: REPLICA_INSTANCE, primaryInstance: PRIMARY.databaseInstance };
    edit(doc);
  };
}

export function gcpStandbyConfig(tier: Tier, edit: (doc: any) => void = () => undefined): RecoveryConfig {
  return gcpConfig(gcpStandbyDocument(tier, edit));
}

export interface SynthesizedGcpStandby {
  readonly stacks: readonly string[];
  /** The synth's policy summary (policy pack and apply-time rules, every stack). */
  readonly policy: string;
  readonly standby: SynthesizedStack;
  readonly recovery: SynthesizedStack;
}

/** Synthesizes the app for a config as `npm run synth` does; fails with the synth's reason when it refuses. */
export function synthGcpStandby(config: RecoveryConfig): SynthesizedGcpStandby {
  const parent = mkdtempSync(join(tmpdir(), "medplum-dr-standby-gcp-"));
  try {
    const outdir = join(parent, "cdktf.out");
    const outcome = synthesize({ config, outdir, fromCli: false });
    if (outcome.status !== "written") throw new Error(`synth refused: ${outcome.reason}\n${outcome.policy ?? ""}`);
    const read = (stack: string) => stackJson(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
    return { stacks: outcome.stacks, policy: outcome.policy, standby: read("standby-gcp"), recovery: read("recovery-gcp") };
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
}

/** `${type.id.attribute}` */
export const ref = (type: string, id: string, attribute: string): string => `\${${type}.${id}.${attribute}}`;
