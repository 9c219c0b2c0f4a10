import { isTrue } from "../json";
import { isSecretName, SECRET_ATTRIBUTE } from "../secrets";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** Outputs that carry a secret are marked sensitive, so Terraform redacts them in plan and apply output. */
export const SensitiveOutputs: PolicyRule = {
  id: "SensitiveOutputs",
  description: "Outputs whose name or value looks secret are marked sensitive.",
  severity: "error",
  appliesTo: "*",
  check: ({ kind, name, body }) => {
    if (kind !== "output") return NOT_APPLICABLE;
    const value = JSON.stringify(body.value ?? null);
    const secretValue = [...value.matchAll(/\$\{([^}]*)\}/g)].some(([, expression]) => SECRET_ATTRIBUTE.test(expression ?? ""));
    if (!isSecretName(name) && !secretValue) return NOT_APPLICABLE;
    return isTrue(body.sensitive)
      ? COMPLIANT
      : nonCompliant(
          `output ${name} ${isSecretName(name) ? "is named like a secret" : "refers to a secret attribute"} but is not sensitive; set sensitive = true (or do not output it)`,
        );
  },
};
