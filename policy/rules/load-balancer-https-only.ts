import { at, blocks, block, isTrue, literalString } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** Users reach Medplum over HTTPS only: plain HTTP listeners exist only to redirect to HTTPS. */
export const LoadBalancerHttpsOnly: PolicyRule = {
  id: "LoadBalancerHttpsOnly",
  description: "Load balancers and ingresses serve HTTPS only; HTTP only redirects to HTTPS.",
  severity: "error",
  appliesTo: ["aws_lb_listener", "aws_alb_listener", "google_compute_target_http_proxy", "kubernetes_ingress_v1", "kubernetes_ingress"],
  check: ({ type, body }, stack) => {
    switch (type) {
      case "aws_lb_listener":
      case "aws_alb_listener": {
        const protocol = literalString(body.protocol) ?? "HTTP";
        if (protocol === "HTTPS" || protocol === "TLS") return COMPLIANT;
        if (protocol !== "HTTP") return NOT_APPLICABLE; // TCP/UDP pass-through: TLS, if any, ends at the target.
        const actions = blocks(body.default_action);
        const redirects = actions.length > 0 && actions.every((action) => action.type === "redirect" && literalString(at(action, "redirect", "protocol")) === "HTTPS");
        return redirects
          ? COMPLIANT
          : nonCompliant(`protocol is HTTP${body.protocol === undefined ? " (the default)" : ""} and the default action is not a redirect to HTTPS; serve HTTPS, or redirect with protocol = "HTTPS", status_code = "HTTP_301"`);
      }
      case "google_compute_target_http_proxy": {
        const urlMap = stack.referenced(body.url_map);
        return urlMap !== undefined && isTrue(at(urlMap.body, "default_url_redirect", "https_redirect"))
          ? COMPLIANT
          : nonCompliant("url_map does not point at a google_compute_url_map with default_url_redirect.https_redirect = true; an HTTP proxy may only redirect to HTTPS");
      }
      case "kubernetes_ingress_v1":
      case "kubernetes_ingress":
        return blocks(block(body.spec)?.tls).length > 0 ? COMPLIANT : nonCompliant("spec.tls is empty; add a tls block (hosts and secret_name) so the ingress terminates HTTPS");
      default:
        return NOT_APPLICABLE;
    }
  },
};
