import { TARGETS } from "../../modules/registry";
import { STACK_TARGETS, targetOfStack } from "../../operations/stacks";
import { exampleConfig } from "../support/config";

describe("operations/stacks.ts", () => {
  it("names the same stacks as modules/registry.ts", () => {
    expect(STACK_TARGETS).toEqual(Object.fromEntries(Object.entries(TARGETS).map(([target, registration]) => [registration.stackName, target])));
  });

  it("refuses a stack whose target the config does not define", () => {
    expect(targetOfStack("recovery-gcp", exampleConfig({ targets: { gcp: null, azure: null, kubernetes: null } }))).toEqual({
      problem: '--stack: "recovery-gcp" recovers targets.gcp, which the config does not define; expected one of recovery-aws',
    });
  });
});
