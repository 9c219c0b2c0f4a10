/**
 * Static stability of a recovery: which control planes its `terraform apply` calls, and whether one of them lives in
 * the region the recovery recovers from. A recovery that needs the lost region's control plane can fail on the day
 * for the very outage it answers (AWS, "Fault Isolation Boundaries", global services:
 * https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/global-services.html). Read from the
 * synthesized stack (what it creates and reads) and the config (the lost region); the report warns, it does not gate:
 * the way out is a tier that keeps the dependency standing, which is the team's trade-off of cost against risk.
 */
import type { RecoveryConfig } from "../config/schema";
import type { DependencyGraph } from "./graph";
import type { TargetCloud } from "./rpo";

/** A global service whose control plane sits in one region, and the Terraform types that call it. */
interface GlobalService {
  readonly service: string;
  readonly controlPlane: string;
  /** Resource and data source types by prefix. */
  readonly prefixes: readonly string[];
  readonly advice: string;
}

const AWS_WHITEPAPER = "https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/global-services.html";

/**
 * The aws partition's global services a recovery stack can touch, with the control plane regions the whitepaper
 * lists (partitional services: IAM, Organizations, Route 53 private DNS in us-east-1, Route 53 ARC in us-west-2; edge
 * services: Route 53 public DNS and health checks, CloudFront in us-east-1, Global Accelerator in us-west-2).
 */
const AWS_GLOBAL_SERVICES: readonly GlobalService[] = [
  {
    service: "AWS IAM",
    controlPlane: "us-east-1",
    prefixes: ["aws_iam_"],
    advice: "tier pilot-light or warm-standby keeps the roles standing, so the recovery creates none (targets.aws.standby.tier)",
  },
  {
    service: "Amazon Route 53",
    controlPlane: "us-east-1",
    prefixes: ["aws_route53_"],
    advice:
      "standby-aws's failover pair (targets.aws.standby.failoverRecords with dns.routing mode standby-failover) makes the switch a health-check answer of Route 53's data plane instead of a record change",
  },
  {
    service: "Amazon CloudFront",
    controlPlane: "us-east-1",
    prefixes: ["aws_cloudfront_"],
    advice: "an origin group made in peacetime fails over without a change to the distribution (docs/standby.md, CloudFront)",
  },
  {
    service: "AWS Global Accelerator",
    controlPlane: "us-west-2",
    prefixes: ["aws_globalaccelerator_"],
    advice: "create the accelerator in peacetime and shift traffic with endpoint weights",
  },
  {
    service: "Amazon Route 53 Application Recovery Controller",
    controlPlane: "us-west-2",
    prefixes: ["aws_route53recoverycontrolconfig_", "aws_route53recoveryreadiness_"],
    advice: "use routing controls (the data plane) on the day, not their configuration",
  },
];

/** Types whose data source is computed by Terraform itself and calls no API. */
const LOCAL_DATA_SOURCES: ReadonlySet<string> = new Set(["aws_iam_policy_document"]);

export interface ControlPlaneDependency {
  readonly service: string;
  /** Where its control plane runs: a region, or what the report knows of it. */
  readonly controlPlane: string;
  /** The stack's blocks that call it, `data.` prefixed for reads. */
  readonly addresses: readonly string[];
  /** Whether that control plane is in the region the recovery recovers from; null when the config cannot tell. */
  readonly inLostRegion: boolean | null;
  readonly advice: string;
  readonly source: string;
}

export interface StaticStability {
  /** The region or location the recovery recovers from, where the config names one. */
  readonly lostRegion?: string;
  readonly dependencies: readonly ControlPlaneDependency[];
  /** What the report can and cannot tell on this cloud. */
  readonly statement: string;
}

export function staticStability(cloud: TargetCloud, config: RecoveryConfig, graph: DependencyGraph): StaticStability {
  switch (cloud) {
    case "aws":
      return awsStability(config.targets.aws?.primaryRegion, graph);
    case "gcp":
      return {
        ...(config.targets.gcp?.primaryRegion !== undefined ? { lostRegion: config.targets.gcp.primaryRegion } : {}),
        dependencies: [],
        statement:
          "The global external Application Load Balancer's address, URL map, proxy and backend service are global Compute Engine resources " +
          "(https://cloud.google.com/compute/docs/regions-zones/global-regional-zonal-resources), and Cloud DNS and IAM are global services; " +
          "the report knows of no single region their control planes run in, so it finds no dependency on the lost region's control plane. Not verified against an outage.",
      };
    case "azure":
      return azureStability(config, graph);
    case "kubernetes":
      return {
        dependencies: [],
        statement:
          "The recovery talks to the recovery cluster's API server and to the DNS provider external-dns writes to (or to nothing, with output-address); " +
          "where their control planes run is the team's own infrastructure, not in the config: not modeled.",
      };
  }
}

function awsStability(lostRegion: string | undefined, graph: DependencyGraph): StaticStability {
  const dependencies = AWS_GLOBAL_SERVICES.flatMap((service) => {
    const addresses = graph.nodes
      .filter((node) => (node.kind === "resource" || node.kind === "data") && service.prefixes.some((prefix) => node.type.startsWith(prefix)))
      .filter((node) => !(node.kind === "data" && LOCAL_DATA_SOURCES.has(node.type)))
      .map((node) => node.address);
    if (addresses.length === 0) return [];
    return [
      {
        service: service.service,
        controlPlane: service.controlPlane,
        addresses,
        inLostRegion: lostRegion === undefined ? null : service.controlPlane === lostRegion,
        advice: service.advice,
        source: AWS_WHITEPAPER,
      },
    ];
  });
  return {
    ...(lostRegion !== undefined ? { lostRegion } : {}),
    dependencies,
    statement:
      "Everything else the recovery calls is regional, in the recovery region. The global services' control planes are those AWS lists for the aws partition; " +
      "their data planes (signing in with an existing role, answering DNS, serving a distribution) keep working during a regional outage.",
  };
}

const AZURE_RESOURCE_GROUP_SOURCE = "https://learn.microsoft.com/azure/azure-resource-manager/management/overview#resource-group-location-alignment";

/**
 * Azure Resource Manager keeps a resource group's metadata in the group's location; while that region is down, writes
 * to resources of the group can fail (source above). The recovery creates its own groups in the recovery location;
 * the api record is written into the DNS zone's group, which the config names but not where it lives.
 */
function azureStability(config: RecoveryConfig, graph: DependencyGraph): StaticStability {
  const azure = config.targets.azure;
  if (azure === undefined) return { dependencies: [], statement: "No targets.azure section." };
  /** The group's metadata location is not in the config: a dependency to check, on the blocks written into it. */
  const inGroup = (group: string, what: string, advice: string): ControlPlaneDependency[] => {
    const blocks = graph.nodes.filter((node) => node.kind === "resource" && node.body.resource_group_name === group);
    return blocks.length === 0
      ? []
      : [
          {
            service: `Azure Resource Manager, resource group ${group} (${what})`,
            controlPlane: "the group's location (not in the config)",
            addresses: blocks.map((node) => node.address),
            inLostRegion: null,
            advice: `check that \`az group show --name ${group} --query location\` is not ${azure.primaryRegion}; ${advice}`,
            source: AZURE_RESOURCE_GROUP_SOURCE,
          },
        ];
  };
  const zoneGroup = azure.dns.zoneResourceGroupName;
  // As modules/azure/index.ts names it.
  const ownGroup = azure.resourceGroupName ?? `${config.environment}-rg`;
  return {
    lostRegion: azure.primaryRegion,
    dependencies: [
      ...inGroup(
        zoneGroup,
        `the DNS zone ${azure.dns.zoneName}`,
        "if it is, move the zone into a group of another location in peacetime (its records are served globally either way)",
      ),
      ...(!azure.createResourceGroup && ownGroup !== zoneGroup
        ? inGroup(ownGroup, "the recovery's resources, an existing group", "if it is, use a group of the recovery location (createResourceGroup: true)")
        : []),
    ],
    statement:
      (azure.createResourceGroup
        ? "The recovery creates its own resource group in the recovery location, so that metadata survives the primary's region. "
        : "") + "Azure DNS answers from a global network; only writes to a zone need Resource Manager and the zone's group.",
  };
}

/** One line for the console and the gate's neighbourhood: the dependencies on the lost region, or undefined. */
export function lostRegionWarning(stability: StaticStability): string | undefined {
  const lost = stability.dependencies.filter((dependency) => dependency.inLostRegion === true);
  if (lost.length === 0) return undefined;
  const services = lost.map((dependency) => `${dependency.service} (${dependency.addresses.length})`).join(", ");
  return `the recovery calls the control plane of ${stability.lostRegion}, the region it recovers from: ${services}`;
}
