import { FORCE_NEW, forceNewTable, ignoreChangesPath, type ForceNewTrigger } from "../../facts/force-new";
import { ignoresPath, isSet, valueAt } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** How a finding qualifies an attribute whose trigger is not every change. */
const TRIGGERS: Readonly<Record<ForceNewTrigger, string>> = {
  change: "",
  shrink: " (when smaller than in state)",
  downgrade: " (when lower than in state)",
  unset: "",
  condition: " (on a provider condition)",
};

/**
 * Every attribute the stack sets on a restored database that forces the provider to replace it (facts/force-new.ts:
 * `ForceNew` in the schema, or a `ForceNewIf`/`ForceNewIfChange`/`d.ForceNew` in its CustomizeDiff) is under
 * `lifecycle.ignore_changes`, so neither a later config change nor drift the cloud makes itself (a disk that grew, a
 * restore that set the size) can plan a replacement, which would destroy the recovered data (and, with deletion
 * protection off for a drill, would go through).
 *
 * Identity attributes are the exception: the name, identifier, project, region, location, resource group and engine
 * say which database this is. The modules derive them from config that cannot change without meaning another database,
 * and ignoring them would hide a rename instead of refusing it (prevent_destroy then stops the plan). An attribute
 * whose trigger is its removal (`unset`) cannot fire while the stack sets it and needs nothing.
 */
export const RestoredDatabaseForceNewIgnored: PolicyRule = {
  id: "RestoredDatabaseForceNewIgnored",
  description: "Every non-identity attribute a restored database sets that forces replacement is in lifecycle.ignore_changes.",
  severity: "error",
  appliesTo: Object.keys(FORCE_NEW),
  source:
    "facts/force-new.ts: schema ForceNew and CustomizeDiff ForceNew* of the provider source file named in the finding, at aws 5.100.0, google 6.50.0, azurerm 4.55.0",
  check: ({ type, body }) => {
    const table = forceNewTable(type);
    if (table === undefined) return NOT_APPLICABLE;
    const exposed = table.attributes.filter(
      (attribute) =>
        attribute.identity === undefined &&
        attribute.trigger !== "unset" &&
        (attribute.when?.(body) ?? true) &&
        isSet(valueAt(body, attribute.path)) &&
        !ignoresPath(body, attribute.path),
    );
    if (exposed.length === 0) return COMPLIANT;
    const named = exposed.map((attribute) => `${attribute.path}${TRIGGERS[attribute.trigger]}`);
    return nonCompliant(
      `${named.join(", ")} ${exposed.length === 1 ? "forces" : "force"} a new ${type} (${table.repository} ${table.version}, ${table.sourceFile}) but ${exposed.length === 1 ? "is" : "are"} not in lifecycle.ignore_changes; add ${exposed.map((attribute) => `"${ignoreChangesPath(attribute.path)}"`).join(", ")}, or a later apply replaces the recovered database`,
    );
  },
};
