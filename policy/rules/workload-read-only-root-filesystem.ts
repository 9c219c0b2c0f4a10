import { block, isTrue, KUBERNETES_WORKLOAD_TYPES, workloadContainers } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** Containers cannot write to their image's filesystem; scratch space comes from an emptyDir volume. A warning: some images need it. */
export const WorkloadReadOnlyRootFilesystem: PolicyRule = {
  id: "WorkloadReadOnlyRootFilesystem",
  description: "Containers run with a read-only root filesystem.",
  severity: "warning",
  appliesTo: KUBERNETES_WORKLOAD_TYPES,
  check: (subject) => {
    const containers = workloadContainers(subject);
    if (containers.length === 0) return NOT_APPLICABLE;
    const writable = containers.filter((container) => !isTrue(block(container.body.security_context)?.read_only_root_filesystem));
    return writable.length === 0
      ? COMPLIANT
      : nonCompliant(`${writable.map((c) => c.label).join(", ")} can write to the root filesystem; set read_only_root_filesystem = true and mount an empty_dir for /tmp`);
  },
};
