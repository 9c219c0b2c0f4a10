/**
 * The vocabulary of the policy pack: what a stack looks like to a rule, what a rule returns, and what the engine
 * reports. Plain data only, so a report can be printed, compared in tests, or serialised for CI.
 */

/** One element of a synthesized stack as Terraform sees it: `{ resource: { <type>: { <name>: body } }, ... }`. */
export interface TerraformJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, JsonObject>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, JsonObject>>>>;
  readonly output?: Readonly<Record<string, JsonObject>>;
  readonly provider?: Readonly<Record<string, JsonObject | readonly JsonObject[]>>;
  readonly variable?: Readonly<Record<string, JsonObject>>;
  readonly locals?: JsonObject;
  readonly terraform?: JsonObject;
  readonly [key: string]: unknown;
}

export type JsonObject = { readonly [key: string]: unknown };

/** What the engine hands a rule: one resource (or data source, provider, output) with both of its names. */
export interface PolicySubject {
  readonly kind: "resource" | "data" | "provider" | "output" | "variable" | "locals" | "terraform";
  /** Terraform type (`aws_rds_cluster`), provider name for providers, `output` / `variable` / `locals` / `terraform` otherwise. */
  readonly type: string;
  /** Logical name inside its type (the Terraform name). */
  readonly name: string;
  /** Terraform address: `aws_rds_cluster.database_cluster_1A2B3C`, `data.aws_x.y`, `output.api_url`, `provider.aws`. */
  readonly address: string;
  /** Construct path from the `//` metadata (`recovery-aws/database/restore/aurora/cluster`); the address when the JSON carries none. */
  readonly path: string;
  /** The body as synthesized, `//` metadata included. */
  readonly body: JsonObject;
}

export type Severity = "error" | "warning";

/**
 * HIPAA Security Rule implementation specifications the pack maps to (45 CFR Part 164 Subpart C).
 * 164.308(a)(1)(ii)(B) risk management, 164.308(a)(7)(ii)(A) data backup plan, 164.308(a)(7)(ii)(B) disaster recovery
 * plan, 164.312(a)(1) access control, 164.312(a)(2)(iv) encryption and decryption, 164.312(b) audit controls,
 * 164.312(c)(1) integrity, 164.312(d) person or entity authentication, 164.312(e)(1) transmission security,
 * 164.312(e)(2)(ii) encryption in transit.
 */
export type HipaaControl =
  | "164.308(a)(1)(ii)(B)"
  | "164.308(a)(7)(ii)(A)"
  | "164.308(a)(7)(ii)(B)"
  | "164.312(a)(1)"
  | "164.312(a)(2)(iv)"
  | "164.312(b)"
  | "164.312(c)(1)"
  | "164.312(d)"
  | "164.312(e)(1)"
  | "164.312(e)(2)(ii)";

/**
 * A rule's verdict on one subject. `message` says what is wrong and what to change. `severity` lowers (or raises) the
 * rule's own for this finding: a risky-but-legal setting is a warning where a missing safeguard is an error.
 */
export type RuleResult =
  | { readonly status: "compliant" }
  | { readonly status: "not-applicable" }
  | { readonly status: "non-compliant"; readonly message: string; readonly severity?: Severity };

export const COMPLIANT: RuleResult = { status: "compliant" };
export const NOT_APPLICABLE: RuleResult = { status: "not-applicable" };
/**
 * A rule that needs a literal and finds a `${...}` reference: the value is present but known only at apply time, so
 * the rule cannot tell. It says so (no finding) rather than calling the value missing.
 */
export const CANNOT_TELL: RuleResult = NOT_APPLICABLE;
export function nonCompliant(message: string, severity?: Severity): RuleResult {
  return severity === undefined ? { status: "non-compliant", message } : { status: "non-compliant", message, severity };
}

/** Read-only lookups across one stack; rules that relate resources (a bucket and its public access block) use it. */
export interface StackIndex {
  readonly stackName: string;
  readonly json: TerraformJson;
  /** Every resource of a type, in a stable order (by Terraform name). */
  resources(type: string): readonly PolicySubject[];
  /** The resource a `${type.name.attribute}` reference inside `value` points at, if it is in this stack. */
  referenced(value: unknown): PolicySubject | undefined;
  /**
   * Resources of `type` whose `attribute` points at `target`: a `${<target address>.<anything>}` reference, or a
   * literal equal to one of `targetLiterals` (e.g. the bucket's literal name).
   */
  referencing(type: string, attribute: string, target: PolicySubject, targetLiterals?: readonly unknown[]): readonly PolicySubject[];
  /** The `id`s of the top-level `import` blocks (Terraform 1.5+) that adopt the resource at `address`. */
  importIds(address: string): readonly unknown[];
}

/**
 * One rule, in the style of cdk-nag: an id, a one-line description, a severity, the subjects it looks at, and a pure
 * check. The pack (pack.ts) adds the HIPAA controls, the equivalent Checkov/cdk-nag ids and whether it can be suppressed.
 */
export interface PolicyRule {
  /** PascalCase, unique, equal to the file name in kebab-case (`DatabaseNotPublic` lives in `database-not-public.ts`). */
  readonly id: string;
  readonly description: string;
  readonly severity: Severity;
  /** Terraform resource types the rule evaluates, or `"*"` for every element of the stack (resources, data, providers, outputs...). */
  readonly appliesTo: readonly string[] | "*";
  readonly check: (subject: PolicySubject, stack: StackIndex) => RuleResult;
  /**
   * For an apply-time rule: the provider source (file in its public repository, and the function or validation) or
   * vendor documentation the constraint was read from, shown with every finding.
   */
  readonly source?: string;
}

/**
 * The rule sets a pack can draw from: the HIPAA-aligned checks, and the apply-time rules that encode what the
 * provider or the cloud API would reject (or replace) at apply time, for the clouds whose provider cannot run here.
 */
export type RuleSet = "hipaa" | "apply-time";

/** A rule as wired into a pack. */
export interface PackEntry {
  readonly rule: PolicyRule;
  readonly controls: readonly HipaaControl[];
  /** Equivalent Checkov / cdk-nag ids, for auditors who know those tools. */
  readonly equivalents: readonly string[];
  /** Core PHI rules: a suppression of one is itself an error. */
  readonly unsuppressible?: boolean;
  /** @default "hipaa" */
  readonly ruleSet?: RuleSet;
}

/**
 * A suppression as written in the config file (`policy.suppressions[]`) or recorded by `suppressPolicy()`.
 * `resource` is a construct path (`recovery-aws/database/restore/aurora/cluster`, or without the stack name: `database/restore/aurora/cluster`) or a
 * Terraform address (`aws_rds_cluster.database_cluster_1A2B3C`); `*` matches any run of characters.
 */
export interface PolicySuppression {
  readonly rule: string;
  readonly resource: string;
  /** Why the finding is acceptable; at least 10 characters. */
  readonly reason: string;
}

export interface PolicyFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly description: string;
  /** What is wrong and what to change. */
  readonly message: string;
  readonly path: string;
  readonly address: string;
  readonly controls: readonly HipaaControl[];
  readonly equivalents: readonly string[];
  /** The provider source or vendor doc an apply-time rule encodes. */
  readonly source?: string;
  /** Present when a valid suppression matched; the finding then neither blocks nor warns, but stays in the record. */
  readonly suppressedBecause?: string;
}

export interface PolicyReport {
  readonly stackName: string;
  /** Unsuppressed and suppressed findings, in pack order then address order. */
  readonly findings: readonly PolicyFinding[];
  /** Suppressions that are themselves wrong (unknown rule, reason too short, rule cannot be suppressed); always errors. */
  readonly suppressionErrors: readonly string[];
  /** Every valid suppression this stack saw and whether it matched a finding; one matching nothing anywhere is stale. */
  readonly suppressionUse: readonly { readonly suppression: PolicySuppression; readonly matched: boolean }[];
  /** How many rules of each set were evaluated, in pack order. */
  readonly ruleSets?: readonly { readonly ruleSet: RuleSet; readonly rules: number }[];
}

export interface EvaluateOptions {
  readonly suppressions: readonly PolicySuppression[];
}
