import { block, isFalse, isTrue, KUBERNETES_WORKLOAD_TYPES, workloadContainers } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** No container is privileged or may gain privileges (setuid binaries) after start. */
export const WorkloadNoPrivilegeEscalation: PolicyRule = {
  id: "WorkloadNoPrivilegeEscalation",
  description: "No container is privileged or allows privilege escalation.",
  severity: "error",
  appliesTo: KUBERNETES_WORKLOAD_TYPES,
  check: (subject) => {
    const containers = workloadContainers(subject);
    if (containers.length === 0) return NOT_APPLICABLE;
    const offending = containers.filter((container) => {
      const context = block(container.body.security_context);
      return isTrue(context?.privileged) || !isFalse(context?.allow_privilege_escalation);
    });
    return offending.length === 0
      ? COMPLIANT
      : nonCompliant(`${offending.map((c) => c.label).join(", ")} may escalate privileges; set security_context { allow_privilege_escalation = false } and do not set privileged`);
  },
};
