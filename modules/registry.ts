/**
 * The cloud bundles, one per config target. Adding a target to the config schema without adding it here fails to
 * compile, so a target can never be silently skipped.
 */
import type { TargetName } from "../config/schema";
import type { RecoveryBundleFactory } from "./contracts";
import { createAwsBundle } from "./aws";
import { createAzureBundle } from "./azure";
import { createGcpBundle } from "./gcp";
import { createKubernetesBundle } from "./kubernetes/target";
import { STACK_NAMES } from "./stack-names";

export { TARGET_ORDER } from "./stack-names";

export interface TargetRegistration {
  /** The stack name users pass to `cdktf deploy`. */
  readonly stackName: string;
  readonly createBundle: RecoveryBundleFactory;
}

export const TARGETS: { readonly [T in TargetName]: TargetRegistration } = {
  aws: { stackName: STACK_NAMES.aws, createBundle: createAwsBundle },
  gcp: { stackName: STACK_NAMES.gcp, createBundle: createGcpBundle },
  kubernetes: { stackName: STACK_NAMES.kubernetes, createBundle: createKubernetesBundle },
  azure: { stackName: STACK_NAMES.azure, createBundle: createAzureBundle },
};
