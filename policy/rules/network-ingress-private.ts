import { at, blocks, isTrue, literalNumber, literalString, stringList } from "../json";
import { COMPLIANT, nonCompliant, type PolicyRule, type PolicySubject } from "../types";

/** Ports whose exposure to the internet exposes a data store holding PHI. */
const DATA_PORTS: ReadonlyArray<{ readonly port: number; readonly what: string }> = [
  { port: 5432, what: "PostgreSQL" },
  { port: 6379, what: "Redis" },
  { port: 6380, what: "Redis (TLS)" },
];

const OPEN_CIDRS = new Set(["0.0.0.0/0", "::/0"]);
const OPEN_AZURE_SOURCES = new Set(["*", "Internet", "0.0.0.0/0"]);

interface OpenIngress {
  readonly source: string;
  readonly fromPort: number;
  readonly toPort: number;
}

/**
 * Firewall rules that open a database or cache port (or anything in the database and cache steps) to any address,
 * and servers given public IPs. DatabaseNotPublic and CacheNotPublic check the data stores' own public switches; this
 * rule checks the network in front of them, where a rule opened "for a test" stays open through a recovery.
 */
export const NetworkIngressPrivate: PolicyRule = {
  id: "NetworkIngressPrivate",
  description: "No firewall rule opens a database or cache port to the internet, and servers get no public IP.",
  severity: "error",
  appliesTo: [
    "aws_security_group",
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "google_compute_firewall",
    "azurerm_network_security_rule",
    "aws_ecs_service",
    "aws_instance",
    "aws_launch_template",
  ],
  check: (subject) => {
    const { type, body } = subject;
    if (type === "aws_ecs_service") {
      return isTrue(at(body, "network_configuration", "assign_public_ip"))
        ? nonCompliant("network_configuration.assign_public_ip is true; set it to false and keep the servers in private subnets behind the load balancer")
        : COMPLIANT;
    }
    if (type === "aws_instance" || type === "aws_launch_template") {
      const flags = [body.associate_public_ip_address, ...blocks(body.network_interfaces).map((nic) => nic.associate_public_ip_address)];
      return flags.some(isTrue)
        ? nonCompliant("associate_public_ip_address is true; set it to false and keep the servers in private subnets behind the load balancer")
        : COMPLIANT;
    }
    const step = stepOf(subject);
    const problems = openIngress(subject).flatMap((rule) => {
      const dataPort = DATA_PORTS.find((port) => port.port >= rule.fromPort && port.port <= rule.toPort);
      if (dataPort === undefined && step !== "database" && step !== "cache") return [];
      const what = dataPort?.what ?? (step === "cache" ? "the cache" : "the database");
      return [`ingress from ${rule.source}${dataPort ? ` to port ${dataPort.port}` : ""} opens ${what} to the internet`];
    });
    if (problems.length === 0) return COMPLIANT;
    return nonCompliant(`${[...new Set(problems)].join("; ")}; remove the rule or limit its source to the private network`);
  },
};

/** The recovery step a resource belongs to, from its construct path (`recovery-aws/<step>/...`). */
function stepOf(subject: PolicySubject): string | undefined {
  return subject.path.includes("/") ? subject.path.split("/")[1] : undefined;
}

function portsOf(rule: Readonly<Record<string, unknown>>): { fromPort: number; toPort: number } | undefined {
  const protocol = literalString(rule.protocol) ?? literalString(rule.ip_protocol) ?? "";
  if (protocol === "-1" || protocol === "all") return { fromPort: 0, toPort: 65535 };
  const from = literalNumber(rule.from_port);
  const to = literalNumber(rule.to_port);
  return from !== undefined && to !== undefined ? { fromPort: from, toPort: to } : undefined;
}

function openSources(...values: unknown[]): string[] {
  return values.flatMap(stringList).filter((cidr) => OPEN_CIDRS.has(cidr));
}

/** Ingress open to any address: inline security group ingress, separate rules, VPC ingress rules, firewalls, NSG rules. */
function openIngress({ type, body }: PolicySubject): OpenIngress[] {
  const withPorts = (rule: Readonly<Record<string, unknown>>, sources: string[]) => {
    const ports = portsOf(rule);
    return ports === undefined ? [] : sources.map((source) => ({ source, ...ports }));
  };
  switch (type) {
    case "aws_security_group":
      return blocks(body.ingress).flatMap((rule) => withPorts(rule, openSources(rule.cidr_blocks, rule.ipv6_cidr_blocks)));
    case "aws_security_group_rule":
      return literalString(body.type) === "ingress" ? withPorts(body, openSources(body.cidr_blocks, body.ipv6_cidr_blocks)) : [];
    case "aws_vpc_security_group_ingress_rule":
      return withPorts(body, openSources(body.cidr_ipv4, body.cidr_ipv6));
    case "google_compute_firewall": {
      if (literalString(body.direction) === "EGRESS") return [];
      const ranges = blocks(body.allow).flatMap((allow) => (stringList(allow.ports).length > 0 ? stringList(allow.ports) : ["0-65535"]));
      return openSources(body.source_ranges).flatMap((source) => ranges.map((range) => ({ source, ...portRange(range) })));
    }
    case "azurerm_network_security_rule": {
      if (literalString(body.direction) !== "Inbound" || literalString(body.access) !== "Allow") return [];
      const source = literalString(body.source_address_prefix) ?? "";
      if (!OPEN_AZURE_SOURCES.has(source)) return [];
      const range = literalString(body.destination_port_range) ?? "*";
      return [{ source, ...(range === "*" ? { fromPort: 0, toPort: 65535 } : portRange(range)) }];
    }
    default:
      return [];
  }
}

function portRange(range: string): { fromPort: number; toPort: number } {
  const [from, to] = range.split("-").map(Number);
  return { fromPort: from ?? 0, toPort: to ?? from ?? 65535 };
}
