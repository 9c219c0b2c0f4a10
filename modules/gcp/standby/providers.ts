/**
 * standby-gcp's providers: one per side, both aliased, so every resource names the project and region it lands in and
 * nothing lands anywhere by default. `primary` reads and attaches to the primary's resources (its project and
 * region); `recovery` creates what the recovery adopts, in `targets.gcp.project` and `region`.
 */
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import type { TerraformStack } from "cdktf";
import type { GcpTargetConfig, RecoveryConfig } from "../../../config/schema";
import { configureStateBackend } from "../../../providers/backend";
import { recoveryTags } from "../../../config/naming";

export type GcpStandbyConfig = NonNullable<GcpTargetConfig["standby"]>;

export interface GcpStandbyProviders {
  readonly primary: GoogleProvider;
  readonly recovery: GoogleProvider;
}

export function configureGcpStandbyProviders(
  stack: TerraformStack,
  stackName: string,
  config: RecoveryConfig,
  gcp: GcpTargetConfig,
  standby: GcpStandbyConfig,
): GcpStandbyProviders {
  configureStateBackend(stack, stackName, standby.backend);
  const defaultLabels = { ...recoveryTags(config), purpose: "disaster-recovery-standby" };
  return {
    primary: new GoogleProvider(stack, "primary", { alias: "primary", project: standby.primary.project, region: gcp.primaryRegion, defaultLabels }),
    recovery: new GoogleProvider(stack, "recovery", { alias: "recovery", project: gcp.project, region: gcp.region, defaultLabels }),
  };
}
