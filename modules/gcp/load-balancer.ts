/**
 * The pieces of the global external HTTPS load balancer that Terraform owns; the GKE Ingress controller (class `gce`)
 * builds the rest (forwarding rule, target proxy, URL map, backends) from the Ingress annotations returned here, or,
 * with `tls.mode: certificate-map`, the GKE Gateway controller from the Gateway of gateway.ts.
 *
 * - A reserved global static IP, so the DNS record can point at the address before the controller finishes.
 * - HTTPS only (`kubernetes.io/ingress.allow-http: "false"`). The HTTP->HTTPS redirect and the SSL policy attach
 *   through a FrontendConfig, a custom resource that typed resources cannot create: the SSL policy (TLS 1.2+,
 *   MODERN) is created here, docs/targets/gcp.md gives the FrontendConfig to apply once the cluster exists, and
 *   `tls.frontendConfigName` then attaches it.
 * - The certificate: GKE Ingress attaches Compute Engine SSL certificates (`ingress.gcp.kubernetes.io/pre-shared-cert`),
 *   not Certificate Manager maps (only the Gateway API does). `pre-shared` names global certificates issued in
 *   peacetime, so HTTPS works the moment DNS switches; `google-managed` creates one here, which Google issues only
 *   after DNS points at this load balancer (15 minutes to hours of certificate errors after the switch).
 *   The controller looks pre-shared certificates up by name in the cluster's project, the recovery project, so a
 *   certificate that exists only in the primary's project is never attached. Each is read with a data source in the
 *   recovery project, which fails the plan ("projects/<p>/global/sslCertificates/<name> not found") before anything
 *   is created, instead of a load balancer without HTTPS after the switch.
 */
import { ComputeGlobalAddress } from "@cdktf/provider-google/lib/compute-global-address";
import { ComputeManagedSslCertificate } from "@cdktf/provider-google/lib/compute-managed-ssl-certificate";
import { ComputeSslPolicy } from "@cdktf/provider-google/lib/compute-ssl-policy";
import { DataGoogleComputeSslCertificate } from "@cdktf/provider-google/lib/data-google-compute-ssl-certificate";
import { Construct } from "constructs";
import type { GcpTargetConfig } from "../../config/schema";

export interface GcpLoadBalancerProps {
  readonly project: string;
  readonly namePrefix: string;
  readonly apiHostname: string;
  readonly tls: GcpTargetConfig["tls"];
  readonly labels: Readonly<Record<string, string>>;
}

export const GKE_INGRESS_CLASS = "gce";

export class GcpLoadBalancer extends Construct {
  readonly address: ComputeGlobalAddress;
  readonly sslPolicy: ComputeSslPolicy;
  readonly managedCertificate?: ComputeManagedSslCertificate;
  /** Annotations for the workload's Ingress; undefined with `certificate-map`, which routes through a Gateway. */
  readonly ingressAnnotations?: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: GcpLoadBalancerProps) {
    super(scope, id);
    this.address = new ComputeGlobalAddress(this, "address", {
      project: props.project,
      name: `${props.namePrefix}-api`,
      addressType: "EXTERNAL",
      ipVersion: "IPV4",
      labels: { ...props.labels },
    });
    this.sslPolicy = new ComputeSslPolicy(this, "sslPolicy", {
      project: props.project,
      name: `${props.namePrefix}-tls12-modern`,
      minTlsVersion: "TLS_1_2",
      profile: "MODERN",
    });

    const tls = props.tls;
    if (tls.mode === "certificate-map") return;
    let certificateNames: readonly string[];
    if (tls.mode === "pre-shared") {
      certificateNames = tls.certificateNames.map(
        (name) => new DataGoogleComputeSslCertificate(this, `preShared_${name.replace(/-/g, "_")}`, { project: props.project, name }).name,
      );
    } else {
      this.managedCertificate = new ComputeManagedSslCertificate(this, "certificate", {
        project: props.project,
        name: `${props.namePrefix}-api`,
        managed: { domains: [props.apiHostname] },
      });
      certificateNames = [this.managedCertificate.name];
    }

    this.ingressAnnotations = {
      "kubernetes.io/ingress.global-static-ip-name": this.address.name,
      "kubernetes.io/ingress.allow-http": "false",
      "ingress.gcp.kubernetes.io/pre-shared-cert": certificateNames.join(","),
      // Only once it exists: the controller does not build the load balancer for an Ingress naming a missing one.
      ...(tls.frontendConfigName !== undefined ? { "networking.gke.io/v1beta1.FrontendConfig": tls.frontendConfigName } : {}),
    };
  }
}
