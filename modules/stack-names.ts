/**
 * The stack name of each config target: what users pass to `cdktf deploy` and `--stack`, and the Terraform state's
 * identity (renaming one strands its state). Kept apart from modules/registry.ts, which imports every cloud bundle and
 * its provider bindings, so the report and the operations commands can name stacks without loading them.
 */
import type { TargetName } from "../config/schema";

export const STACK_NAMES: { readonly [T in TargetName]: string } = {
  aws: "recovery-aws",
  gcp: "recovery-gcp",
  kubernetes: "recovery-k8s",
  azure: "recovery-azure",
};

/**
 * The peacetime standby stack of each target whose config has a `standby` section (docs/standby.md). Only the targets
 * with a standby bundle are named; the recovery stack names above stay as they are.
 */
export const STANDBY_STACK_NAMES: { readonly [T in TargetName]?: string } = {
  aws: "standby-aws",
  gcp: "standby-gcp",
  azure: "standby-azure",
  kubernetes: "standby-k8s",
};

/** Targets in a fixed order, so stacks (and their output) come out in the same order on every synth. */
export const TARGET_ORDER: readonly TargetName[] = (["aws", "gcp", "azure", "kubernetes"] as const).filter((name): name is TargetName => name in STACK_NAMES);

/** The target a stack name belongs to, if any. */
export function targetOfStackName(stack: string): TargetName | undefined {
  return TARGET_ORDER.find((target) => STACK_NAMES[target] === stack);
}
