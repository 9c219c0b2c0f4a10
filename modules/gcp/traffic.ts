/**
 * The DNS switch in Cloud DNS: the api host's A record, TTL at most 60 s.
 *   - `cut-over`: the record points at the recovery load balancer's reserved address.
 *   - `primary-backup`: a health-checked routing policy answers with the primary's address while its /healthcheck
 *     passes and with the recovery's once it fails, so traffic returns by itself when the primary is back.
 * The record waits for the servers (dependsOn): users are sent over only once the Deployment has rolled out.
 */
import { ComputeHealthCheck } from "@cdktf/provider-google/lib/compute-health-check";
import { DnsRecordSet } from "@cdktf/provider-google/lib/dns-record-set";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { GcpTargetConfig } from "../../config/schema";
import type { TrafficSwitch } from "../contracts";

export interface GcpTrafficProps {
  readonly project: string;
  readonly region: string;
  readonly namePrefix: string;
  readonly apiHostname: string;
  readonly apiUrl: string;
  readonly dns: GcpTargetConfig["dns"];
  /** The recovery load balancer's IPv4 address. */
  readonly entryPointAddress: string;
  /** What must be healthy before users are sent over. */
  readonly dependsOn: readonly ITerraformDependable[];
}

export class GcpTraffic extends Construct {
  readonly record: DnsRecordSet;
  readonly healthCheck?: ComputeHealthCheck;
  readonly value: TrafficSwitch;

  constructor(scope: Construct, id: string, props: GcpTrafficProps) {
    super(scope, id);
    const { dns } = props;
    const common = {
      project: props.project,
      managedZone: dns.managedZone,
      name: `${props.apiHostname}.`,
      type: "A",
      ttl: dns.ttlSeconds,
      dependsOn: [...props.dependsOn],
    };

    if (dns.routing.mode === "cut-over") {
      this.record = new DnsRecordSet(this, "api", { ...common, rrdatas: [props.entryPointAddress] });
      this.value = { apiUrl: props.apiUrl, routing: `Cloud DNS A record ${props.apiHostname} -> recovery load balancer (TTL ${dns.ttlSeconds}s)` };
      return;
    }

    // Cloud DNS health-checks external endpoints with a global health check probing from the named source regions.
    this.healthCheck = new ComputeHealthCheck(this, "primaryHealth", {
      project: props.project,
      name: `${props.namePrefix}-primary-api`,
      sourceRegions: [...dns.routing.healthCheckRegions],
      checkIntervalSec: 30,
      timeoutSec: 5,
      healthyThreshold: 2,
      unhealthyThreshold: 3,
      httpsHealthCheck: { port: 443, host: props.apiHostname, requestPath: "/healthcheck" },
    });
    this.record = new DnsRecordSet(this, "api", {
      ...common,
      routingPolicy: {
        healthCheck: this.healthCheck.id,
        primaryBackup: {
          primary: { externalEndpoints: [...dns.routing.primaryAddresses] },
          backupGeo: [{ location: props.region, rrdatas: [props.entryPointAddress] }],
          trickleRatio: 0,
        },
      },
    });
    this.value = {
      apiUrl: props.apiUrl,
      routing: `Cloud DNS primary-backup ${props.apiHostname}: primary while /healthcheck passes, else recovery load balancer (TTL ${dns.ttlSeconds}s)`,
    };
  }
}
