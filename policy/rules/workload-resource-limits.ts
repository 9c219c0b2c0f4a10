import { at, block, isSet, KUBERNETES_WORKLOAD_TYPES, workloadContainers } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

const REQUIRED = [
  ["requests", "cpu"],
  ["requests", "memory"],
  ["limits", "memory"],
] as const;

/** Containers declare CPU and memory requests and a memory limit, so one workload cannot starve the database beside it. */
export const WorkloadResourceLimits: PolicyRule = {
  id: "WorkloadResourceLimits",
  description: "Every container sets CPU and memory requests and a memory limit.",
  severity: "error",
  appliesTo: KUBERNETES_WORKLOAD_TYPES,
  check: (subject) => {
    const containers = workloadContainers(subject);
    if (containers.length === 0) return NOT_APPLICABLE;
    const gaps = containers.flatMap((container) => {
      const resources = block(container.body.resources);
      const missing = REQUIRED.filter(([section, key]) => !isSet(at(resources, section, key)));
      return missing.length === 0 ? [] : [`${container.label} lacks ${missing.map(([section, key]) => `resources.${section}.${key}`).join(", ")}`];
    });
    return gaps.length === 0 ? COMPLIANT : nonCompliant(`${gaps.join("; ")}; set them`);
  },
};
