import { EXTERNAL_DNS_HOSTNAME_ANNOTATION, EXTERNAL_DNS_TTL_ANNOTATION } from "../../facts/external-dns";
import { at, isObject, isReference, literalNumber } from "../json";
import { CANNOT_TELL, COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";
import { MAX_CUTOVER_TTL_SECONDS } from "../../facts/dns";

/**
 * The records external-dns makes from an annotated Ingress or Service have a short TTL, like the ones Terraform makes
 * (DnsRecordTtl): without the ttl annotation external-dns leaves the TTL to its provider's default, which this stack
 * does not bound, and clients keep the lost environment's answer for that long after the switch.
 */
export const ExternalDnsTtl: PolicyRule = {
  id: "ExternalDnsTtl",
  description: `Objects external-dns publishes (the hostname annotation) carry a ttl annotation of at most ${MAX_CUTOVER_TTL_SECONDS} seconds.`,
  severity: "warning",
  appliesTo: ["kubernetes_ingress_v1", "kubernetes_ingress", "kubernetes_service_v1", "kubernetes_service"],
  check: ({ body }) => {
    const annotations = at(body, "metadata", "annotations");
    if (!isObject(annotations) || annotations[EXTERNAL_DNS_HOSTNAME_ANNOTATION] === undefined) return NOT_APPLICABLE;
    const ttl = annotations[EXTERNAL_DNS_TTL_ANNOTATION];
    if (isReference(ttl)) return CANNOT_TELL;
    const seconds = literalNumber(ttl);
    if (seconds !== undefined && seconds > 0 && seconds <= MAX_CUTOVER_TTL_SECONDS) return COMPLIANT;
    return nonCompliant(
      `${ttl === undefined ? `no ${EXTERNAL_DNS_TTL_ANNOTATION} annotation (the record gets the DNS provider's default TTL)` : `${EXTERNAL_DNS_TTL_ANNOTATION} is ${String(ttl)}`}; ` +
        `set it to "${MAX_CUTOVER_TTL_SECONDS}" or less so clients follow the switch within a minute`,
    );
  },
};
