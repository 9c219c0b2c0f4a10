import { anyReference, at, block, KUBERNETES_WORKLOAD_TYPES, stringList, workloadContainers } from "../json";
import { CANNOT_TELL, COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** Every container drops all Linux capabilities (add back only what is needed, e.g. none for Medplum). */
export const WorkloadCapabilitiesDropped: PolicyRule = {
  id: "WorkloadCapabilitiesDropped",
  description: "Every container drops all Linux capabilities.",
  severity: "error",
  appliesTo: KUBERNETES_WORKLOAD_TYPES,
  check: (subject) => {
    const containers = workloadContainers(subject);
    if (containers.length === 0) return NOT_APPLICABLE;
    const drop = (container: (typeof containers)[number]) => at(block(container.body.security_context), "capabilities", "drop");
    const keeping = containers.filter(
      (container) => !anyReference(drop(container)) && !stringList(drop(container)).some((capability) => capability.toUpperCase() === "ALL"),
    );
    if (keeping.length === 0) return containers.some((container) => anyReference(drop(container))) ? CANNOT_TELL : COMPLIANT;
    return nonCompliant(
      `${keeping.map((c) => c.label).join(", ")} keep${keeping.length === 1 ? "s" : ""} default capabilities; set security_context.capabilities.drop = ["ALL"]`,
    );
  },
};
