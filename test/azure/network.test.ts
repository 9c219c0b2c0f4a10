import { cidrSubnet } from "../../modules/azure/cidr";
import { POSTGRES_SUBNET_DELEGATION, PRIVATE_DNS_ZONES } from "../../modules/azure/network";
import { azureConfig, EXISTING_NETWORK, synthAzure } from "./support";

describe("cidrSubnet", () => {
  it.each([
    ["10.50.0.0/16", 4, 0, "10.50.0.0/20"],
    ["10.50.0.0/16", 8, 16, "10.50.16.0/24"],
    ["10.50.0.0/16", 8, 17, "10.50.17.0/24"],
    ["10.64.0.0/19", 5, 17, "10.64.17.0/24"],
  ])("cidrsubnet(%s, %i, %i) is %s, as in Terraform", (prefix, newBits, netNum, expected) => {
    expect(cidrSubnet(prefix, newBits, netNum)).toBe(expected);
  });

  it("refuses a subnet that does not fit", () => {
    expect(() => cidrSubnet("10.0.0.0/16", 2, 4)).toThrow(/has no subnet 4/);
  });
});

describe("a new recovery network", () => {
  const stack = synthAzure();
  const subnets = Object.values(stack.resources("azurerm_subnet"));

  it("splits the VNet into an AKS subnet and /24s for PostgreSQL and private endpoints, without overlap", () => {
    expect(stack.only("azurerm_virtual_network").address_space).toEqual(["10.50.0.0/16"]);
    expect(subnets.map((subnet) => subnet.address_prefixes[0]).sort()).toEqual(["10.50.0.0/20", "10.50.16.0/24", "10.50.17.0/24"]);
  });

  it("delegates the PostgreSQL subnet to Flexible Server and nothing else", () => {
    const delegated = subnets.filter((subnet) => subnet.delegation !== undefined);
    expect(delegated).toHaveLength(1);
    expect(delegated[0].address_prefixes).toEqual(["10.50.16.0/24"]);
    expect(delegated[0].delegation[0].service_delegation.name).toBe(POSTGRES_SUBNET_DELEGATION);
  });

  it("creates the private DNS zones for PostgreSQL, Redis, Key Vault and Blob, each linked to the VNet", () => {
    const zones = Object.values(stack.resources("azurerm_private_dns_zone")).map((zone) => zone.name);
    expect(zones.sort()).toEqual(Object.values(PRIVATE_DNS_ZONES).sort());
    expect(zones).toContain("privatelink.postgres.database.azure.com");
    const links = Object.values(stack.resources("azurerm_private_dns_zone_virtual_network_link"));
    expect(links).toHaveLength(4);
    for (const link of links) {
      expect(link.virtual_network_id).toMatch(/^\$\{azurerm_virtual_network\..*\.id\}$/);
      expect(link.registration_enabled).toBe(false);
    }
  });

  it("creates the resource group in the recovery region", () => {
    expect(stack.only("azurerm_resource_group")).toMatchObject({ name: "medplum-dr-rg", location: "westus" });
  });
});

describe("an existing network and resource group", () => {
  const vnet = EXISTING_NETWORK.virtualNetworkId;
  const stack = synthAzure(azureConfig({ resourceGroupName: "medplum-dr-existing", createResourceGroup: false, network: EXISTING_NETWORK }));

  it("creates no network resources and no resource group", () => {
    for (const type of ["azurerm_virtual_network", "azurerm_subnet", "azurerm_private_dns_zone", "azurerm_resource_group"]) {
      expect(stack.resources(type)).toEqual({});
    }
  });

  it("places the server and endpoints in the given subnets and zones", () => {
    const server = stack.only("azurerm_postgresql_flexible_server");
    expect(server.delegated_subnet_id).toBe(`${vnet}/subnets/pg`);
    expect(server.private_dns_zone_id).toBe(EXISTING_NETWORK.privateDnsZoneIds.postgres);
    expect(server.resource_group_name).toBe("medplum-dr-existing");
    for (const endpoint of Object.values(stack.resources("azurerm_private_endpoint"))) expect(endpoint.subnet_id).toBe(`${vnet}/subnets/pe`);
  });

  it("lets the servers reach PostgreSQL and the private endpoints through the given ranges only", () => {
    const egress = stack.only("kubernetes_network_policy_v1").spec.egress;
    expect(egress[0].to).toEqual([{ ip_block: { cidr: "10.9.1.0/24" } }]);
    expect(egress[1].to).toEqual([{ ip_block: { cidr: "10.9.2.0/24" } }]);
  });
});
