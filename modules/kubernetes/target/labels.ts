/** Names and labels of the objects the recovery-k8s target adds around the shared workload. */
import type { RecoveryConfig } from "../../../config/schema";
import { recoveryTags } from "../../../config/naming";

export const POSTGRES_NAME = "medplum-postgres";
export const POSTGRES_PORT = 5432;
export const REDIS_NAME = "medplum-redis";
export const REDIS_PORT = 6379;
export const RESTORE_NAME = "medplum-restore";
/** The database the restore creates and Medplum uses. */
export const DATABASE_NAME = "medplum";

/** Selector labels of one component; fixed, because StatefulSet selectors cannot change after creation. */
export function componentSelector(name: string): Record<string, string> {
  return { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "medplum" };
}

export function componentLabels(config: RecoveryConfig, name: string): Record<string, string> {
  return { ...recoveryTags(config), ...componentSelector(name), "app.kubernetes.io/managed-by": "medplum-dr" };
}

/** The in-cluster DNS name of a Service; `<name>.<namespace>.svc` resolves through every pod's search path. */
export function serviceHost(name: string, namespace: string): string {
  return `${name}.${namespace}.svc`;
}

/** Container security settings shared by every helper container: the `restricted` Pod Security profile. */
export function restrictedContainerSecurity(userId: number) {
  return {
    runAsNonRoot: true,
    runAsUser: String(userId),
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}

export function restrictedPodSecurity(userId: number) {
  return {
    runAsNonRoot: true,
    runAsUser: String(userId),
    runAsGroup: String(userId),
    fsGroup: String(userId),
    seccompProfile: { type: "RuntimeDefault" },
  };
}
