/**
 * Builds the cdktf App for a validated config: one RecoveryStack per target present, in a fixed order. Tests and
 * main.ts share this, so what is tested is what ships.
 */
import { App } from "cdktf";
import { ValidateProviderPresence } from "cdktf/lib/validations/validate-provider-presence";
import type { RecoveryConfig } from "../config/schema";
import { TARGET_ORDER, TARGETS } from "../modules/registry";
import { RecoveryStack } from "./recovery-stack";

export function buildRecoveryApp(config: RecoveryConfig, outdir: string): { app: App; stacks: RecoveryStack[] } {
  // cdktf's own validation pass also shells out to `terraform version` once per import block (GCP and Azure adopt
  // resources), so synth would fail on a machine without Terraform, such as a CI job that only synthesizes for review,
  // and pay ~100 ms. Writing JSON needs no Terraform; the one cdktf check that matters here runs in validateRecoveryApp.
  const app = new App({ outdir, skipValidation: true });
  const stacks: RecoveryStack[] = [];
  for (const target of TARGET_ORDER) {
    if (config.targets[target] === undefined) continue;
    const registration = TARGETS[target];
    stacks.push(new RecoveryStack(app, registration.stackName, { config, bundle: registration.createBundle(config) }));
  }
  return { app, stacks };
}

/** cdktf's check that every resource's provider is declared in its stack; the error lines name the stack. */
export function validateRecoveryApp(stacks: readonly RecoveryStack[]): string[] {
  return stacks.flatMap((stack) => new ValidateProviderPresence(stack).validate().map((line) => `[${stack.node.id}] ${line}`));
}
