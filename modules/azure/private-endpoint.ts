/**
 * A private endpoint for one service in the recovery VNet's endpoint subnet, registered in the service's private DNS
 * zone, so the service's public name resolves to a private address from inside the VNet.
 */
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import type { Construct } from "constructs";

export interface ServicePrivateEndpointProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly subnetId: string;
  /** The resource the endpoint connects to. */
  readonly resourceId: string;
  /** The sub-resource (group id), e.g. `vault`, `blob`, `redisEnterprise`. */
  readonly subresource: string;
  readonly privateDnsZoneId: string;
  readonly tags: Readonly<Record<string, string>>;
}

export function createPrivateEndpoint(scope: Construct, id: string, props: ServicePrivateEndpointProps): PrivateEndpoint {
  return new PrivateEndpoint(scope, id, {
    name: props.name,
    resourceGroupName: props.resourceGroupName,
    location: props.location,
    subnetId: props.subnetId,
    privateServiceConnection: {
      name: props.name,
      privateConnectionResourceId: props.resourceId,
      subresourceNames: [props.subresource],
      isManualConnection: false,
    },
    privateDnsZoneGroup: { name: "default", privateDnsZoneIds: [props.privateDnsZoneId] },
    tags: { ...props.tags },
  });
}
