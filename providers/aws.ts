/**
 * AWS provider wiring for the recovery region. Every resource is created in the recovery region; nothing reaches back
 * into the lost primary region.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { TerraformStack } from "cdktf";
import type { AwsTargetConfig, RecoveryConfig } from "../config/schema";
import { recoveryTags } from "../config/naming";
import { configureStateBackend } from "./backend";

export function configureAwsProviders(stack: TerraformStack, stackName: string, config: RecoveryConfig, aws: AwsTargetConfig): AwsProvider {
  configureStateBackend(stack, stackName, aws.backend);
  return new AwsProvider(stack, "aws", {
    region: aws.region,
    defaultTags: [{ tags: recoveryTags(config) }],
  });
}
