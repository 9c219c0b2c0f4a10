import { block, isReference, literalNumber, literalString } from "../json";
import { CANNOT_TELL, COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";
import { MAX_CUTOVER_TTL_SECONDS } from "../../facts/dns";

const ADDRESS_TYPES = ["A", "AAAA", "CNAME"];

/**
 * Records users resolve to reach Medplum have a short TTL, so the cut-over takes effect within a minute. Only address
 * records are checked; ACM validation records (which refer to `domain_validation_options`) are left alone.
 */
export const DnsRecordTtl: PolicyRule = {
  id: "DnsRecordTtl",
  description: `Address records (A, AAAA, CNAME) have a TTL of at most ${MAX_CUTOVER_TTL_SECONDS} seconds.`,
  severity: "warning",
  appliesTo: ["aws_route53_record", "google_dns_record_set", "azurerm_dns_a_record", "azurerm_dns_aaaa_record", "azurerm_dns_cname_record"],
  check: ({ type, body }) => {
    if (type === "aws_route53_record" || type === "google_dns_record_set") {
      if (!ADDRESS_TYPES.includes(literalString(body.type) ?? "")) return NOT_APPLICABLE;
      if (JSON.stringify(body).includes("domain_validation_options")) return NOT_APPLICABLE;
    }
    // Alias records take the target's TTL (60 s for an ALB).
    if (type === "aws_route53_record" && block(body.alias) !== undefined) return NOT_APPLICABLE;
    if (isReference(body.ttl)) return CANNOT_TELL;
    const ttl = literalNumber(body.ttl);
    return ttl !== undefined && ttl <= MAX_CUTOVER_TTL_SECONDS
      ? COMPLIANT
      : nonCompliant(
          `ttl is ${body.ttl === undefined ? "not set" : String(body.ttl)}; set it to ${MAX_CUTOVER_TTL_SECONDS} or less so the switch to the recovered environment takes effect quickly`,
        );
  },
};
