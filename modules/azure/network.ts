/**
 * The recovery VNet: a subnet delegated to PostgreSQL Flexible Server, one for AKS nodes, one for private endpoints
 * (Redis, Key Vault, Blob), and the private DNS zones those services resolve through, linked to the VNet. With
 * `mode: existing`, the subnets and zones come from config (a VNet prepared in peacetime, e.g. the read replica's).
 */
import { PrivateDnsZone } from "@cdktf/provider-azurerm/lib/private-dns-zone";
import { PrivateDnsZoneVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { Construct } from "constructs";
import type { AzureTargetConfig } from "../../config/schema";
import { cidrSubnet } from "./cidr";

/** The private DNS zone each private service resolves through. Flexible Server needs a zone ending .postgres.database.azure.com. */
export const PRIVATE_DNS_ZONES = {
  postgres: "privatelink.postgres.database.azure.com",
  redis: "privatelink.redis.azure.net",
  keyVault: "privatelink.vaultcore.azure.net",
  blob: "privatelink.blob.core.windows.net",
} as const;
export type PrivateService = keyof typeof PRIVATE_DNS_ZONES;

export const POSTGRES_SUBNET_DELEGATION = "Microsoft.DBforPostgreSQL/flexibleServers";

export interface AzureNetworkProps {
  readonly network: AzureTargetConfig["network"];
  readonly resourceGroupName: string;
  readonly location: string;
  readonly namePrefix: string;
  readonly tags: Readonly<Record<string, string>>;
}

export class AzureNetwork extends Construct {
  readonly virtualNetworkId: string;
  readonly postgresSubnetId: string;
  readonly postgresSubnetCidr: string;
  readonly aksSubnetId: string;
  readonly privateEndpointSubnetId: string;
  readonly privateEndpointSubnetCidr: string;
  readonly privateDnsZoneIds: Readonly<Record<PrivateService, string>>;
  /**
   * Each private DNS zone's link to the VNet, when this stack creates them (`mode: new`); with `mode: existing` the
   * zones are linked already.
   */
  readonly privateDnsZoneLinks: Readonly<Partial<Record<PrivateService, PrivateDnsZoneVirtualNetworkLink>>>;

  constructor(scope: Construct, id: string, props: AzureNetworkProps) {
    super(scope, id);
    const { network } = props;
    if (network.mode === "existing") {
      this.virtualNetworkId = network.virtualNetworkId;
      this.postgresSubnetId = network.postgresSubnet.id;
      this.postgresSubnetCidr = network.postgresSubnet.cidr;
      this.aksSubnetId = network.aksSubnet.id;
      this.privateEndpointSubnetId = network.privateEndpointSubnet.id;
      this.privateEndpointSubnetCidr = network.privateEndpointSubnet.cidr;
      this.privateDnsZoneIds = { ...network.privateDnsZoneIds };
      this.privateDnsZoneLinks = {};
      return;
    }

    const prefixLength = Number(network.cidr.split("/")[1]);
    // The first /20 for AKS nodes (pods use the overlay range), then two /24s: nothing else may share the delegated one.
    const aksCidr = cidrSubnet(network.cidr, 20 - prefixLength, 0);
    this.postgresSubnetCidr = cidrSubnet(network.cidr, 24 - prefixLength, 16);
    this.privateEndpointSubnetCidr = cidrSubnet(network.cidr, 24 - prefixLength, 17);

    const vnet = new VirtualNetwork(this, "vnet", {
      name: `${props.namePrefix}-vnet`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      addressSpace: [network.cidr],
      tags: { ...props.tags },
    });
    this.virtualNetworkId = vnet.id;
    const subnet = (subnetId: string, name: string, cidr: string, extra: Partial<ConstructorParameters<typeof Subnet>[2]> = {}) =>
      new Subnet(this, subnetId, {
        name: `${props.namePrefix}-${name}`,
        resourceGroupName: props.resourceGroupName,
        virtualNetworkName: vnet.name,
        addressPrefixes: [cidr],
        ...extra,
      });

    this.aksSubnetId = subnet("aks", "aks", aksCidr).id;
    this.postgresSubnetId = subnet("postgres", "postgres", this.postgresSubnetCidr, {
      delegation: [
        {
          name: "flexible-server",
          serviceDelegation: { name: POSTGRES_SUBNET_DELEGATION, actions: ["Microsoft.Network/virtualNetworks/subnets/join/action"] },
        },
      ],
    }).id;
    this.privateEndpointSubnetId = subnet("endpoints", "endpoints", this.privateEndpointSubnetCidr).id;

    const zoneIds: Partial<Record<PrivateService, string>> = {};
    const links: Partial<Record<PrivateService, PrivateDnsZoneVirtualNetworkLink>> = {};
    for (const service of Object.keys(PRIVATE_DNS_ZONES) as PrivateService[]) {
      const zone = new PrivateDnsZone(this, `${service}Zone`, {
        name: PRIVATE_DNS_ZONES[service],
        resourceGroupName: props.resourceGroupName,
        tags: { ...props.tags },
      });
      links[service] = new PrivateDnsZoneVirtualNetworkLink(this, `${service}ZoneLink`, {
        name: `${props.namePrefix}-${service.toLowerCase()}`,
        resourceGroupName: props.resourceGroupName,
        privateDnsZoneName: zone.name,
        virtualNetworkId: vnet.id,
        registrationEnabled: false,
        tags: { ...props.tags },
      });
      zoneIds[service] = zone.id;
    }
    this.privateDnsZoneIds = zoneIds as Record<PrivateService, string>;
    this.privateDnsZoneLinks = links;
  }
}
