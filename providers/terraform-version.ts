/**
 * The Terraform versions every stack works with, written into the stack as `terraform.required_version`, so an older
 * Terraform stops at `init` with its own clear message instead of failing halfway through a recovery on a construct it
 * does not know. 1.10 is the oldest release with everything the stacks use: import blocks (1.5), and the S3 backend's
 * native state locking, `use_lockfile` (1.10; https://developer.hashicorp.com/terraform/language/backend/s3).
 */
import type { TerraformStack } from "cdktf";

export const REQUIRED_TERRAFORM_VERSION = ">= 1.10.0";

export function requireTerraformVersion(stack: TerraformStack): void {
  // cdktf 0.21's TerraformStack has no typed property for required_version; the override is the documented way to set
  // a top-level `terraform` block argument.
  stack.addOverride("terraform.required_version", REQUIRED_TERRAFORM_VERSION);
}
