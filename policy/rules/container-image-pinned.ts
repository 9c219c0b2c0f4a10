import { isReference, KUBERNETES_WORKLOAD_TYPES, literalString, workloadContainers } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";
import { floatingImageProblem } from "../../facts/container-images";

/** Images named in an ECS task definition's container_definitions JSON; an unparsable document yields none. */
function ecsImages(definitions: unknown): string[] {
  const text = literalString(definitions) ?? (typeof definitions === "string" ? definitions : undefined);
  if (text === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.flatMap((container) => (typeof container?.image === "string" ? [container.image as string] : [])) : [];
  } catch {
    return [];
  }
}

/**
 * Every container image names one version. Medplum runs migrations at start-up and cannot skip minor versions, so the
 * recovery must run exactly the version the backup was taken with; Postgres and Redis images likewise. An image given
 * by reference (from validated config) cannot be read here and is accepted.
 */
export const ContainerImagePinned: PolicyRule = {
  id: "ContainerImagePinned",
  description: "Container images are pinned to a version tag or digest, never latest or another floating tag.",
  severity: "error",
  appliesTo: [...KUBERNETES_WORKLOAD_TYPES, "aws_ecs_task_definition"],
  check: (subject) => {
    const images =
      subject.type === "aws_ecs_task_definition"
        ? ecsImages(subject.body.container_definitions).map((image) => ({ label: "container_definitions", image }))
        : workloadContainers(subject).map((container) => ({ label: container.label, image: container.body.image }));
    if (images.length === 0) return NOT_APPLICABLE;
    const problems = images.flatMap(({ label, image }) => {
      if (typeof image !== "string" || isReference(image)) return [];
      const why = floatingImageProblem(image);
      return why === undefined ? [] : [`${label} image "${image}" ${why}`];
    });
    return problems.length === 0
      ? COMPLIANT
      : nonCompliant(`${problems.join("; ")}; pin the exact version the backup was taken with (e.g. medplum/medplum-server:4.3.9)`);
  },
};
