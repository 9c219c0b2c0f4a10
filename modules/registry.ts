/**
 * The cloud bundles, one per config target. Adding a target to the config schema without adding it here fails to
 * compile, so a target can never be silently skipped.
 */
import type { TargetName } from "../config/schema";
import type { RecoveryBundleFactory } from "./contracts";
import { createAwsBundle } from "./aws";
import { createGcpBundle } from "./gcp";
import { createKubernetesBundle } from "./kubernetes/target";

export interface TargetRegistration {
  /** The stack name users pass to `cdktf deploy`. */
  readonly stackName: string;
  readonly createBundle: RecoveryBundleFactory;
}

export const TARGETS: { readonly [T in TargetName]: TargetRegistration } = {
  aws: { stackName: "recovery-aws", createBundle: createAwsBundle },
  gcp: { stackName: "recovery-gcp", createBundle: createGcpBundle },
  kubernetes: { stackName: "recovery-k8s", createBundle: createKubernetesBundle },
};

/** Targets in a fixed order, so stacks (and their output) come out in the same order on every synth. */
export const TARGET_ORDER: readonly TargetName[] = (["aws", "gcp", "azure", "kubernetes"] as const).filter(
  (name): name is TargetName => name in TARGETS,
);
