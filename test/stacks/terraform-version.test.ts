import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REQUIRED_TERRAFORM_VERSION } from "../../providers/terraform-version";
import { buildRecoveryApp } from "../../stacks/app";
import { writtenStackJson } from "../support/policy";
import { exampleConfig } from "../support/config";

describe("terraform.required_version", () => {
  const { stacks } = buildRecoveryApp(exampleConfig(), "unused");

  it.each(stacks.map((stack) => [stack.node.id, stack] as const))("is in %s, so an older Terraform stops at init", (_name, stack) => {
    expect((writtenStackJson(stack) as { terraform: { required_version?: string } }).terraform.required_version).toBe(REQUIRED_TERRAFORM_VERSION);
  });

  it("is the version the README promises", () => {
    const minimum = /^>= (\d+\.\d+)\.0$/.exec(REQUIRED_TERRAFORM_VERSION)?.[1];
    expect(readFileSync(join(__dirname, "../../README.md"), "utf8")).toContain(`Terraform ${minimum}+`);
  });
});
