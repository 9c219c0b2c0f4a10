/**
 * `tls.mode: certificate-map`: the servers behind a GKE Gateway (class `gke-l7-global-external-managed`, a global
 * external Application Load Balancer) that attaches a Certificate Manager certificate map with the
 * `networking.gke.io/certmap` annotation. GKE Ingress attaches Compute Engine certificates only
 * (kubernetes/ingress-gce#1692); the map holds a certificate issued in peacetime with DNS authorization, so HTTPS
 * works the moment DNS switches (https://cloud.google.com/kubernetes-engine/docs/how-to/secure-gateway).
 *
 * The Gateway, its HTTPRoute and GKE's policies are custom resources: `kubernetes_manifest` is the kubernetes
 * provider's typed resource for them, and it reads the cluster's API (the CRDs' schemas) at plan time. The plan
 * therefore needs the cluster running: standing in pilot-light and warm-standby, created by the runbook's first,
 * targeted apply in backup-restore (docs/targets/gcp.md). Field names follow the CRDs: Gateway and HTTPRoute in
 * kubernetes-sigs/gateway-api (apis/v1), HealthCheckPolicy and GCPGatewayPolicy in GoogleCloudPlatform/gke-gateway-api
 * (apis/networking/v1).
 *
 * - The Gateway takes the reserved global address by name (`NamedAddress`), so the DNS record can point at it before
 *   the controller has finished, and listens on 443 only: no plain HTTP front end, as with the Ingress's
 *   `allow-http: "false"`.
 * - A GCPGatewayPolicy attaches the SSL policy load-balancer.ts creates (TLS 1.2+, MODERN): what the Ingress needs a
 *   FrontendConfig and a second apply for.
 * - A HealthCheckPolicy checks Medplum's `/healthcheck` on the serving port: without it the controller checks `/`.
 * - Terraform waits until the Gateway is `Programmed`, so the DNS switch waits for a load balancer that exists.
 * - The plan reads the map and the project's certificates, and fails unless one that is issued covers the api host:
 *   a certificate still provisioning would leave the switched host without valid HTTPS.
 */
import { DataGoogleCertificateManagerCertificateMap } from "@cdktf/provider-google/lib/data-google-certificate-manager-certificate-map";
import { DataGoogleCertificateManagerCertificates } from "@cdktf/provider-google/lib/data-google-certificate-manager-certificates";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { GcpTargetConfig } from "../../config/schema";
import { HEALTHCHECK_PATH, SERVER_NAME, SERVER_PORT } from "../kubernetes/workload/labels";

/** Google's global external Application Load Balancer (the Envoy-based one); single cluster. */
export const GATEWAY_CLASS = "gke-l7-global-external-managed";
export const CERTIFICATE_MAP_ANNOTATION = "networking.gke.io/certmap";
const GATEWAY_API = "gateway.networking.k8s.io/v1";
const GKE_POLICY_API = "networking.gke.io/v1";
const HTTPS_LISTENER = "https";
/** How long Terraform waits for the controller to program the load balancer. */
export const GATEWAY_PROGRAMMED_TIMEOUT = "30m";

/** `tls.mode: certificate-map` routes through the Gateway API, which the cluster must then serve. */
export function usesGateway(gcp: Pick<GcpTargetConfig, "tls">): boolean {
  return gcp.tls.mode === "certificate-map";
}

export interface GcpGatewayProps {
  readonly project: string;
  /** The namespace the servers run in (a literal: `kubernetes_manifest` needs its metadata known at plan time). */
  readonly namespace: string;
  readonly hostname: string;
  readonly mapName: string;
  /** The reserved global address's name (`google_compute_global_address.name`). */
  readonly addressName: string;
  /** The SSL policy's name (`google_compute_ssl_policy.name`). */
  readonly sslPolicyName: string;
  readonly labels: Readonly<Record<string, string>>;
  /** What must exist first: the Service (in its namespace) the route and the health check name. */
  readonly dependsOn: readonly ITerraformDependable[];
}

export class GcpGateway extends Construct {
  readonly gateway: Manifest;
  readonly route: Manifest;
  readonly certificateMap: DataGoogleCertificateManagerCertificateMap;

  constructor(scope: Construct, id: string, props: GcpGatewayProps) {
    super(scope, id);
    const { namespace, hostname } = props;
    this.certificateMap = new DataGoogleCertificateManagerCertificateMap(this, "certificateMap", { project: props.project, name: props.mapName });
    const wildcard = `*.${hostname.split(".").slice(1).join(".")}`;
    new DataGoogleCertificateManagerCertificates(this, "certificates", {
      lifecycle: {
        postcondition: [
          {
            condition: `\${anytrue([for certificate in self.certificates : contains(certificate.san_dnsnames, "${hostname}") || contains(certificate.san_dnsnames, "${wildcard}")])}`,
            errorMessage: `no issued Certificate Manager certificate in ${props.project} covers ${hostname} (map ${props.mapName}); check gcloud certificate-manager certificates list --project ${props.project}, or recover with targets.gcp.tls.mode pre-shared or google-managed`,
          },
        ],
      },
    });

    const metadata = (name: string, annotations: Record<string, string> = {}) => ({
      name,
      namespace,
      labels: { ...props.labels },
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    });
    this.gateway = new Manifest(this, "gateway", {
      manifest: {
        apiVersion: GATEWAY_API,
        kind: "Gateway",
        metadata: metadata(SERVER_NAME, { [CERTIFICATE_MAP_ANNOTATION]: props.mapName }),
        spec: {
          gatewayClassName: GATEWAY_CLASS,
          listeners: [{ name: HTTPS_LISTENER, protocol: "HTTPS", port: 443, hostname, allowedRoutes: { namespaces: { from: "Same" } } }],
          addresses: [{ type: "NamedAddress", value: props.addressName }],
        },
      },
      wait: { condition: [{ type: "Programmed", status: "True" }] },
      timeouts: { create: GATEWAY_PROGRAMMED_TIMEOUT, update: GATEWAY_PROGRAMMED_TIMEOUT },
      // The map's existence is checked before any of this is created.
      dependsOn: [...props.dependsOn, this.certificateMap],
    });
    this.route = new Manifest(this, "route", {
      manifest: {
        apiVersion: GATEWAY_API,
        kind: "HTTPRoute",
        metadata: metadata(SERVER_NAME),
        spec: {
          parentRefs: [{ name: SERVER_NAME, sectionName: HTTPS_LISTENER }],
          hostnames: [hostname],
          rules: [{ backendRefs: [{ name: SERVER_NAME, port: SERVER_PORT }] }],
        },
      },
      dependsOn: [this.gateway],
    });
    new Manifest(this, "healthCheck", {
      manifest: {
        apiVersion: GKE_POLICY_API,
        kind: "HealthCheckPolicy",
        metadata: metadata(SERVER_NAME),
        spec: {
          // The port is the serving port (the default): the CRD refuses a port unless portSpecification is USE_FIXED_PORT.
          default: { config: { type: "HTTP", httpHealthCheck: { requestPath: HEALTHCHECK_PATH } } },
          targetRef: { group: "", kind: "Service", name: SERVER_NAME },
        },
      },
      dependsOn: [...props.dependsOn],
    });
    new Manifest(this, "gatewayPolicy", {
      manifest: {
        apiVersion: GKE_POLICY_API,
        kind: "GCPGatewayPolicy",
        metadata: metadata(SERVER_NAME),
        spec: {
          default: { sslPolicy: props.sslPolicyName },
          targetRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: SERVER_NAME },
        },
      },
      dependsOn: [...props.dependsOn],
    });
  }
}
