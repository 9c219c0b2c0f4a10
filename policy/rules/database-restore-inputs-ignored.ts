import { hazardousRestoreInputs } from "../../facts/force-new";
import { ignoresChanges, isSet, literalString } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/**
 * Restore inputs per type whose change forces replacement (or restores over the data), from facts/force-new.ts, the
 * table read from the providers' source and shared with the modules and the plan report. `create_mode` is not ForceNew
 * in azurerm 4.55.0, and Cloud SQL's `clone` is read only at create, so neither is one.
 */
const RESTORE_INPUTS: Readonly<Record<string, readonly string[]>> = hazardousRestoreInputs();

/** A re-run never replaces a recovered database: every restore input it was created from is under ignore_changes. */
export const DatabaseRestoreInputsIgnored: PolicyRule = {
  id: "DatabaseRestoreInputsIgnored",
  description: "Restore inputs of a recovered database are listed in lifecycle.ignore_changes.",
  severity: "error",
  appliesTo: Object.keys(RESTORE_INPUTS),
  check: ({ type, body }) => {
    if (type === "azurerm_postgresql_flexible_server" && (literalString(body.create_mode) ?? "Default") === "Default" && !isSet(body.source_server_id)) {
      return NOT_APPLICABLE;
    }
    const present = (RESTORE_INPUTS[type] ?? []).filter((attribute) => isSet(body[attribute]));
    if (present.length === 0) return NOT_APPLICABLE;
    const exposed = present.filter((attribute) => !ignoresChanges(body, attribute));
    return exposed.length === 0
      ? COMPLIANT
      : nonCompliant(
          `${exposed.join(", ")} ${exposed.length === 1 ? "forces replacement but is" : "force replacement but are"} not in lifecycle.ignore_changes; add ${exposed.length === 1 ? "it" : "them"}, or a later apply with a newer value destroys the recovered database`,
        );
  },
};
