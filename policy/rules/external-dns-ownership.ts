import { EXPECTED_OWNER_ANNOTATION, EXTERNAL_DNS_HOSTNAME_ANNOTATION, registryTxtNames } from "../../facts/external-dns";
import { at, isObject, literalString } from "../json";
import { nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/**
 * external-dns changes only records its own --txt-owner-id owns (facts/external-dns.ts): a record made by hand, by
 * Terraform, or by the primary cluster's external-dns silently stays put. Nothing in the stack can prove ownership,
 * so every published hostname gets the check to run before the switch; suppress it with the check's result.
 */
export const ExternalDnsOwnership: PolicyRule = {
  id: "ExternalDnsOwnership",
  description: "Every hostname external-dns publishes comes with the check that this cluster's external-dns owns the record.",
  severity: "warning",
  appliesTo: ["kubernetes_ingress_v1", "kubernetes_ingress", "kubernetes_service_v1", "kubernetes_service"],
  check: ({ body }) => {
    const annotations = at(body, "metadata", "annotations");
    const host = isObject(annotations) ? literalString(annotations[EXTERNAL_DNS_HOSTNAME_ANNOTATION]) : undefined;
    if (host === undefined || !isObject(annotations)) return NOT_APPLICABLE;
    const owner = literalString(annotations[EXPECTED_OWNER_ANNOTATION]);
    const expected = owner !== undefined ? `external-dns/owner=${owner}` : "the owner id this cluster's external-dns runs with (--txt-owner-id)";
    const [aName, cnameName] = registryTxtNames(host);
    return nonCompliant(
      `external-dns switches ${host} only if it owns the record: a record made by hand or by Terraform, or owned by another external-dns ` +
        "(the primary cluster's, under its own --txt-owner-id), is left pointing at the lost environment, logged at debug level only. " +
        `Check before the switch: \`dig +short TXT ${aName}\` (\`${cnameName}\` for a CNAME) is empty with no ${host} record, or shows ${expected}; ` +
        "otherwise take the record over as docs/targets/kubernetes.md says (delete it and its registry TXT, or --migrate-from-txt-owner), and check after it that the record moved",
    );
  },
};
