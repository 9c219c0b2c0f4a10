import { GcpRecoveryNetwork, type GcpNetwork } from "../../modules/gcp/network";
import { gcpConfig, synthModule } from "./support";

function synthNetwork(network: any) {
  const gcp = gcpConfig((doc) => (doc.targets.gcp.network = network)).targets.gcp!;
  let value: GcpNetwork | undefined;
  const synth = synthModule((scope) => {
    value = new GcpRecoveryNetwork(scope, "vpc", { project: gcp.project, region: gcp.region, namePrefix: "medplum-dr", network: gcp.network, labels: {} })
      .value;
  });
  return { ...synth, value: value! };
}

const NEW = { mode: "new", subnetCidr: "10.50.0.0/20", podsCidr: "10.52.0.0/17", servicesCidr: "10.54.0.0/20" };
const EXISTING = { mode: "existing", networkName: "shared", subnetworkName: "shared-usw1", podsRangeName: "gke-pods", servicesRangeName: "gke-svc" };

describe("a new recovery network", () => {
  const synth = synthNetwork(NEW);

  it("is a custom-mode VPC with one subnet in the recovery region carrying GKE's pod and service ranges", () => {
    expect(synth.resource("google_compute_network")).toMatchObject({ name: "medplum-dr-vpc", auto_create_subnetworks: false });
    expect(synth.resource("google_compute_subnetwork")).toMatchObject({
      region: "us-west1",
      ip_cidr_range: "10.50.0.0/20",
      private_ip_google_access: true,
      secondary_ip_range: [
        { range_name: "pods", ip_cidr_range: "10.52.0.0/17" },
        { range_name: "services", ip_cidr_range: "10.54.0.0/20" },
      ],
    });
  });

  it("reserves a private services range and peers it with Service Networking, for Cloud SQL and Memorystore", () => {
    expect(synth.resource("google_compute_global_address")).toMatchObject({ purpose: "VPC_PEERING", address_type: "INTERNAL", prefix_length: 16 });
    const connection = synth.resource("google_service_networking_connection");
    expect(connection.service).toBe("servicenetworking.googleapis.com");
    expect(connection.reserved_peering_ranges).toEqual([expect.stringMatching(/^\$\{google_compute_global_address\.[A-Za-z0-9_]+\.name\}$/)]);
    expect(synth.value.privateServicesReady).toHaveLength(1);
  });

  it("gives private nodes egress through Cloud Router and Cloud NAT", () => {
    expect(synth.resource("google_compute_router").region).toBe("us-west1");
    expect(synth.resource("google_compute_router_nat")).toMatchObject({
      nat_ip_allocate_option: "AUTO_ONLY",
      source_subnetwork_ip_ranges_to_nat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
    });
  });
});

describe("an existing network named in config", () => {
  it("creates no network or subnet and hands the other steps their full resource names", () => {
    const synth = synthNetwork({ ...EXISTING, privateServicesRangeName: "shared-psa", createNat: false });
    expect(synth.resources("google_compute_network")).toEqual([]);
    expect(synth.resources("google_compute_subnetwork")).toEqual([]);
    expect(synth.resources("google_service_networking_connection")).toEqual([]);
    expect(synth.resources("google_compute_router_nat")).toEqual([]);
    expect(synth.value).toEqual({
      networkId: "projects/acme-medplum-dr/global/networks/shared",
      subnetworkId: "projects/acme-medplum-dr/regions/us-west1/subnetworks/shared-usw1",
      podsRangeName: "gke-pods",
      servicesRangeName: "gke-svc",
      privateServicesRangeName: "shared-psa",
      privateServicesReady: [],
    });
  });

  it("adds private services access and NAT when the network has neither", () => {
    const synth = synthNetwork(EXISTING);
    expect(synth.resource("google_compute_global_address").network).toBe("projects/acme-medplum-dr/global/networks/shared");
    expect(synth.resources("google_service_networking_connection")).toHaveLength(1);
    expect(synth.resources("google_compute_router_nat")).toHaveLength(1);
  });
});
