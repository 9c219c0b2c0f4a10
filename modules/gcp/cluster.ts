/**
 * The GKE Autopilot cluster the Medplum servers run in: private nodes (egress through Cloud NAT), a control plane
 * reachable only from the networks config names, workload identity (always on in Autopilot; the pool is stated so
 * the binding in identity.ts and the cluster agree), and Dataplane V2, which enforces the workload's NetworkPolicy.
 *
 * standby-gcp creates the same cluster in peacetime for the pilot-light and warm-standby tiers; the recovery then
 * adopts it by name (a data source in the recovery location, never standby's state) instead of creating one.
 */
import { ContainerCluster } from "@cdktf/provider-google/lib/container-cluster";
import { DataGoogleContainerCluster } from "@cdktf/provider-google/lib/data-google-container-cluster";
import type { TerraformProvider } from "cdktf";
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
  /**
   * Look the cluster up by name (standby-gcp keeps it standing) instead of creating it.
   * @default false
   */
  readonly adopt?: boolean;
  /**
   * The GKE Gateway API controller, which attaches a Certificate Manager map (`tls.mode: certificate-map`, gateway.ts).
   * A created cluster states the standard channel: Autopilot enables the API by default from 1.26, but whether the
   * cluster's API then reports a channel nobody stated was not verifiable here, and the recovery checks what it
   * reports. An adopted cluster must report it, or the plan fails.
   * `gateway_api_config` is an in-place update, never a replacement (google provider, container_cluster schema).
   * @default false
   */
  readonly gatewayApi?: boolean;
  /** @default - the stack's default google provider */
  readonly provider?: TerraformProvider;
}

/** The Gateway API channel of GKE's own CRDs (v1 Gateway and HTTPRoute). */
export const GATEWAY_API_CHANNEL = "CHANNEL_STANDARD";

export function workloadPool(project: string): string {
  return `${project}.svc.id.goog`;
}

export class GcpCluster extends Construct {
  /** The cluster, when this stack creates it. */
  readonly cluster?: ContainerCluster;
  /** The cluster standby-gcp built, when this stack adopts it. */
  readonly adopted?: DataGoogleContainerCluster;
  /** `projects/<p>/locations/<region>/clusters/<name>` (a Terraform reference). */
  readonly id: string;
  /** The control plane's address, without scheme. */
  readonly endpoint: string;
  /** Base64 PEM of the cluster CA. */
  readonly clusterCaCertificateBase64: string;

  constructor(scope: Construct, id: string, props: GcpClusterProps) {
    super(scope, id);
    if (props.adopt === true) {
      // Read at plan time: a missing cluster fails the plan before anything is created, naming it.
      this.adopted = new DataGoogleContainerCluster(this, "cluster", {
        provider: props.provider,
        project: props.project,
        location: props.region,
        name: props.name,
        ...(props.gatewayApi === true
          ? {
              lifecycle: {
                postcondition: [
                  {
                    condition: `\${length(self.gateway_api_config) > 0 && try(self.gateway_api_config[0].channel, "") != "CHANNEL_DISABLED"}`,
                    errorMessage: `${props.project}/${props.region}/${props.name} does not report the Gateway API (gateway_api_config), which tls.mode certificate-map needs; apply standby-gcp from this version, or gcloud container clusters update ${props.name} --gateway-api=standard`,
                  },
                ],
              },
            }
          : {}),
      });
      this.id = this.adopted.id;
      this.endpoint = this.adopted.endpoint;
      this.clusterCaCertificateBase64 = this.adopted.masterAuth.get(0).clusterCaCertificate;
      return;
    }
    this.cluster = new ContainerCluster(this, "cluster", {
      provider: props.provider,
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
      ...(props.gatewayApi === true ? { gatewayApiConfig: { channel: GATEWAY_API_CHANNEL } } : {}),
      workloadIdentityConfig: { workloadPool: workloadPool(props.project) },
      deletionProtection: props.cluster.deletionProtection,
      resourceLabels: { ...props.labels },
      timeouts: { create: "45m", update: "60m" },
    });
    this.id = this.cluster.id;
    this.endpoint = this.cluster.endpoint;
    this.clusterCaCertificateBase64 = this.cluster.masterAuth.clusterCaCertificate;
  }
}
