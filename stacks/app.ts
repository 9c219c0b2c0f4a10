/**
 * Builds the cdktf App for a validated config: one RecoveryStack per target present, then one StandbyStack per target
 * whose config has a `standby` section, each in a fixed order. Tests and main.ts share this, so what is tested is what
 * ships (the synth's policy pass covers every stack returned here).
 */
import { App } from "cdktf";
import { ValidateProviderPresence } from "cdktf/lib/validations/validate-provider-presence";
import type { RecoveryConfig, TargetName } from "../config/schema";
import { createAwsStandbyBundle } from "../modules/aws/standby";
import { createGcpStandbyBundle } from "../modules/gcp/standby";
import { createAzureStandbyBundle } from "../modules/azure/standby";
import { TARGET_ORDER, TARGETS } from "../modules/registry";
import type { StandbyBundleFactory } from "../modules/standby-contracts";
import { STANDBY_STACK_NAMES } from "../modules/stack-names";
import { createKubernetesStandbyBundle } from "../modules/kubernetes/standby/bundle";
import { RecoveryStack } from "./recovery-stack";
import { StandbyStack } from "./standby-stack";

/** The standby bundles; a target missing here has no standby section in its schema either. */
const STANDBY_BUNDLES: { readonly [T in TargetName]?: StandbyBundleFactory } = {
  aws: createAwsStandbyBundle,
  gcp: createGcpStandbyBundle,
  azure: createAzureStandbyBundle,
  kubernetes: createKubernetesStandbyBundle,
};

export type MedplumDrStack = RecoveryStack | StandbyStack;

export function buildRecoveryApp(config: RecoveryConfig, outdir: string): { app: App; stacks: MedplumDrStack[] } {
  // cdktf's own validation pass also shells out to `terraform version` once per import block (GCP and Azure adopt
  // resources), so synth would fail on a machine without Terraform, such as a CI job that only synthesizes for review,
  // and pay ~100 ms. Writing JSON needs no Terraform; the one cdktf check that matters here runs in validateRecoveryApp.
  const app = new App({ outdir, skipValidation: true });
  const stacks: MedplumDrStack[] = [];
  for (const target of TARGET_ORDER) {
    if (config.targets[target] === undefined) continue;
    const registration = TARGETS[target];
    stacks.push(new RecoveryStack(app, registration.stackName, { config, bundle: registration.createBundle(config) }));
  }
  for (const target of TARGET_ORDER) {
    const section = config.targets[target] as { readonly standby?: unknown } | undefined;
    if (section?.standby === undefined) continue;
    const stackName = STANDBY_STACK_NAMES[target];
    const createBundle = STANDBY_BUNDLES[target];
    if (stackName === undefined || createBundle === undefined) {
      throw new Error(`targets.${target}.standby: is set, but no standby stack is built for ${target} yet; remove the section`);
    }
    stacks.push(new StandbyStack(app, stackName, { bundle: createBundle(config) }));
  }
  return { app, stacks };
}

/** cdktf's check that every resource's provider is declared in its stack; the error lines name the stack. */
export function validateRecoveryApp(stacks: readonly MedplumDrStack[]): string[] {
  return stacks.flatMap((stack) => new ValidateProviderPresence(stack).validate().map((line) => `[${stack.node.id}] ${line}`));
}
