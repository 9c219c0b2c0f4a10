/**
 * Stack names users type (`--stack recovery-aws`) and the config target each one recovers. modules/registry.ts is where
 * stacks are defined; it imports every cloud bundle (seconds of provider bindings), which an API check must not pay for,
 * so the names are repeated here and test/operations/stacks.test.ts keeps the two equal.
 */
import type { RecoveryConfig, TargetName } from "../config/schema";

export const STACK_TARGETS: { readonly [stack: string]: TargetName } = {
  "recovery-aws": "aws",
  "recovery-gcp": "gcp",
  "recovery-azure": "azure",
  "recovery-k8s": "kubernetes",
};

/** The target a stack name recovers, or a one-line reason naming what would be accepted. */
export function targetOfStack(stack: string, config: RecoveryConfig): { target: TargetName } | { problem: string } {
  const configured = Object.entries(STACK_TARGETS).filter(([, target]) => config.targets[target] !== undefined).map(([name]) => name);
  const target = STACK_TARGETS[stack];
  if (target === undefined) return { problem: `--stack: "${stack}" is not a stack name; expected one of ${configured.join(", ")}` };
  if (config.targets[target] === undefined) return { problem: `--stack: "${stack}" recovers targets.${target}, which the config does not define; expected one of ${configured.join(", ")}` };
  return { target };
}
