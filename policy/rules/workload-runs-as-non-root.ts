import { anyReference, block, isFalse, isTrue, KUBERNETES_WORKLOAD_TYPES, literalNumber, podSpec, workloadContainers } from "../json";
import { CANNOT_TELL, COMPLIANT, nonCompliant, NOT_APPLICABLE, type JsonObject, type PolicyRule } from "../types";

/** "yes", "no" or "unsaid" for one security context. */
/** true / false when the context says; "unknown" when what it says is a reference; undefined when it says nothing. */
function nonRoot(context: JsonObject | undefined): boolean | "unknown" | undefined {
  if (context === undefined) return undefined;
  const user = literalNumber(context.run_as_user);
  if (user === 0 || isFalse(context.run_as_non_root)) return false;
  if (isTrue(context.run_as_non_root) || (user !== undefined && user > 0)) return true;
  return anyReference(context.run_as_user, context.run_as_non_root) ? "unknown" : undefined;
}

/** Every container, init containers included, runs as a non-root user (Medplum's image runs as 65532). */
export const WorkloadRunsAsNonRoot: PolicyRule = {
  id: "WorkloadRunsAsNonRoot",
  description: "Every container runs as a non-root user.",
  severity: "error",
  appliesTo: KUBERNETES_WORKLOAD_TYPES,
  check: (subject) => {
    const containers = workloadContainers(subject);
    if (containers.length === 0) return NOT_APPLICABLE;
    const pod = nonRoot(block(podSpec(subject)?.security_context));
    const verdicts = containers.map((container) => ({ label: container.label, nonRoot: nonRoot(block(container.body.security_context)) ?? pod }));
    const root = verdicts.filter((verdict) => verdict.nonRoot !== true && verdict.nonRoot !== "unknown").map((verdict) => verdict.label);
    if (root.length === 0) return verdicts.some((verdict) => verdict.nonRoot === "unknown") ? CANNOT_TELL : COMPLIANT;
    return nonCompliant(`${root.join(", ")} may run as root; set security_context { run_as_non_root = true, run_as_user = "65532" } on the pod or container`);
  },
};
