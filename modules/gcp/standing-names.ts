/**
 * The names of what a GCP recovery stands on, shared by recovery-gcp (which creates them in backup-restore, or adopts
 * them by name in pilot-light and warm-standby) and standby-gcp (which creates them for those tiers). One place, so the
 * two stacks cannot drift apart: the recovery finds what standby built by these names, never through its state.
 */

/** Names of the subnet's secondary ranges for GKE pods and services. */
export const PODS_RANGE_NAME = "pods";
export const SERVICES_RANGE_NAME = "services";

export interface GcpStandingNames {
  readonly network: string;
  readonly subnetwork: string;
  readonly podsRange: string;
  readonly servicesRange: string;
  /** The global address (purpose VPC_PEERING) private services access takes its range from. */
  readonly privateServicesRange: string;
  readonly router: string;
  readonly nat: string;
  readonly cluster: string;
  /** The Certificate Manager map standby-gcp issues the api host's certificate into (`tls.mode: certificate-map`). */
  readonly certificateMap: string;
}

/** Every name derives from the environment (`namePrefix`), as the recovery's always have. */
export function gcpStandingNames(namePrefix: string): GcpStandingNames {
  return {
    network: `${namePrefix}-vpc`,
    subnetwork: `${namePrefix}-gke`,
    podsRange: PODS_RANGE_NAME,
    servicesRange: SERVICES_RANGE_NAME,
    privateServicesRange: `${namePrefix}-private-services`,
    router: `${namePrefix}-router`,
    nat: `${namePrefix}-nat`,
    cluster: `${namePrefix}-gke`,
    certificateMap: `${namePrefix}-api`,
  };
}
