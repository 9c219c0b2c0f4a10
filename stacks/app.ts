/**
 * Builds the cdktf App for a validated config: one RecoveryStack per target present, in a fixed order. Tests and
 * main.ts share this, so what is tested is what ships.
 */
import { App } from "cdktf";
import type { RecoveryConfig } from "../config/schema";
import { TARGET_ORDER, TARGETS } from "../modules/registry";
import { RecoveryStack } from "./recovery-stack";

export function buildRecoveryApp(config: RecoveryConfig, outdir: string): { app: App; stacks: RecoveryStack[] } {
  const app = new App({ outdir, skipValidation: false });
  const stacks: RecoveryStack[] = [];
  for (const target of TARGET_ORDER) {
    if (config.targets[target] === undefined) continue;
    const registration = TARGETS[target];
    stacks.push(new RecoveryStack(app, registration.stackName, { config, bundle: registration.createBundle(config) }));
  }
  return { app, stacks };
}
