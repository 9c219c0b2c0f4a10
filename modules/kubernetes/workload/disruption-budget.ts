/** Keeps servers running through voluntary disruptions (node drains, cluster upgrades). */
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import type { Construct } from "constructs";
import { SERVER_NAME } from "./labels";

/** Exactly one of the two, as Kubernetes requires. */
export type DisruptionBudget = { readonly minAvailable: number } | { readonly maxUnavailable: number };

/** One server at a time may be drained: never blocks a drain, even with a single server. */
export const DEFAULT_DISRUPTION_BUDGET: DisruptionBudget = { maxUnavailable: 1 };

export interface WorkloadDisruptionBudgetProps {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly selector: Readonly<Record<string, string>>;
  readonly budget: DisruptionBudget;
}

export function createDisruptionBudget(scope: Construct, props: WorkloadDisruptionBudgetProps): PodDisruptionBudgetV1 {
  return new PodDisruptionBudgetV1(scope, "disruptionBudget", {
    metadata: { name: SERVER_NAME, namespace: props.namespace, labels: { ...props.labels } },
    spec: {
      selector: { matchLabels: { ...props.selector } },
      ...("minAvailable" in props.budget ? { minAvailable: String(props.budget.minAvailable) } : { maxUnavailable: String(props.budget.maxUnavailable) }),
    },
  });
}
