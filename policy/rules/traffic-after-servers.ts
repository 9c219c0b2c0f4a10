import { EXTERNAL_DNS_HOSTNAME_ANNOTATION } from "../../facts/external-dns";
import { at, isObject, referencedAddresses, stringList } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule, type PolicySubject, type StackIndex } from "../types";

/** Public DNS record types a traffic switch changes. */
const DNS_RECORD_TYPES = ["aws_route53_record", "google_dns_record_set", "azurerm_dns_a_record", "azurerm_dns_aaaa_record", "azurerm_dns_cname_record"];
const ANNOTATED_TYPES = ["kubernetes_ingress_v1", "kubernetes_ingress", "kubernetes_service_v1", "kubernetes_service"];

/** Resources that run the Medplum servers; the traffic switch should come after them. */
const SERVER_WORKLOAD_TYPES = ["aws_ecs_service", "kubernetes_deployment_v1", "kubernetes_deployment", "google_cloud_run_v2_service", "azurerm_container_app"];

function externalDnsHost(subject: PolicySubject): string | undefined {
  const annotations = at(subject.body, "metadata", "annotations");
  const host = isObject(annotations) ? annotations[EXTERNAL_DNS_HOSTNAME_ANNOTATION] : undefined;
  return typeof host === "string" ? host : undefined;
}

/** Every resource address `subject` waits for, through references and depends_on, transitively. */
function dependencies(subject: PolicySubject, stack: StackIndex): Set<string> {
  const bodies = new Map<string, unknown>();
  for (const [type, named] of Object.entries(stack.json.resource ?? {})) for (const [name, body] of Object.entries(named)) bodies.set(`${type}.${name}`, body);
  const direct = (body: unknown) => {
    const { "//": _metadata, depends_on: dependsOn, ...rest } = (isObject(body) ? body : {}) as Record<string, unknown>;
    return [...referencedAddresses(JSON.stringify(rest)), ...stringList(dependsOn).map((entry) => entry.replace(/^\$\{(.*)\}$/, "$1"))];
  };
  const seen = new Set<string>();
  const pending = direct(subject.body);
  while (pending.length > 0) {
    const address = pending.pop() as string;
    if (seen.has(address)) continue;
    seen.add(address);
    pending.push(...direct(bodies.get(address)));
  }
  return seen;
}

/**
 * The DNS switch waits for the servers: a record (or an Ingress external-dns publishes) that does not depend on the
 * server workload sends users to the recovery while the database is still being restored.
 */
export const TrafficAfterServers: PolicyRule = {
  id: "TrafficAfterServers",
  description: "The traffic switch (a DNS record of the traffic step, or an Ingress external-dns publishes) depends on the server workload.",
  severity: "warning",
  appliesTo: [...DNS_RECORD_TYPES, ...ANNOTATED_TYPES],
  check: (subject, stack) => {
    const annotated = externalDnsHost(subject) !== undefined;
    if (ANNOTATED_TYPES.includes(subject.type) && !annotated) return NOT_APPLICABLE;
    if (!annotated && subject.path.split("/")[1] !== "traffic") return NOT_APPLICABLE;
    const workloads = SERVER_WORKLOAD_TYPES.flatMap((type) => stack.resources(type));
    if (workloads.length === 0) return NOT_APPLICABLE;
    const needed = dependencies(subject, stack);
    return workloads.some((workload) => needed.has(workload.address))
      ? COMPLIANT
      : nonCompliant(
          `switches traffic without waiting for ${workloads.map((w) => w.address).join(", ")}: users are sent to the recovery while the database is still being restored; ` +
            "make the record (or the Ingress) depend on the server workload so a failed restore never takes traffic",
        );
  },
};
