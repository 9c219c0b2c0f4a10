/**
 * A Certificate Manager certificate for the api host, issued in peacetime with DNS authorization
 * (https://cloud.google.com/certificate-manager/docs/dns-authorizations): Google validates the CNAME standby-gcp
 * writes into `targets.gcp.dns.managedZone`, not the load balancer the api host points at, so the certificate is
 * ACTIVE before the day and the recovery does not wait 15 minutes to hours for a Google-managed one after the switch.
 * It sits in a certificate map with an entry for the host, the form an external Application Load Balancer's target
 * proxy attaches. GKE Ingress attaches only Compute Engine SSL certificates (kubernetes/ingress-gce#1692), so the
 * recovery attaches the map through the Gateway API with `tls.mode: certificate-map` (../gateway.ts).
 */
import { CertificateManagerCertificate } from "@cdktf/provider-google/lib/certificate-manager-certificate";
import { CertificateManagerCertificateMap } from "@cdktf/provider-google/lib/certificate-manager-certificate-map";
import { CertificateManagerCertificateMapEntry } from "@cdktf/provider-google/lib/certificate-manager-certificate-map-entry";
import { CertificateManagerDnsAuthorization } from "@cdktf/provider-google/lib/certificate-manager-dns-authorization";
import { DnsRecordSet } from "@cdktf/provider-google/lib/dns-record-set";
import type { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { Construct } from "constructs";
import type { IssuedCertificate } from "../../standby-contracts";
import { gcpStandingNames } from "../standing-names";

export interface StandbyCertificateProps {
  readonly recovery: GoogleProvider;
  readonly project: string;
  readonly namePrefix: string;
  readonly hostname: string;
  /** The Cloud DNS managed zone (name) holding the api host, in the recovery project. */
  readonly managedZone: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** Certificate Manager's DNS authorization record: a CNAME the authorization keeps for renewals. */
export const DNS_AUTHORIZATION_TTL_SECONDS = 300;

export class StandbyCertificate extends Construct {
  readonly map: CertificateManagerCertificateMap;
  readonly certificate: IssuedCertificate;

  constructor(scope: Construct, id: string, props: StandbyCertificateProps) {
    super(scope, id);
    const { recovery, project } = props;
    const authorization = new CertificateManagerDnsAuthorization(this, "authorization", {
      provider: recovery,
      project,
      name: `${props.namePrefix}-api`,
      domain: props.hostname,
      labels: { ...props.labels },
    });
    const record = authorization.dnsResourceRecord.get(0);
    const validation = new DnsRecordSet(this, "authorizationRecord", {
      provider: recovery,
      project,
      managedZone: props.managedZone,
      name: record.name,
      type: record.type,
      ttl: DNS_AUTHORIZATION_TTL_SECONDS,
      rrdatas: [record.data],
    });
    const certificate = new CertificateManagerCertificate(this, "certificate", {
      provider: recovery,
      project,
      name: `${props.namePrefix}-api`,
      managed: { domains: [props.hostname], dnsAuthorizations: [authorization.id] },
      labels: { ...props.labels },
      dependsOn: [validation],
    });
    this.map = new CertificateManagerCertificateMap(this, "map", {
      provider: recovery,
      project,
      name: gcpStandingNames(props.namePrefix).certificateMap,
      labels: { ...props.labels },
    });
    new CertificateManagerCertificateMapEntry(this, "entry", {
      provider: recovery,
      project,
      name: `${props.namePrefix}-api`,
      map: this.map.name,
      hostname: props.hostname,
      certificates: [certificate.id],
      labels: { ...props.labels },
    });
    this.certificate = { hostname: props.hostname, certificateId: certificate.id };
  }
}
