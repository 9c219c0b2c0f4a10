/**
 * The recovery's VPC: a subnet in the recovery region with secondary ranges for GKE pods and services, private
 * services access (the peering Cloud SQL and Memorystore private IPs live behind), and Cloud NAT so private GKE nodes
 * can pull the Medplum image. Or an existing network named in config.
 */
import { ComputeGlobalAddress } from "@cdktf/provider-google/lib/compute-global-address";
import { ComputeNetwork } from "@cdktf/provider-google/lib/compute-network";
import { ComputeRouter } from "@cdktf/provider-google/lib/compute-router";
import { ComputeRouterNat } from "@cdktf/provider-google/lib/compute-router-nat";
import { ComputeSubnetwork } from "@cdktf/provider-google/lib/compute-subnetwork";
import { ServiceNetworkingConnection } from "@cdktf/provider-google/lib/service-networking-connection";
import type { ITerraformDependable, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import type { GcpTargetConfig } from "../../config/schema";
import type { RecoveryNetwork } from "../contracts";
import { gcpStandingNames, PODS_RANGE_NAME, SERVICES_RANGE_NAME } from "./standing-names";

export interface GcpNetworkProps {
  readonly project: string;
  readonly region: string;
  /** Prefix of every resource name, e.g. `medplum-dr`. */
  readonly namePrefix: string;
  readonly network: GcpTargetConfig["network"];
  readonly labels: Readonly<Record<string, string>>;
  /** @default - the stack's default google provider (the recovery's); standby-gcp passes its aliased recovery provider */
  readonly provider?: TerraformProvider;
}

/** What the other GCP steps need from the network. */
export interface GcpNetwork extends RecoveryNetwork {
  /** `projects/<p>/global/networks/<name>`: Cloud SQL's `private_network`, Memorystore's `authorized_network`. */
  readonly networkId: string;
  readonly subnetworkId: string;
  readonly podsRangeName: string;
  readonly servicesRangeName: string;
  /** The allocated range Cloud SQL and Memorystore take their private addresses from. */
  readonly privateServicesRangeName: string;
  /** Private IPs only work once the peering exists; empty when it already existed. */
  readonly privateServicesReady: readonly ITerraformDependable[];
}

export { PODS_RANGE_NAME, SERVICES_RANGE_NAME };
/** Size of the private services range added to an existing network that has none: room for many instances. */
export const DEFAULT_PRIVATE_SERVICES_PREFIX_LENGTH = 16;

export class GcpRecoveryNetwork extends Construct {
  readonly value: GcpNetwork;

  constructor(scope: Construct, id: string, props: GcpNetworkProps) {
    super(scope, id);
    const { project, region, provider } = props;
    const config = props.network;
    const names = gcpStandingNames(props.namePrefix);

    let networkId: string;
    let subnetworkId: string;
    let podsRangeName: string;
    let servicesRangeName: string;
    let createNat: boolean;
    if (config.mode === "new") {
      const network = new ComputeNetwork(this, "vpc", {
        provider,
        project,
        name: names.network,
        autoCreateSubnetworks: false,
        routingMode: "REGIONAL",
      });
      const subnet = new ComputeSubnetwork(this, "subnet", {
        provider,
        project,
        region,
        name: names.subnetwork,
        network: network.id,
        ipCidrRange: config.subnetCidr,
        privateIpGoogleAccess: true,
        secondaryIpRange: [
          { rangeName: PODS_RANGE_NAME, ipCidrRange: config.podsCidr },
          { rangeName: SERVICES_RANGE_NAME, ipCidrRange: config.servicesCidr },
        ],
        // Flow logs for the audit trail a PHI workload needs (CKV_GCP_26).
        logConfig: { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" },
      });
      networkId = network.id;
      subnetworkId = subnet.id;
      podsRangeName = PODS_RANGE_NAME;
      servicesRangeName = SERVICES_RANGE_NAME;
      createNat = true;
    } else {
      networkId = `projects/${project}/global/networks/${config.networkName}`;
      subnetworkId = `projects/${project}/regions/${region}/subnetworks/${config.subnetworkName}`;
      podsRangeName = config.podsRangeName;
      servicesRangeName = config.servicesRangeName;
      createNat = config.createNat;
    }

    let privateServicesRangeName: string;
    const privateServicesReady: ITerraformDependable[] = [];
    if (config.mode === "existing" && config.privateServicesRangeName !== undefined) {
      privateServicesRangeName = config.privateServicesRangeName;
    } else {
      const range = new ComputeGlobalAddress(this, "privateServices", {
        provider,
        project,
        name: names.privateServicesRange,
        purpose: "VPC_PEERING",
        addressType: "INTERNAL",
        prefixLength: config.mode === "new" ? config.privateServicesPrefixLength : DEFAULT_PRIVATE_SERVICES_PREFIX_LENGTH,
        network: networkId,
        labels: { ...props.labels },
      });
      const connection = new ServiceNetworkingConnection(this, "privateServicesConnection", {
        provider,
        network: networkId,
        service: "servicenetworking.googleapis.com",
        reservedPeeringRanges: [range.name],
        // Deleting the peering fails while Cloud SQL still uses it; a drill teardown abandons it with the network.
        deletionPolicy: "ABANDON",
      });
      privateServicesRangeName = range.name;
      privateServicesReady.push(connection);
    }

    if (createNat) {
      const router = new ComputeRouter(this, "router", { provider, project, region, name: names.router, network: networkId });
      new ComputeRouterNat(this, "nat", {
        provider,
        project,
        region,
        name: names.nat,
        router: router.name,
        natIpAllocateOption: "AUTO_ONLY",
        sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
        logConfig: { enable: true, filter: "ERRORS_ONLY" },
      });
    }

    this.value = {
      networkId,
      subnetworkId,
      podsRangeName,
      servicesRangeName,
      privateServicesRangeName,
      privateServicesReady,
    };
  }
}
