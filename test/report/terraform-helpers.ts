/**
 * Whether tests that run real Terraform can run here. In CI (CI=true) a missing Terraform is a failure, never a skip;
 * elsewhere the tests skip with a loud message, so a green local run on a machine without Terraform is not mistaken
 * for a verified plan.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export function detectTerraform(env: NodeJS.ProcessEnv = process.env): { available: boolean; reason: string } {
  const terraform = env.TERRAFORM_BINARY ?? "terraform";
  const version = spawnSync(terraform, ["version"], { encoding: "utf8" });
  if (version.error || version.status !== 0) return { available: false, reason: `${terraform} is not runnable (${version.error?.message ?? version.stderr})` };
  const mirror = env.TF_PLUGIN_DIR ?? "/opt/tf-plugins";
  if (!existsSync(join(mirror, "registry.terraform.io", "hashicorp", "aws"))) {
    return { available: false, reason: `no hashicorp/aws provider mirror at ${mirror}; set TF_PLUGIN_DIR` };
  }
  return { available: true, reason: "" };
}

const terraformAvailability = detectTerraform();

/** Call at the top of a describe block that needs Terraform; returns true when its tests must be skipped. */
export function skipWithoutTerraform(what: string, availability = terraformAvailability, env: NodeJS.ProcessEnv = process.env): boolean {
  if (availability.available) return false;
  if (env.CI === "true") {
    throw new Error(`${what} needs Terraform and the aws provider mirror, and CI=true: ${availability.reason}`);
  }
  console.warn(`\n!!! SKIPPING ${what}: ${availability.reason}. These tests are REQUIRED in CI. !!!\n`);
  return true;
}
