/**
 * The one helper every rule test goes through (cdk-nag style): evaluate a small hand-written stack with a pack made
 * of a single rule, so a fixture's findings are exactly that rule's.
 */
import { evaluateStackJson } from "../../policy/engine";
import { RECOVERY_PACK } from "../../policy/recovery-pack";
import type { JsonObject, PackEntry, PolicyFinding, PolicySuppression, TerraformJson } from "../../policy/types";

export const STACK = "recovery-test";

/** A rule of the HIPAA pack or of the apply-time set, as wired. */
export function packEntry(ruleId: string): PackEntry {
  const entry = RECOVERY_PACK.find((candidate) => candidate.rule.id === ruleId);
  if (entry === undefined) throw new Error(`no rule ${ruleId} in the pack`);
  return entry;
}

export function findingsOf(ruleId: string, json: TerraformJson, suppressions: PolicySuppression[] = []): PolicyFinding[] {
  return [...evaluateStackJson(json, STACK, { suppressions }, [packEntry(ruleId)]).findings];
}

/** Resources keyed `type.name`, each body given a construct path `recovery-test/<name>` like real synthesized JSON. */
export function stack(resources: Record<string, JsonObject>, extra: Omit<TerraformJson, "resource"> = {}): TerraformJson {
  const resource: Record<string, Record<string, JsonObject>> = {};
  for (const [address, body] of Object.entries(resources)) {
    const [type, name] = address.split(".") as [string, string];
    resource[type] = { ...resource[type], [name]: { ...body, "//": { metadata: { path: `${STACK}/${name}`, uniqueId: name } } } };
  }
  return { ...extra, resource };
}
