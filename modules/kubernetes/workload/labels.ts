/**
 * Labels shared by every object of the Medplum workload. The selector labels are a contract with the Deployment,
 * Service, PodDisruptionBudget and NetworkPolicy: a Deployment's selector cannot change after creation, so they are
 * few, fixed and never derived from anything a config edit could change.
 */
import type { RecoveryConfig } from "../../../config/schema";
import { MEDPLUM_HEALTHCHECK_PATH } from "../../../facts/medplum-health";
import { recoveryTags } from "../../../config/naming";

export const SERVER_NAME = "medplum-server";
/** The container port Medplum listens on (REFERENCE: 8103). */
export const SERVER_PORT = 8103;
/** The named port the Service and probes use, so a port change is made in one place. */
export const SERVER_PORT_NAME = "http";
/** Readiness only: it checks PostgreSQL and Redis (facts/medplum-health.ts). */
export const HEALTHCHECK_PATH = MEDPLUM_HEALTHCHECK_PATH;

/** Pods of this workload and only them. */
export function selectorLabels(): Record<string, string> {
  return { "app.kubernetes.io/name": SERVER_NAME, "app.kubernetes.io/component": "server" };
}

/** Every object of the workload: the recovery tags plus the standard Kubernetes app labels. */
export function workloadLabels(config: RecoveryConfig): Record<string, string> {
  return { ...recoveryTags(config), ...selectorLabels(), "app.kubernetes.io/part-of": "medplum", "app.kubernetes.io/managed-by": "medplum-dr" };
}
