/**
 * The GKE Autopilot cluster the Medplum servers run in: private nodes (egress through Cloud NAT), a control plane
 * reachable only from the networks config names, workload identity (always on in Autopilot; the pool is stated so
 * the binding in identity.ts and the cluster agree), and Dataplane V2, which enforces the workload's NetworkPolicy.
 */
import { ContainerCluster } from "@cdktf/provider-google/lib/container-cluster";
import { Construct } from "constructs";
import type { GcpTargetConfig } from "../../config/schema";
import type { GcpNetwork } from "./network";

export interface GcpClusterProps {
  readonly project: string;
  readonly region: string;
  readonly name: string;
  readonly cluster: GcpTargetConfig["cluster"];
  readonly network: GcpNetwork;
  readonly labels: Readonly<Record<string, string>>;
}

export function workloadPool(project: string): string {
  return `${project}.svc.id.goog`;
}

export class GcpCluster extends Construct {
  readonly cluster: ContainerCluster;

  constructor(scope: Construct, id: string, props: GcpClusterProps) {
    super(scope, id);
    this.cluster = new ContainerCluster(this, "cluster", {
      project: props.project,
      // A regional cluster: Autopilot spreads nodes over the region's zones.
      location: props.region,
      name: props.name,
      enableAutopilot: true,
      network: props.network.networkId,
      subnetwork: props.network.subnetworkId,
      ipAllocationPolicy: {
        clusterSecondaryRangeName: props.network.podsRangeName,
        servicesSecondaryRangeName: props.network.servicesRangeName,
      },
      privateClusterConfig: {
        enablePrivateNodes: true,
        // The apply runs from outside the VPC; master_authorized_networks_config limits who reaches the endpoint.
        enablePrivateEndpoint: false,
      },
      masterAuthorizedNetworksConfig: {
        gcpPublicCidrsAccessEnabled: false,
        cidrBlocks: props.cluster.masterAuthorizedNetworks.map((network) => ({ cidrBlock: network.cidr, displayName: network.name })),
      },
      releaseChannel: { channel: props.cluster.releaseChannel },
      workloadIdentityConfig: { workloadPool: workloadPool(props.project) },
      deletionProtection: props.cluster.deletionProtection,
      resourceLabels: { ...props.labels },
      timeouts: { create: "45m", update: "60m" },
    });
  }
}
