/** Shared helpers for the GCP tests: the example config (optionally edited), a synthesized recovery-gcp stack, lookups. */
import { App, Testing } from "cdktf";
import type { Construct } from "constructs";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { parseRecoveryConfig, RecoveryConfigError } from "../../config/load";
import type { RecoveryConfig } from "../../config/schema";
import { createGcpBundle } from "../../modules/gcp";
import { evaluateStackJson } from "../../policy";
import type { GcpNetwork } from "../../modules/gcp/network";
import { RecoveryStack } from "../../stacks/recovery-stack";
import { exampleYamlDocument, synthesizedOnce, validatedConfig, withoutStandby } from "../support/config";

export { withoutStandby };

export const EXAMPLE = readFileSync(join(__dirname, "../../config/example.yaml"), "utf8");

/** The example config as YAML, changed by `edit` (which gets the plain document). */
export function exampleYaml(edit: (doc: any) => void = () => undefined): string {
  const doc = exampleYamlDocument();
  edit(doc);
  return stringify(doc);
}

/** The example config with only the GCP target, without its standby (test/support/config.ts, withoutStandby), changed by `edit`, validated. */
export function gcpConfig(edit: (doc: any) => void = () => undefined): RecoveryConfig {
  const doc: any = exampleYamlDocument();
  doc.targets = { gcp: doc.targets.gcp };
  withoutStandby(doc);
  edit(doc);
  return validatedConfig(doc, "test.yaml");
}

/** Every problem the loader reports for a config, one line each. */
export function problemsOf(text: string): string[] {
  try {
    parseRecoveryConfig(text, "test.yaml");
  } catch (error) {
    if (error instanceof RecoveryConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

export interface Synthesized {
  readonly json: any;
  /** Bodies of every resource of a type, in address order. */
  resources(type: string): any[];
  /** The one resource of a type; fails when there is not exactly one. */
  resource(type: string): any;
  data(type: string): any[];
  /** Terraform addresses (`type.name`) of every resource of a type. */
  addresses(type: string): string[];
}

export function synthesized(text: string): Synthesized {
  const json = JSON.parse(text);
  const entries = (block: string, type: string): Array<[string, any]> => Object.entries(json[block]?.[type] ?? {});
  return {
    json,
    resources: (type) => entries("resource", type).map(([, body]) => body),
    resource: (type) => {
      const all = entries("resource", type);
      if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
      return all[0]![1];
    },
    data: (type) => entries("data", type).map(([, body]) => body),
    addresses: (type) => entries("resource", type).map(([name]) => `${type}.${name}`),
  };
}

/**
 * Synthesizes the whole recovery-gcp stack for a config; a config synthesized before in the worker gives the first
 * synth's text again (test/support/config.ts, synthesizedOnce), `fresh` synthesizes anew.
 */
export function synthGcpStack(config: RecoveryConfig = gcpConfig(), options: { fresh?: boolean } = {}): Synthesized {
  return synthesized(
    synthesizedOnce(
      config,
      "recovery-gcp",
      () => Testing.synth(new RecoveryStack(new App({ outdir: "unused", skipValidation: true }), "recovery-gcp", { config, bundle: createGcpBundle(config) })),
      options.fresh,
    ),
  );
}

/** The policy pack's unsuppressed errors on a synthesized stack, one line each (what blocks `npm run synth`). */
export function policyErrorsOf(stack: Synthesized): string[] {
  return evaluateStackJson(stack.json, "recovery-gcp", { suppressions: [] })
    .findings.filter((finding) => finding.severity === "error" && finding.suppressedBecause === undefined)
    .map((finding) => `${finding.ruleId} at ${finding.path}: ${finding.message}`);
}

/** A whole-string Terraform reference to a Secret Manager version's value. */
export const SECRET_DATA_REFERENCE = /^\$\{data\.google_secret_manager_secret_version\.[A-Za-z0-9_]+\.secret_data\}$/;

/** Synthesizes whatever `build` adds to a fresh stack scope: one module in isolation. */
export function synthModule(build: (scope: Construct) => void): Synthesized {
  return synthesized(Testing.synthScope(build));
}

/**
 * `targets.gcp.network` naming an existing VPC with its private services range: what a clone or a replica promotion
 * needs (they stay in their source's VPC).
 */
export const SOURCE_VPC_CONFIG = {
  mode: "existing",
  networkName: "prod",
  subnetworkName: "prod-gke",
  podsRangeName: "pods",
  servicesRangeName: "services",
  privateServicesRangeName: "prod-private-services",
  createNat: false,
} as const;

/** A network as an existing-VPC recovery would hand the other modules (no Terraform resources behind it). */
export const EXISTING_NETWORK: GcpNetwork = {
  networkId: "projects/acme-medplum-dr/global/networks/dr",
  subnetworkId: "projects/acme-medplum-dr/regions/us-west1/subnetworks/dr-gke",
  podsRangeName: "pods",
  servicesRangeName: "services",
  privateServicesRangeName: "dr-private-services",
  privateServicesReady: [],
};
