import { anyReference, block, isFalse, isReference, isTrue, KUBERNETES_WORKLOAD_TYPES, workloadContainers } from "../json";
import { CANNOT_TELL, COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** No container is privileged or may gain privileges (setuid binaries) after start. */
export const WorkloadNoPrivilegeEscalation: PolicyRule = {
  id: "WorkloadNoPrivilegeEscalation",
  description: "No container is privileged or allows privilege escalation.",
  severity: "error",
  appliesTo: KUBERNETES_WORKLOAD_TYPES,
  check: (subject) => {
    const containers = workloadContainers(subject);
    if (containers.length === 0) return NOT_APPLICABLE;
    const context = (container: (typeof containers)[number]) => block(container.body.security_context);
    const offending = containers.filter(
      (container) =>
        isTrue(context(container)?.privileged) ||
        (!isFalse(context(container)?.allow_privilege_escalation) && !isReference(context(container)?.allow_privilege_escalation)),
    );
    if (offending.length === 0) {
      return containers.some((container) => anyReference(context(container)?.privileged, context(container)?.allow_privilege_escalation))
        ? CANNOT_TELL
        : COMPLIANT;
    }
    return nonCompliant(
      `${offending.map((c) => c.label).join(", ")} may escalate privileges; set security_context { allow_privilege_escalation = false } and do not set privileged`,
    );
  },
};
