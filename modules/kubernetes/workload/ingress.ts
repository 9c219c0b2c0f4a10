/**
 * The Ingress for Medplum's API host, always with TLS. Three ways to get a certificate, chosen by the caller:
 * cert-manager issues one into a Secret; an existing TLS Secret; or the cloud's own certificates named by annotations
 * (GKE `ingress.gcp.kubernetes.io/pre-shared-cert` or `networking.gke.io/managed-certificates`, AGIC
 * `appgw.ingress.kubernetes.io/appgw-ssl-certificate`...). external-dns annotations are added when asked for, so a
 * DNS controller in the cluster switches the record itself, provided it owns the record (facts/external-dns.ts).
 */
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { Fn, type ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";
import { EXPECTED_OWNER_ANNOTATION, EXTERNAL_DNS_HOSTNAME_ANNOTATION, EXTERNAL_DNS_TTL_ANNOTATION } from "../../../facts/external-dns";
import { SERVER_NAME } from "./labels";
import { SERVICE_PORT } from "./service";

export type IngressTls =
  /** cert-manager issues the certificate into `<server>-tls` from this issuer. */
  | { readonly mode: "cert-manager"; readonly issuerName: string /** @default "ClusterIssuer" */; readonly issuerKind?: "ClusterIssuer" | "Issuer" }
  /** A `kubernetes.io/tls` Secret that already exists in the namespace. */
  | { readonly mode: "existing-secret"; readonly secretName: string }
  /** The cloud load balancer terminates TLS with a certificate named by these annotations; no `spec.tls` is written. */
  | { readonly mode: "cloud-managed"; readonly annotations: Readonly<Record<string, string>> };

export interface ExternalDnsOptions {
  /** TTL of the record external-dns writes; short, because this record is what a recovery switches. @default 60 */
  readonly ttlSeconds?: number;
  /**
   * The `--txt-owner-id` the cluster's external-dns runs with. external-dns reads no per-object owner, so this only
   * documents the expectation: an annotation for the operator and the plan report (facts/external-dns.ts).
   * @default - not stated
   */
  readonly txtOwnerId?: string;
}

export interface WorkloadIngressOptions {
  /**
   * `spec.ingressClassName`, e.g. `nginx`, `azure-application-gateway`, `webapprouting.kubernetes.azure.com`.
   * @default - none: for controllers that read the class from an annotation instead (GKE's `kubernetes.io/ingress.class: gce`)
   */
  readonly className?: string;
  readonly tls: IngressTls;
  /** Annotate the Ingress for external-dns. @default - no external-dns annotations */
  readonly externalDns?: ExternalDnsOptions;
  /** Further annotations, e.g. HTTPS-only or body-size settings of the ingress controller. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * Wait for the controller to publish an address; the `entry_point` output reads it.
   * @default true
   */
  readonly waitForLoadBalancer?: boolean;
}

export interface WorkloadIngressProps extends WorkloadIngressOptions {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly hostname: string;
  readonly serviceName: string;
  /** Created only after these: the ingress's address is what DNS switches to, so it must not exist before servers do. */
  readonly dependsOn: readonly ITerraformDependable[];
}

export const DEFAULT_EXTERNAL_DNS_TTL_SECONDS = 60;

export function ingressAnnotations(props: Pick<WorkloadIngressProps, "tls" | "externalDns" | "annotations" | "hostname">): Record<string, string> {
  const annotations: Record<string, string> = { ...(props.annotations ?? {}) };
  if (props.tls.mode === "cert-manager") {
    const kind = props.tls.issuerKind ?? "ClusterIssuer";
    annotations[kind === "ClusterIssuer" ? "cert-manager.io/cluster-issuer" : "cert-manager.io/issuer"] = props.tls.issuerName;
  } else if (props.tls.mode === "cloud-managed") {
    Object.assign(annotations, props.tls.annotations);
  }
  if (props.externalDns !== undefined) {
    annotations[EXTERNAL_DNS_HOSTNAME_ANNOTATION] = props.hostname;
    annotations[EXTERNAL_DNS_TTL_ANNOTATION] = String(props.externalDns.ttlSeconds ?? DEFAULT_EXTERNAL_DNS_TTL_SECONDS);
    if (props.externalDns.txtOwnerId !== undefined) annotations[EXPECTED_OWNER_ANNOTATION] = props.externalDns.txtOwnerId;
  }
  return annotations;
}

export function createIngress(scope: Construct, props: WorkloadIngressProps): IngressV1 {
  const tlsSecretName = props.tls.mode === "cert-manager" ? `${SERVER_NAME}-tls` : props.tls.mode === "existing-secret" ? props.tls.secretName : undefined;
  return new IngressV1(scope, "ingress", {
    metadata: { name: SERVER_NAME, namespace: props.namespace, labels: { ...props.labels }, annotations: ingressAnnotations(props) },
    waitForLoadBalancer: props.waitForLoadBalancer ?? true,
    dependsOn: [...props.dependsOn],
    spec: {
      ...(props.className !== undefined ? { ingressClassName: props.className } : {}),
      ...(tlsSecretName !== undefined ? { tls: [{ hosts: [props.hostname], secretName: tlsSecretName }] } : {}),
      rule: [
        {
          host: props.hostname,
          http: {
            path: [{ path: "/", pathType: "Prefix", backend: { service: { name: props.serviceName, port: { number: SERVICE_PORT } } } }],
          },
        },
      ],
    },
  });
}

/** The address the ingress controller published: a host name (e.g. AWS) or an IP (GKE, most others). */
export function ingressAddress(ingress: IngressV1): string {
  const published = ingress.status.get(0).loadBalancer.get(0).ingress.get(0);
  return Fn.coalesce([published.hostname, published.ip]);
}
