import { anyReference, at, blocks, block, isReference, isSet, isTrue, literalString } from "../json";
import { CANNOT_TELL, COMPLIANT, nonCompliant, NOT_APPLICABLE, type JsonObject, type PolicyRule, type RuleResult } from "../types";

/** Annotations by which a cloud ingress controller terminates TLS with the cloud's own certificate (no `spec.tls`). */
const CLOUD_CERTIFICATE_ANNOTATIONS = [
  "ingress.gcp.kubernetes.io/pre-shared-cert",
  "networking.gke.io/managed-certificates",
  "appgw.ingress.kubernetes.io/appgw-ssl-certificate",
  "alb.ingress.kubernetes.io/certificate-arn",
];

/**
 * An ingress serves HTTPS (a `spec.tls` block or a cloud certificate annotation) and no plain HTTP: ingress-nginx
 * redirects by default once TLS is set; GKE serves HTTP unless `allow-http` is "false" (or a FrontendConfig
 * redirects); the Application Gateway controller only redirects when asked to. A value given by reference (a
 * Google-managed certificate's name, say) is present; where the rule needs its literal content it cannot tell.
 */
function ingressHttpsOnly(body: JsonObject): RuleResult {
  const metadata = block(body.metadata);
  if (isReference(metadata?.annotations)) return CANNOT_TELL;
  const annotations = block(metadata?.annotations) ?? {};
  const annotation = (name: string) => literalString(annotations[name]);
  const given = (name: string) => isSet(annotations[name]);
  const spec = block(body.spec);
  const classValues = [spec?.ingress_class_name, annotations["kubernetes.io/ingress.class"]];
  const className = literalString(spec?.ingress_class_name) || annotation("kubernetes.io/ingress.class") || "";
  const cloudCertificate = CLOUD_CERTIFICATE_ANNOTATIONS.some(given);
  if (blocks(spec?.tls).length === 0 && !isReference(spec?.tls) && !cloudCertificate) {
    return nonCompliant(
      "has neither spec.tls nor a cloud certificate annotation; add a tls block (hosts and secret_name) or the controller's certificate annotation",
    );
  }
  if (annotation("nginx.ingress.kubernetes.io/ssl-redirect") === "false") {
    return nonCompliant('nginx.ingress.kubernetes.io/ssl-redirect is "false"; remove it so HTTP redirects to HTTPS');
  }
  // Which controller serves it decides whether plain HTTP is served.
  if (className === "" && anyReference(...classValues)) return CANNOT_TELL;
  if (className.startsWith("gce") && annotation("kubernetes.io/ingress.allow-http") !== "false" && !given("networking.gke.io/v1beta1.FrontendConfig")) {
    if (isReference(annotations["kubernetes.io/ingress.allow-http"])) return CANNOT_TELL;
    return nonCompliant('is a GKE ingress that also serves plain HTTP; annotate kubernetes.io/ingress.allow-http: "false" (or redirect with a FrontendConfig)');
  }
  if (
    (className === "azure-application-gateway" || className === "azure/application-gateway") &&
    annotation("appgw.ingress.kubernetes.io/ssl-redirect") !== "true"
  ) {
    if (isReference(annotations["appgw.ingress.kubernetes.io/ssl-redirect"])) return CANNOT_TELL;
    return nonCompliant('is an Application Gateway ingress that also serves plain HTTP; annotate appgw.ingress.kubernetes.io/ssl-redirect: "true"');
  }
  return COMPLIANT;
}

/** The Gateway API's Gateway (kubernetes-sigs/gateway-api, apis/v1) through `kubernetes_manifest`; other manifests do not apply. */
function gatewayHttpsOnly(body: JsonObject): RuleResult {
  const manifest = block(body.manifest);
  if (manifest === undefined) return isReference(body.manifest) ? CANNOT_TELL : NOT_APPLICABLE;
  const apiVersion = literalString(manifest.apiVersion);
  const kind = literalString(manifest.kind);
  if (apiVersion === undefined || kind === undefined) return anyReference(manifest.apiVersion, manifest.kind) ? CANNOT_TELL : NOT_APPLICABLE;
  if (kind !== "Gateway" || !apiVersion.startsWith("gateway.networking.k8s.io/")) return NOT_APPLICABLE;
  const annotations = block(at(manifest, "metadata", "annotations")) ?? {};
  const listeners = at(manifest, "spec", "listeners");
  if (isReference(listeners)) return CANNOT_TELL;
  for (const listener of blocks(listeners)) {
    const name = literalString(listener.name) ?? "(unnamed)";
    if (isReference(listener.protocol)) return CANNOT_TELL;
    const protocol = literalString(listener.protocol);
    if (protocol === "HTTP") {
      return nonCompliant(
        `listener ${name} serves plain HTTP; listen on HTTPS only, or suppress this finding naming the HTTPRoute that only redirects it to HTTPS`,
      );
    }
    const tls = block(listener.tls);
    const certificate =
      isSet(tls?.certificateRefs) ||
      isSet(tls?.options) ||
      isSet(annotations["networking.gke.io/certmap"]) ||
      isSet(annotations["networking.gke.io/pre-shared-certs"]);
    if (protocol === "HTTPS" && !certificate) {
      return nonCompliant(`listener ${name} is HTTPS without a certificate; add tls.certificateRefs, or on GKE the networking.gke.io/certmap annotation`);
    }
  }
  return COMPLIANT;
}

/** Users reach Medplum over HTTPS only: plain HTTP listeners exist only to redirect to HTTPS. */
export const LoadBalancerHttpsOnly: PolicyRule = {
  id: "LoadBalancerHttpsOnly",
  description: "Load balancers and ingresses serve HTTPS only; HTTP only redirects to HTTPS.",
  severity: "error",
  appliesTo: ["aws_lb_listener", "aws_alb_listener", "google_compute_target_http_proxy", "kubernetes_ingress_v1", "kubernetes_ingress", "kubernetes_manifest"],
  check: ({ type, body }, stack) => {
    switch (type) {
      case "aws_lb_listener":
      case "aws_alb_listener": {
        if (isReference(body.protocol)) return CANNOT_TELL;
        const protocol = literalString(body.protocol) ?? "HTTP";
        if (protocol === "HTTPS" || protocol === "TLS") return COMPLIANT;
        if (protocol !== "HTTP") return NOT_APPLICABLE; // TCP/UDP pass-through: TLS, if any, ends at the target.
        const actions = blocks(body.default_action);
        const redirectsToHttps = (action: JsonObject) => action.type === "redirect" && literalString(at(action, "redirect", "protocol")) === "HTTPS";
        const unknown = (action: JsonObject) => anyReference(action.type, at(action, "redirect", "protocol"));
        if (actions.length > 0 && actions.every(redirectsToHttps)) return COMPLIANT;
        if (!actions.some((action) => !unknown(action) && !redirectsToHttps(action)) && (isReference(body.default_action) || actions.some(unknown)))
          return CANNOT_TELL;
        return nonCompliant(
          `protocol is HTTP${body.protocol === undefined ? " (the default)" : ""} and the default action is not a redirect to HTTPS; serve HTTPS, or redirect with protocol = "HTTPS", status_code = "HTTP_301"`,
        );
      }
      case "google_compute_target_http_proxy": {
        const urlMap = stack.referenced(body.url_map);
        const redirect = urlMap === undefined ? undefined : at(urlMap.body, "default_url_redirect", "https_redirect");
        if (isTrue(redirect)) return COMPLIANT;
        // A url map from outside the stack (a data source, another state) or a redirect flag given by reference.
        if (isReference(redirect) || (urlMap === undefined && isReference(body.url_map))) return CANNOT_TELL;
        return nonCompliant(
          "url_map does not point at a google_compute_url_map with default_url_redirect.https_redirect = true; an HTTP proxy may only redirect to HTTPS",
        );
      }
      case "kubernetes_ingress_v1":
      case "kubernetes_ingress":
        return ingressHttpsOnly(body);
      case "kubernetes_manifest":
        return gatewayHttpsOnly(body);
      default:
        return NOT_APPLICABLE;
    }
  },
};
