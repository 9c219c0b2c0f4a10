/**
 * The HCL the offline harness writes: the attribute values of `override_data` blocks in its `.tftest.hcl` file.
 */
import { TerraformPlanError } from "./types";

/** HCL literal for a JSON-like value; template sequences are escaped so strings stay literal. */
export function hclValue(value: unknown, indent = ""): string {
  if (value === null) return "null";
  if (typeof value === "string")
    return JSON.stringify(value)
      .replace(/\$\{/g, () => "$${")
      .replace(/%\{/g, () => "%%{");
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map((item) => hclValue(item, indent)).join(", ")}]`;
  if (typeof value === "object") {
    const inner = `${indent}  `;
    const entries = Object.entries(value as Record<string, unknown>).map(([key, item]) => `${inner}${JSON.stringify(key)} = ${hclValue(item, inner)}`);
    return `{\n${entries.join("\n")}\n${indent}}`;
  }
  throw new TerraformPlanError(`cannot express ${typeof value} as an HCL value`);
}
