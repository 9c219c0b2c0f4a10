import { createAwsBundle } from "../../modules/aws";
import { exampleConfig } from "../support/config";
import { synthAws } from "./helpers";

describe("the AWS bundle", () => {
  it("refuses a config without targets.aws, saying what to add", () => {
    const config = exampleConfig();
    const withoutAws = { ...config, targets: { ...config.targets, aws: undefined } };
    expect(() => createAwsBundle(withoutAws)).toThrow(/targets\.aws: \(not set\) is required by the AWS bundle; add a targets\.aws section/);
  });

  it("synthesizes byte-identical Terraform from the same config", () => {
    expect(synthAws({}, { fresh: true }).text).toBe(synthAws({}, { fresh: true }).text);
  });

  it("names every resource after the environment", () => {
    const stack = synthAws(exampleConfig({ environment: "acme-dr", targets: { gcp: null, azure: null, kubernetes: null } }));
    expect(stack.only("aws_rds_cluster").cluster_identifier).toBe("acme-dr-db");
    expect(stack.only("aws_ecs_cluster").name).toBe("acme-dr");
    expect(stack.only("aws_elasticache_replication_group").replication_group_id).toBe("acme-dr-redis");
  });

  it("keeps secret values out of the synthesized JSON", () => {
    const text = synthAws().text;
    expect(text).not.toMatch(/"(password|master_password|auth_token)"\s*:\s*"(?!\$\{)/);
  });
});
