import { cidrSubnet } from "../../modules/aws/network";
import { synthAws } from "./helpers";

describe("network: a new VPC", () => {
  const stack = synthAws();

  it("spreads a public and a private subnet over each configured zone, without public IPs on launch", () => {
    const subnets = Object.values(stack.resources("aws_subnet"));
    expect(subnets.map((subnet) => [subnet.availability_zone, subnet.tags.tier, subnet.cidr_block]).sort()).toEqual(
      [
        ["us-west-2a", "private", "10.40.128.0/20"],
        ["us-west-2a", "public", "10.40.0.0/20"],
        ["us-west-2b", "private", "10.40.144.0/20"],
        ["us-west-2b", "public", "10.40.16.0/20"],
      ].sort(),
    );
    expect(subnets.every((subnet) => subnet.map_public_ip_on_launch === false)).toBe(true);
  });

  it("gives each zone its own NAT gateway when natGatewayPerZone is on", () => {
    expect(Object.keys(stack.resources("aws_nat_gateway"))).toHaveLength(2);
    const privateRoutes = Object.values(stack.resources("aws_route_table")).filter((table) => String(table.tags.Name).includes("private"));
    expect(new Set(privateRoutes.map((table) => table.route[0].nat_gateway_id)).size).toBe(2);
  });

  it("routes every private subnet through a single NAT gateway when natGatewayPerZone is off", () => {
    const drill = synthAws({ targets: { aws: { network: { natGatewayPerZone: false } } } });
    expect(Object.keys(drill.resources("aws_nat_gateway"))).toHaveLength(1);
    const privateRoutes = Object.values(drill.resources("aws_route_table")).filter((table) => String(table.tags.Name).includes("private"));
    expect(new Set(privateRoutes.map((table) => table.route[0].nat_gateway_id)).size).toBe(1);
  });

  it("keeps VPC flow logs in CloudWatch with a retention", () => {
    expect(stack.only("aws_flow_log")).toMatchObject({ traffic_type: "ALL", log_destination_type: "cloud-watch-logs" });
    expect(stack.at("aws_cloudwatch_log_group", "network").retention_in_days).toBe(365);
  });
});

describe("network: an existing VPC", () => {
  const stack = synthAws({
    targets: {
      aws: {
        network: {
          mode: "existing",
          vpcId: "vpc-0abc1234",
          publicSubnetIds: ["subnet-0a1000a1", "subnet-0b1000b1"],
          privateSubnetIds: ["subnet-0a2000a2", "subnet-0b2000b2"],
        },
      },
    },
  });

  it("creates nothing in the network step but security groups and their rules", () => {
    const types = new Set(
      stack
        .all()
        .filter(({ resource }) => String(resource["//"].metadata.path).includes("/network/"))
        .map(({ type }) => type),
    );
    expect(types).toEqual(new Set(["aws_security_group", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"]));
    expect(Object.values(stack.resources("aws_security_group")).every((group) => group.vpc_id === "vpc-0abc1234")).toBe(true);
  });

  it("puts the load balancer in the public subnets and everything else in the private ones", () => {
    expect(stack.only("aws_lb").subnets).toEqual(["subnet-0a1000a1", "subnet-0b1000b1"]);
    expect(stack.only("aws_db_subnet_group").subnet_ids).toEqual(["subnet-0a2000a2", "subnet-0b2000b2"]);
    expect(stack.only("aws_elasticache_subnet_group").subnet_ids).toEqual(["subnet-0a2000a2", "subnet-0b2000b2"]);
    expect(stack.only("aws_ecs_service").network_configuration.subnets).toEqual(["subnet-0a2000a2", "subnet-0b2000b2"]);
  });
});

describe("network: security groups", () => {
  const stack = synthAws();
  const group = (name: string) => stack.ref("aws_security_group", `securityGroups/${name}`, "id");
  const ingressTo = (name: string) =>
    Object.values(stack.resources("aws_vpc_security_group_ingress_rule")).filter((rule) => rule.security_group_id === group(name));

  it("admits PostgreSQL only from the servers' security group", () => {
    expect(ingressTo("database").map((rule) => [rule.from_port, rule.to_port, rule.referenced_security_group_id, rule.cidr_ipv4])).toEqual([
      [5432, 5432, group("application"), undefined],
    ]);
  });

  it("admits Redis only from the servers' security group", () => {
    expect(ingressTo("cache").map((rule) => [rule.from_port, rule.referenced_security_group_id, rule.cidr_ipv4])).toEqual([
      [6379, group("application"), undefined],
    ]);
  });

  it("admits the Medplum port only from the load balancer", () => {
    expect(ingressTo("application").map((rule) => [rule.from_port, rule.referenced_security_group_id, rule.cidr_ipv4])).toEqual([
      [8103, group("loadBalancer"), undefined],
    ]);
  });

  it("opens only 443 and 80 of the load balancer to the internet", () => {
    expect(
      ingressTo("loadBalancer")
        .map((rule) => [rule.from_port, rule.cidr_ipv4])
        .sort(),
    ).toEqual([
      [443, "0.0.0.0/0"],
      [80, "0.0.0.0/0"],
    ]);
  });
});

describe("cidrSubnet", () => {
  it.each([
    ["10.40.0.0/16", 4, 0, "10.40.0.0/20"],
    ["10.40.0.0/16", 4, 9, "10.40.144.0/20"],
    ["10.40.4.0/22", 4, 8, "10.40.6.0/26"],
  ])("cuts %s with %i bits into block %i: %s (as Terraform's cidrsubnet does)", (cidr, bits, index, expected) => {
    expect(cidrSubnet(cidr, bits, index)).toBe(expected);
  });

  it("refuses a block that does not exist", () => {
    expect(() => cidrSubnet("10.40.0.0/16", 4, 16)).toThrow(/no subnet number 16/);
  });
});
