/**
 * The recovery VPC: either a new one laid out over the configured availability zones, or an existing one named in
 * config (then nothing but security groups is created). Security groups live here, not beside the resources they
 * guard, because the database and cache steps run before the application step yet must admit only the servers.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Construct } from "constructs";
import type { AwsTargetConfig } from "../../config/schema";
import { LOG_RETENTION_DAYS } from "./log-retention";
import { SecurityGroups } from "./security-groups";
import { standingNames } from "./standing-names";
import type { AwsRecoveryNetwork } from "./step-results";

export interface AwsNetworkProps {
  /** `targets.aws.network` from the config. */
  readonly network: AwsTargetConfig["network"];
  /** Availability zones to spread subnets over (new VPC only); named in config so the plan needs no AWS reads. */
  readonly availabilityZones: readonly string[];
  /** Prefix for every resource name, e.g. `medplum-dr`. */
  readonly namePrefix: string;
  /** `targets.aws.loadBalancer`: its security group, with mode existing (security-groups.ts). @default - mode new */
  readonly loadBalancer?: AwsTargetConfig["loadBalancer"];
  /** `targets.aws.cache`: how the servers reach it, with mode existing (security-groups.ts). @default - mode new */
  readonly cache?: AwsTargetConfig["cache"];
  /**
   * Days VPC flow logs are kept in CloudWatch (new VPC only).
   * @default LOG_RETENTION_DAYS (365)
   */
  readonly flowLogRetentionDays?: number;
}

/** Subnet blocks: the VPC is cut into 16 equal blocks; public subnets take blocks 0.., private ones blocks 8... */
const SUBNET_NEW_BITS = 4;
const PRIVATE_BLOCK_OFFSET = 8;

export class AwsNetwork extends Construct {
  readonly vpcId: string;
  /** Subnets with a route to the internet gateway: the load balancer only. */
  readonly publicSubnetIds: string[];
  /** Subnets without public addresses: servers, database, cache. */
  readonly privateSubnetIds: string[];
  readonly securityGroups: SecurityGroups;
  /** What the later steps learn about the network. */
  readonly result: AwsRecoveryNetwork;

  constructor(scope: Construct, id: string, props: AwsNetworkProps) {
    super(scope, id);
    const { network, namePrefix } = props;
    // The VPC and subnet tags are how a recovery in a standby tier finds what standby-aws built (standing-names.ts).
    const names = standingNames(namePrefix);

    if (network.mode === "existing") {
      this.vpcId = network.vpcId;
      this.publicSubnetIds = [...network.publicSubnetIds];
      this.privateSubnetIds = [...network.privateSubnetIds];
    } else {
      if (props.availabilityZones.length > PRIVATE_BLOCK_OFFSET) {
        throw new Error(
          `targets.aws.availabilityZones: ${props.availabilityZones.length} zones do not fit the subnet layout; give at most ${PRIVATE_BLOCK_OFFSET}`,
        );
      }
      const vpc = new Vpc(this, "vpc", {
        cidrBlock: network.cidr,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: { Name: names.vpc },
      });
      const internetGateway = new InternetGateway(this, "internetGateway", { vpcId: vpc.id, tags: { Name: namePrefix } });

      const publicRoutes = new RouteTable(this, "publicRoutes", {
        vpcId: vpc.id,
        route: [{ cidrBlock: "0.0.0.0/0", gatewayId: internetGateway.id }],
        tags: { Name: `${namePrefix}-public` },
      });

      const publicSubnets = props.availabilityZones.map((zone, index) => {
        const subnet = new Subnet(this, `public${index}`, {
          vpcId: vpc.id,
          availabilityZone: zone,
          cidrBlock: cidrSubnet(network.cidr, SUBNET_NEW_BITS, index),
          // The load balancer gets its addresses from the ALB service; nothing launched here needs a public IP.
          mapPublicIpOnLaunch: false,
          tags: { Name: `${names.vpc}-public-${zone}`, tier: "public" },
        });
        new RouteTableAssociation(this, `public${index}Routes`, { subnetId: subnet.id, routeTableId: publicRoutes.id });
        return subnet;
      });

      // One NAT gateway per zone keeps egress (image pulls, AWS APIs) up when a zone fails; one in total is for drills.
      const natCount = network.natGatewayPerZone ? publicSubnets.length : 1;
      const natGateways = publicSubnets.slice(0, natCount).map((subnet, index) => {
        const address = new Eip(this, `nat${index}Address`, { domain: "vpc", tags: { Name: `${namePrefix}-nat-${index}` } });
        return new NatGateway(this, `nat${index}`, {
          allocationId: address.allocationId,
          subnetId: subnet.id,
          tags: { Name: `${namePrefix}-nat-${index}` },
          dependsOn: [internetGateway],
        });
      });

      const privateSubnets = props.availabilityZones.map((zone, index) => {
        const subnet = new Subnet(this, `private${index}`, {
          vpcId: vpc.id,
          availabilityZone: zone,
          cidrBlock: cidrSubnet(network.cidr, SUBNET_NEW_BITS, PRIVATE_BLOCK_OFFSET + index),
          mapPublicIpOnLaunch: false,
          tags: { Name: `${names.vpc}-private-${zone}`, tier: "private" },
        });
        const nat = natGateways[Math.min(index, natGateways.length - 1)]!;
        const routes = new RouteTable(this, `private${index}Routes`, {
          vpcId: vpc.id,
          route: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }],
          tags: { Name: `${namePrefix}-private-${zone}` },
        });
        new RouteTableAssociation(this, `private${index}RouteAssociation`, { subnetId: subnet.id, routeTableId: routes.id });
        return subnet;
      });

      this.addFlowLogs(vpc.id, namePrefix, props.flowLogRetentionDays ?? LOG_RETENTION_DAYS);

      this.vpcId = vpc.id;
      this.publicSubnetIds = publicSubnets.map((subnet) => subnet.id);
      this.privateSubnetIds = privateSubnets.map((subnet) => subnet.id);
    }

    this.securityGroups = new SecurityGroups(this, "securityGroups", {
      vpcId: this.vpcId,
      namePrefix,
      ...(props.loadBalancer !== undefined ? { loadBalancer: props.loadBalancer } : {}),
      ...(props.cache !== undefined ? { cache: props.cache } : {}),
    });
    this.result = {
      networkId: this.vpcId,
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      securityGroups: this.securityGroups,
    };
  }

  /** Rejected-connection evidence matters after an incident; flow records carry addresses, not payloads. */
  private addFlowLogs(vpcId: string, namePrefix: string, retentionDays: number): void {
    const logGroup = new CloudwatchLogGroup(this, "flowLogGroup", {
      name: `/medplum/${namePrefix}/vpc-flow-logs`,
      retentionInDays: retentionDays,
    });
    const role = new IamRole(this, "flowLogRole", {
      name: `${namePrefix}-vpc-flow-logs`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    });
    new IamRolePolicy(this, "flowLogPolicy", {
      role: role.id,
      name: "write-flow-logs",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: [`${logGroup.arn}:*`],
          },
        ],
      }),
    });
    new FlowLog(this, "flowLog", {
      vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 600,
    });
  }
}

/** Terraform's cidrsubnet(), computed at synth time so the subnet layout is readable in the synthesized JSON. */
export function cidrSubnet(cidr: string, newBits: number, netNumber: number): string {
  const [address, prefixText] = cidr.split("/");
  const prefix = Number(prefixText);
  const octets = (address ?? "").split(".").map(Number);
  if (octets.length !== 4 || octets.some((octet) => !Number.isInteger(octet) || octet < 0 || octet > 255) || !Number.isInteger(prefix)) {
    throw new Error(`${JSON.stringify(cidr)} is not an IPv4 CIDR block`);
  }
  const newPrefix = prefix + newBits;
  if (newPrefix > 32 || netNumber >= 2 ** newBits) {
    throw new Error(`${JSON.stringify(cidr)} has no subnet number ${netNumber} with ${newBits} extra bits`);
  }
  const base = octets.reduce((value, octet) => value * 256 + octet, 0);
  const network = base - (base % 2 ** (32 - prefix));
  const subnet = network + netNumber * 2 ** (32 - newPrefix);
  const parts = [24, 16, 8, 0].map((shift) => Math.floor(subnet / 2 ** shift) % 256);
  return `${parts.join(".")}/${newPrefix}`;
}
