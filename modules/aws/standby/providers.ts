/**
 * The standby stack's providers: one per region it touches, all aliased, so every resource names its region and
 * nothing lands in a region by default. The primary region's provider attaches to the primary's resources, the
 * recovery region's creates what the recovery adopts; Route 53 publishes health-check metrics in us-east-1 only
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html), so its alarm needs a
 * provider there, which is one of the two when either region is us-east-1.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { TerraformStack } from "cdktf";
import type { AwsStandbyConfig, AwsTargetConfig, RecoveryConfig } from "../../../config/schema";
import { configureStateBackend } from "../../../providers/backend";
import { recoveryTags } from "../../../config/naming";

/** The region Route 53 health-check metrics are published in. */
export const ROUTE53_METRICS_REGION = "us-east-1";

export interface StandbyProviders {
  readonly primary: AwsProvider;
  readonly recovery: AwsProvider;
  /** For the health-check alarm and its topic: the primary or recovery provider when either is in us-east-1. */
  readonly route53Metrics: AwsProvider;
}

export function configureStandbyProviders(
  stack: TerraformStack,
  stackName: string,
  config: RecoveryConfig,
  aws: AwsTargetConfig,
  standby: AwsStandbyConfig,
): StandbyProviders {
  configureStateBackend(stack, stackName, standby.backend);
  const defaultTags = [{ tags: { ...recoveryTags(config), purpose: "disaster-recovery-standby" } }];
  const primary = new AwsProvider(stack, "primary", { alias: "primary", region: aws.primaryRegion, defaultTags });
  const recovery = new AwsProvider(stack, "recovery", { alias: "recovery", region: aws.region, defaultTags });
  const route53Metrics =
    aws.primaryRegion === ROUTE53_METRICS_REGION
      ? primary
      : aws.region === ROUTE53_METRICS_REGION
        ? recovery
        : new AwsProvider(stack, "route53Metrics", { alias: "route53-metrics", region: ROUTE53_METRICS_REGION, defaultTags });
  return { primary, recovery, route53Metrics };
}
