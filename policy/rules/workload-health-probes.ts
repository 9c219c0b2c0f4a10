import { KUBERNETES_BATCH_TYPES, KUBERNETES_WORKLOAD_TYPES, workloadContainers } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** Long-running containers have liveness and readiness probes (Medplum: GET /healthcheck on 8103), so traffic only reaches healthy pods. */
export const WorkloadHealthProbes: PolicyRule = {
  id: "WorkloadHealthProbes",
  description: "Long-running containers have liveness and readiness probes.",
  severity: "error",
  appliesTo: KUBERNETES_WORKLOAD_TYPES,
  check: (subject) => {
    if (KUBERNETES_BATCH_TYPES.includes(subject.type)) return NOT_APPLICABLE;
    const containers = workloadContainers(subject).filter((container) => !container.init);
    if (containers.length === 0) return NOT_APPLICABLE;
    const gaps = containers.flatMap((container) => {
      const missing = ["liveness_probe", "readiness_probe"].filter((probe) => container.body[probe] === undefined);
      return missing.length === 0 ? [] : [`${container.label} lacks ${missing.join(" and ")}`];
    });
    return gaps.length === 0 ? COMPLIANT : nonCompliant(`${gaps.join("; ")}; add them`);
  },
};
