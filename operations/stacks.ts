/** Stack names users type (`--stack recovery-aws`) and the config target each one recovers. */
import type { RecoveryConfig, TargetName } from "../config/schema";
import { STACK_NAMES, TARGET_ORDER } from "../modules/stack-names";

export const STACK_TARGETS: { readonly [stack: string]: TargetName } = Object.fromEntries(TARGET_ORDER.map((target) => [STACK_NAMES[target], target]));

/** The target a stack name recovers, or a one-line reason naming what would be accepted. */
export function targetOfStack(stack: string, config: RecoveryConfig): { target: TargetName } | { problem: string } {
  const configured = Object.entries(STACK_TARGETS)
    .filter(([, target]) => config.targets[target] !== undefined)
    .map(([name]) => name);
  const target = STACK_TARGETS[stack];
  if (target === undefined) return { problem: `--stack: "${stack}" is not a stack name; expected one of ${configured.join(", ")}` };
  if (config.targets[target] === undefined)
    return { problem: `--stack: "${stack}" recovers targets.${target}, which the config does not define; expected one of ${configured.join(", ")}` };
  return { target };
}
