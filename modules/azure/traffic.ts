/**
 * The switch that sends users to the recovered environment, on the api host in an Azure DNS zone from config:
 *   - `cut-over`: an A record straight at the ingress address;
 *   - `traffic-manager`: a Traffic Manager profile with Priority routing and an HTTPS monitor on /healthcheck (the
 *     primary environment first when named, the recovery next), and the api host a CNAME to the profile.
 * The TTL is at most 60 seconds (checked in config): resolvers keep the old answer that long.
 *
 * In a real disaster the api record exists already (the primary's), and azurerm refuses to create a record that exists
 * ("a resource with the ID ... already exists - to be managed via Terraform this resource needs to be imported into
 * the State": tf.ImportAsExistsError on the create path of internal/services/dns/dns_a_record_resource.go and
 * dns_cname_record_resource.go in azurerm 4.55.0). So by default the
 * record is adopted with an import block and then updated in place (records, record and ttl are not ForceNew).
 */
import { DnsARecord } from "@cdktf/provider-azurerm/lib/dns-a-record";
import { DnsCnameRecord } from "@cdktf/provider-azurerm/lib/dns-cname-record";
import { TrafficManagerExternalEndpoint } from "@cdktf/provider-azurerm/lib/traffic-manager-external-endpoint";
import { TrafficManagerProfile } from "@cdktf/provider-azurerm/lib/traffic-manager-profile";
import { Construct } from "constructs";
import type { AzureTargetConfig } from "../../config/schema";
import type { TrafficSwitch } from "../contracts";
import { suppressPolicy } from "../../policy/engine";

export const HEALTHCHECK_PATH = "/healthcheck";

export type DnsRecordType = "A" | "CNAME";

/**
 * The id azurerm gives a record set and parses on import (case-sensitively):
 * `/subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.Network/dnsZones/<zone>/<A|CNAME>/<name>`, the format of
 * RecordTypeId in go-azure-sdk resource-manager/dns/2018-05-01/recordsets/id_recordtype.go (vendored by azurerm 4.55.0).
 */
export function dnsRecordId(parts: { subscriptionId: string; resourceGroupName: string; zoneName: string; type: DnsRecordType; name: string }): string {
  return `/subscriptions/${parts.subscriptionId}/resourceGroups/${parts.resourceGroupName}/providers/Microsoft.Network/dnsZones/${parts.zoneName}/${parts.type}/${parts.name}`;
}

export interface AzureTrafficProps {
  readonly dns: AzureTargetConfig["dns"];
  readonly apiHostname: string;
  readonly apiUrl: string;
  /** The ingress's public IP address. */
  readonly entryPointAddress: string;
  /** Where a Traffic Manager profile lives (the recovery resource group). */
  readonly resourceGroupName: string;
  /** The subscription of the provider, which is where azurerm looks for the DNS zone. */
  readonly subscriptionId: string;
  readonly tags: Readonly<Record<string, string>>;
}

export class AzureTraffic extends Construct {
  readonly traffic: TrafficSwitch;
  /** The Traffic Manager profile id, when one is used. */
  readonly profileId?: string;

  constructor(scope: Construct, id: string, props: AzureTrafficProps) {
    super(scope, id);
    const { dns } = props;
    const recordName = props.apiHostname.slice(0, -(dns.zoneName.length + 1));
    const zone = { zoneName: dns.zoneName, resourceGroupName: dns.zoneResourceGroupName, name: recordName, ttl: dns.ttlSeconds };

    const adopt = (record: DnsARecord | DnsCnameRecord, type: DnsRecordType) => {
      if (dns.adoptExistingRecord)
        record.importFrom(
          dnsRecordId({ subscriptionId: props.subscriptionId, resourceGroupName: dns.zoneResourceGroupName, zoneName: dns.zoneName, type, name: recordName }),
        );
      // The config records what the JSON cannot show: this record does not exist yet (a first deploy, a drill's zone).
      else suppressPolicy(record, "DnsRecordAdopted", "targets.azure.dns.adoptExistingRecord is false: the config says the record does not exist yet");
    };

    if (dns.routing.mode === "cut-over") {
      adopt(new DnsARecord(this, "api", { ...zone, records: [props.entryPointAddress], tags: { ...props.tags } }), "A");
      this.traffic = { apiUrl: props.apiUrl, routing: `Azure DNS A record ${props.apiHostname} -> ingress (TTL ${dns.ttlSeconds} s)` };
      return;
    }

    const routing = dns.routing;
    const profile = new TrafficManagerProfile(this, "profile", {
      name: routing.profileName,
      resourceGroupName: props.resourceGroupName,
      trafficRoutingMethod: "Priority",
      dnsConfig: { relativeName: routing.profileName, ttl: dns.ttlSeconds },
      monitorConfig: {
        protocol: "HTTPS",
        port: 443,
        path: HEALTHCHECK_PATH,
        expectedStatusCodeRanges: ["200-200"],
        intervalInSeconds: 30,
        timeoutInSeconds: 10,
        toleratedNumberOfFailures: 3,
        // The ingress routes by host name; the probe must ask for the api host, not the endpoint address.
        customHeader: [{ name: "host", value: props.apiHostname }],
      },
      tags: { ...props.tags },
    });
    this.profileId = profile.id;
    if (routing.primaryEndpoint !== undefined) {
      new TrafficManagerExternalEndpoint(this, "primary", { name: "primary", profileId: profile.id, target: routing.primaryEndpoint, priority: 1 });
    }
    new TrafficManagerExternalEndpoint(this, "recovery", {
      name: "recovery",
      profileId: profile.id,
      target: props.entryPointAddress,
      priority: routing.primaryEndpoint !== undefined ? 2 : 1,
    });
    adopt(new DnsCnameRecord(this, "api", { ...zone, record: profile.fqdn, tags: { ...props.tags } }), "CNAME");
    this.traffic = {
      apiUrl: props.apiUrl,
      routing: `Traffic Manager ${routing.profileName} (Priority, HTTPS monitor on ${HEALTHCHECK_PATH}); ${props.apiHostname} CNAME (TTL ${dns.ttlSeconds} s)`,
    };
  }
}
