/**
 * Reads and validates the recovery config. Every problem is reported at once, one line each:
 * `<dotted path>: <value received> <what is wrong and what would be accepted>`.
 */
import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { crossFieldRules, recoveryConfigSchema, type RecoveryConfig } from "./schema";
import { ConfigDocument } from "./schema/cross-field";

export const DEFAULT_CONFIG_PATH = "config/example.yaml";

export class RecoveryConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source}: ${problems.length} problem${problems.length === 1 ? "" : "s"} in the recovery config:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "RecoveryConfigError";
  }
}

/** Which config file to read: RECOVERY_CONFIG, else the bundled example. */
export function configPathFromEnvironment(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.RECOVERY_CONFIG;
  if (fromEnv !== undefined && fromEnv.trim() === "") {
    throw new RecoveryConfigError("RECOVERY_CONFIG", ["RECOVERY_CONFIG: is set but empty; give the path of a recovery config YAML file or unset it"]);
  }
  return fromEnv ?? DEFAULT_CONFIG_PATH;
}

export function loadRecoveryConfig(path: string): RecoveryConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new RecoveryConfigError(path, [`RECOVERY_CONFIG: cannot read ${JSON.stringify(path)} (${reason}); give the path of a recovery config YAML file`]);
  }
  return parseRecoveryConfig(text, path);
}

/** Unions report the same problem once per branch, hence the de-duplication: one line per distinct problem. */
export function parseRecoveryConfig(text: string, source = "<inline>"): RecoveryConfig {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new RecoveryConfigError(
      source,
      document.errors.map((error) => {
        const line = error.linePos?.[0];
        return `(yaml${line ? ` line ${line.line}, column ${line.col}` : ""}): ${error.message.split("\n")[0]}`;
      }),
    );
  }
  const raw: unknown = document.toJS();
  const result = recoveryConfigSchema.safeParse(raw);
  const configDocument = new ConfigDocument(raw);
  const crossField = crossFieldRules
    .flatMap((rule) => rule.check(configDocument))
    .map((problem) => `${dotted(problem.path)}: ${describeValue(configDocument.value(problem.path))} ${problem.message}`);
  const problems = [...new Set([...(result.success ? [] : describeIssues(result.error.issues, raw)), ...crossField])];
  if (!result.success || problems.length > 0) {
    throw new RecoveryConfigError(source, problems);
  }
  return result.data;
}

function describeIssues(issues: readonly z.core.$ZodIssue[], raw: unknown): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      const container = valueAt(raw, issue.path);
      const known = Object.keys(container && typeof container === "object" ? container : {}).filter((key) => !issue.keys.includes(key));
      for (const key of issue.keys) {
        lines.push(`${dotted([...issue.path, key])}: is not a known field${known.length > 0 ? ` (beside ${known.join(", ")})` : ""}; check the spelling against config/recovery-config.schema.json`);
      }
      continue;
    }
    const value = valueAt(raw, issue.path);
    lines.push(`${dotted(issue.path)}: ${describeValue(value)} ${explain(issue, value)}`);
  }
  return lines;
}

function explain(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case "invalid_type":
      return value === undefined ? `is missing; expected ${issue.expected}` : `has the wrong type; expected ${issue.expected}`;
    case "invalid_union":
      if ("discriminator" in issue && Array.isArray((issue as { options?: unknown[] }).options)) {
        const options = (issue as { options: unknown[] }).options.map((option) => JSON.stringify(option)).join(", ");
        return value === undefined ? `is missing; expected one of ${options}` : `is not one of ${options}`;
      }
      return "matches none of the accepted forms; see config/recovery-config.schema.json";
    case "invalid_value":
      return `is not one of ${issue.values.map((option) => JSON.stringify(option)).join(", ")}`;
    case "too_small":
      return issue.message.startsWith("Too small") ? `is too small; expected at least ${String(issue.minimum)}` : issue.message;
    case "too_big":
      return issue.message.startsWith("Too big") ? `is too big; expected at most ${String(issue.maximum)}` : issue.message;
    default:
      return issue.message;
  }
}

function dotted(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(top level)";
  return path.map((segment, index) => (typeof segment === "number" ? `[${segment}]` : `${index === 0 ? "" : "."}${String(segment)}`)).join("");
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let current = raw;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function describeValue(value: unknown): string {
  if (value === undefined) return "(not set)";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
