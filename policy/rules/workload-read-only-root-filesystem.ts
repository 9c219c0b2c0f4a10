import { block, isReference, isTrue, KUBERNETES_WORKLOAD_TYPES, workloadContainers } from "../json";
import { CANNOT_TELL, COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** Containers cannot write to their image's filesystem; scratch space comes from an emptyDir volume. A warning: some images need it. */
export const WorkloadReadOnlyRootFilesystem: PolicyRule = {
  id: "WorkloadReadOnlyRootFilesystem",
  description: "Containers run with a read-only root filesystem.",
  severity: "warning",
  appliesTo: KUBERNETES_WORKLOAD_TYPES,
  check: (subject) => {
    const containers = workloadContainers(subject);
    if (containers.length === 0) return NOT_APPLICABLE;
    const readOnly = (container: (typeof containers)[number]) => block(container.body.security_context)?.read_only_root_filesystem;
    const writable = containers.filter((container) => !isTrue(readOnly(container)) && !isReference(readOnly(container)));
    if (writable.length === 0) return containers.some((container) => isReference(readOnly(container))) ? CANNOT_TELL : COMPLIANT;
    return nonCompliant(
      `${writable.map((c) => c.label).join(", ")} can write to the root filesystem; set read_only_root_filesystem = true and mount an empty_dir for /tmp`,
    );
  },
};
