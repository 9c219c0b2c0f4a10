import { anyReference, isReference, isSet, literalString } from "../json";
import { CANNOT_TELL, COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** ELB policies that allow nothing older than TLS 1.2 (the TLS 1.3 policies, the TLS-1-2 and the forward-secrecy FS-1-2 ones). */
const MODERN_ELB_POLICY = /TLS13|TLS-1-2|FS-1-2/;

/** HTTPS endpoints refuse TLS 1.0 and 1.1. */
export const LoadBalancerModernTls: PolicyRule = {
  id: "LoadBalancerModernTls",
  description: "HTTPS endpoints use a TLS policy that allows TLS 1.2 or newer only.",
  severity: "error",
  appliesTo: ["aws_lb_listener", "aws_alb_listener", "google_compute_target_https_proxy", "google_compute_ssl_policy"],
  check: ({ type, body }) => {
    switch (type) {
      case "aws_lb_listener":
      case "aws_alb_listener": {
        const protocol = literalString(body.protocol);
        if (protocol !== "HTTPS" && protocol !== "TLS") return NOT_APPLICABLE;
        if (isReference(body.ssl_policy)) return CANNOT_TELL;
        const policy = literalString(body.ssl_policy);
        return policy !== undefined && MODERN_ELB_POLICY.test(policy)
          ? COMPLIANT
          : nonCompliant(
              `ssl_policy is ${policy ?? "not set (defaults to ELBSecurityPolicy-2016-08, which allows TLS 1.0)"}; use ELBSecurityPolicy-TLS13-1-2-2021-06`,
            );
      }
      case "google_compute_target_https_proxy":
        return isSet(body.ssl_policy)
          ? COMPLIANT
          : nonCompliant(
              "ssl_policy is not set, so Google's default policy (TLS 1.0, COMPATIBLE) applies; attach a google_compute_ssl_policy with min_tls_version TLS_1_2",
            );
      case "google_compute_ssl_policy": {
        const minimum = literalString(body.min_tls_version) ?? "TLS_1_0";
        const profile = literalString(body.profile) ?? "COMPATIBLE";
        if (!isReference(body.min_tls_version) && minimum !== "TLS_1_2" && minimum !== "TLS_1_3") {
          return nonCompliant(`min_tls_version is ${minimum}${body.min_tls_version === undefined ? " (the default)" : ""}; set it to TLS_1_2`);
        }
        if (!isReference(body.profile) && profile === "COMPATIBLE")
          return nonCompliant("profile is COMPATIBLE, which keeps weak cipher suites; use MODERN or RESTRICTED");
        return anyReference(body.min_tls_version, body.profile) ? CANNOT_TELL : COMPLIANT;
      }
      default:
        return NOT_APPLICABLE;
    }
  },
};
