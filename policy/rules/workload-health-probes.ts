import { DEPENDENCY_CHECKING_HEALTH_PATHS } from "../../facts/medplum-health";
import { block, KUBERNETES_BATCH_TYPES, KUBERNETES_WORKLOAD_TYPES, literalString, workloadContainers } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** Probes whose failure restarts the container; none of them may wait on the database. */
const RESTARTING_PROBES = ["liveness_probe", "startup_probe"] as const;

/**
 * Long-running containers have liveness and readiness probes (CKV_K8S_8/9), so traffic only reaches healthy pods; and
 * no probe that restarts the container asks Medplum's /healthcheck, which queries PostgreSQL and Redis: a database
 * failover would fail it on every pod at once and the kubelet would restart them all (facts/medplum-health.ts).
 */
export const WorkloadHealthProbes: PolicyRule = {
  id: "WorkloadHealthProbes",
  description: "Long-running containers have liveness and readiness probes, and no liveness or startup probe waits on the database.",
  severity: "error",
  appliesTo: KUBERNETES_WORKLOAD_TYPES,
  check: (subject) => {
    if (KUBERNETES_BATCH_TYPES.includes(subject.type)) return NOT_APPLICABLE;
    const containers = workloadContainers(subject).filter((container) => !container.init);
    if (containers.length === 0) return NOT_APPLICABLE;
    const gaps = containers.flatMap((container) => {
      const missing = ["liveness_probe", "readiness_probe"].filter((probe) => container.body[probe] === undefined);
      const dependent = RESTARTING_PROBES.flatMap((probe) => {
        const path = literalString(block(block(container.body[probe])?.http_get)?.path);
        return path !== undefined && DEPENDENCY_CHECKING_HEALTH_PATHS.includes(path.replace(/(.)\/+$/, "$1")) ? [`${probe} GETs ${path}`] : [];
      });
      return [
        ...(missing.length === 0 ? [] : [`${container.label} lacks ${missing.join(" and ")}; add them`]),
        ...(dependent.length === 0
          ? []
          : [
              `${container.label}: ${dependent.join(" and ")}, which queries PostgreSQL and Redis, so a database failover restarts every pod at once; use tcp_socket on the server port and keep the path for readiness_probe`,
            ]),
      ];
    });
    return gaps.length === 0 ? COMPLIANT : nonCompliant(gaps.join("; "));
  },
};
