/**
 * Reading synthesized Terraform JSON. cdktf emits a nested block either as an object (blocks with at most one item)
 * or as an array of objects, and any attribute may be a `${...}` reference instead of a literal; these helpers are the
 * one place that knows, so rules read like the Terraform they check.
 */
import { CANNOT_TELL, COMPLIANT, type JsonObject, type PolicySubject, type RuleResult, type StackIndex, type TerraformJson } from "./types";
import { interpolations } from "../facts/terraform-expressions";

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A nested block as a list, whichever way it was emitted; `undefined`/`null` is an empty list. */
export function blocks(value: unknown): JsonObject[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

/** The first (usually only) item of a nested block. */
export function block(value: unknown): JsonObject | undefined {
  return blocks(value)[0];
}

/** Walks nested single blocks: `at(body, "settings", "ip_configuration", "ipv4_enabled")`. */
export function at(body: JsonObject | undefined, ...path: string[]): unknown {
  let current: unknown = body;
  for (const [index, key] of path.entries()) {
    const holder = block(current);
    if (holder === undefined) return undefined;
    current = holder[key];
    if (index === path.length - 1) return current;
  }
  return current;
}

/** A Terraform expression (`${aws_kms_key.x.arn}`) rather than a literal: known only at apply time. */
export function isReference(value: unknown): value is string {
  return typeof value === "string" && value.includes("${");
}

/** Whether any of the values is a reference, or a list holding one: present, with content known only at apply time. */
export function anyReference(...values: unknown[]): boolean {
  return values.some((value) => isReference(value) || (Array.isArray(value) && value.some(isReference)));
}

/** Given a value: a non-empty literal or a reference. References count as set. */
export function isSet(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === "string") return value.trim() !== "";
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** Literally `true` (cdktf emits booleans; a string "true" from an override is accepted too). A reference is not. */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

export function isFalse(value: unknown): boolean {
  return value === false || value === "false";
}

/** A flag that must be literally true: compliant when it is, cannot tell for a reference, `undefined` otherwise (the rule says why). */
export function trueOrUnknown(value: unknown): RuleResult | undefined {
  if (isTrue(value)) return COMPLIANT;
  return isReference(value) ? CANNOT_TELL : undefined;
}

/** A flag that must be literally false (its default is unsafe): compliant, cannot tell for a reference, `undefined` otherwise. */
export function falseOrUnknown(value: unknown): RuleResult | undefined {
  if (isFalse(value)) return COMPLIANT;
  return isReference(value) ? CANNOT_TELL : undefined;
}

/** A number given literally (or as a numeric string); `undefined` when omitted or a reference. */
export function literalNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && !isReference(value) && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** A string given literally; `undefined` when omitted or a reference. */
export function literalString(value: unknown): string | undefined {
  return typeof value === "string" && !isReference(value) ? value : undefined;
}

/** A list of strings given literally (a single string counts as a list of one). */
export function stringList(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** Whether `lifecycle.ignore_changes` covers `attribute` (listed, or `"all"`). */
export function ignoresChanges(body: JsonObject, attribute: string): boolean {
  const ignored = at(body, "lifecycle", "ignore_changes");
  if (ignored === "all") return true;
  return stringList(ignored).some((entry) => entry === attribute || entry === "all");
}

/** The value at a dotted path through nested single blocks: `valueAt(body, "settings.disk_size")`. */
export function valueAt(body: JsonObject, path: string): unknown {
  return at(body, ...path.split("."));
}

/** A Terraform attribute path as its steps, without list indexes: `settings[0].disk_size` and `settings.0.disk_size` -> settings, disk_size. */
function pathSteps(path: string): string[] {
  return path
    .replace(/\[[^\]]*\]/g, "")
    .split(".")
    .filter((step) => step !== "" && !/^\d+$/.test(step));
}

/**
 * Whether `lifecycle.ignore_changes` covers the dotted `path` (`settings.disk_size`): listed itself (`settings[0].disk_size`),
 * through a parent block (`settings`), or by `all`. Terraform then keeps the value in state whatever the configuration says.
 */
export function ignoresPath(body: JsonObject, path: string): boolean {
  const ignored = at(body, "lifecycle", "ignore_changes");
  if (ignored === "all") return true;
  const wanted = pathSteps(path);
  return stringList(ignored).some((entry) => {
    if (entry === "all") return true;
    const steps = pathSteps(entry);
    return steps.length <= wanted.length && steps.every((step, index) => step === wanted[index]);
  });
}

export function preventsDestroy(body: JsonObject): boolean {
  return isTrue(at(body, "lifecycle", "prevent_destroy"));
}

/** Every `type.name` a value refers to inside `${...}`, in order (`data.`, `var.` and the like excluded: they are not resources). */
export function referencedAddresses(value: unknown): string[] {
  if (typeof value !== "string") return [];
  const addresses: string[] = [];
  for (const expression of interpolations(value)) {
    for (const [, type, name] of expression.matchAll(/(?<![\w.])([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)/g)) {
      if (type === undefined || name === undefined || NOT_RESOURCES.has(type)) continue;
      addresses.push(`${type}.${name}`);
    }
  }
  return addresses;
}

const NOT_RESOURCES = new Set(["data", "var", "local", "module", "each", "count", "self", "path", "terraform"]);

/** Output construct paths from the stack's `//.outputs` map (`{ "recovery-aws": { "api_url": "api_url" } }`), keyed by output name. */
function outputPaths(json: TerraformJson): Map<string, string> {
  const paths = new Map<string, string>();
  const walk = (node: unknown, prefix: string[]) => {
    if (typeof node === "string") paths.set(node, prefix.join("/"));
    else if (isObject(node)) for (const [key, child] of Object.entries(node)) walk(child, [...prefix, key]);
  };
  walk(at(json as JsonObject, "//", "outputs"), []);
  return paths;
}

function metadataPath(body: JsonObject): string | undefined {
  const metadata = at(body, "//", "metadata");
  return isObject(metadata) && typeof metadata.path === "string" ? metadata.path : undefined;
}

function byKey<T>(record: Readonly<Record<string, T>> | undefined): [string, T][] {
  return Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Every element of a stack a rule can look at, in a stable order: resources, data sources, providers, outputs, variables, locals, the terraform block. */
export function listSubjects(json: TerraformJson): PolicySubject[] {
  const subjects: PolicySubject[] = [];
  const add = (subject: Omit<PolicySubject, "path">) => subjects.push({ ...subject, path: metadataPath(subject.body) ?? subject.address });
  for (const [type, named] of byKey(json.resource)) {
    for (const [name, body] of byKey(named)) add({ kind: "resource", type, name, address: `${type}.${name}`, body });
  }
  for (const [type, named] of byKey(json.data)) {
    for (const [name, body] of byKey(named)) add({ kind: "data", type, name, address: `data.${type}.${name}`, body });
  }
  for (const [type, configured] of byKey(json.provider)) {
    for (const body of blocks(configured)) {
      const alias = literalString(body.alias);
      add({ kind: "provider", type, name: alias ?? type, address: alias ? `provider.${type}.${alias}` : `provider.${type}`, body });
    }
  }
  const outputs = outputPaths(json);
  for (const [name, body] of byKey(json.output)) {
    subjects.push({ kind: "output", type: "output", name, address: `output.${name}`, path: outputs.get(name) ?? `output.${name}`, body });
  }
  for (const [name, body] of byKey(json.variable)) add({ kind: "variable", type: "variable", name, address: `var.${name}`, body });
  if (isObject(json.locals)) add({ kind: "locals", type: "locals", name: "locals", address: "locals", body: json.locals });
  // The terraform block holds the backend configuration, which can carry credentials.
  if (isObject(json.terraform)) add({ kind: "terraform", type: "terraform", name: "terraform", address: "terraform", body: json.terraform });
  return subjects;
}

export function createStackIndex(json: TerraformJson, stackName: string): StackIndex {
  const resources = listSubjects(json).filter((subject) => subject.kind === "resource");
  const byAddress = new Map(resources.map((subject) => [subject.address, subject]));
  const byType = new Map<string, PolicySubject[]>();
  for (const subject of resources) byType.set(subject.type, [...(byType.get(subject.type) ?? []), subject]);

  const pointsAt = (value: unknown, target: PolicySubject) =>
    referencedAddresses(value).includes(target.address) || stringList(value).some((item) => referencedAddresses(item).includes(target.address));

  return {
    stackName,
    json,
    resources: (type) => byType.get(type) ?? [],
    referenced: (value) => {
      for (const address of referencedAddresses(value)) {
        const found = byAddress.get(address);
        if (found) return found;
      }
      return undefined;
    },
    referencing: (type, attribute, target, targetLiterals = []) =>
      (byType.get(type) ?? []).filter((candidate) => {
        const value = candidate.body[attribute];
        if (pointsAt(value, target)) return true;
        const literal = literalString(value);
        return literal !== undefined && targetLiterals.some((expected) => literalString(expected) === literal);
      }),
    importIds: (address) =>
      blocks(json.import)
        .filter((entry) => entry.to === address)
        .map((entry) => entry.id),
  };
}

/** Kubernetes workload types whose pod template the workload rules read. */
export const KUBERNETES_WORKLOAD_TYPES = [
  "kubernetes_deployment_v1",
  "kubernetes_deployment",
  "kubernetes_stateful_set_v1",
  "kubernetes_stateful_set",
  "kubernetes_daemon_set_v1",
  "kubernetes_daemonset",
  "kubernetes_job_v1",
  "kubernetes_job",
  "kubernetes_cron_job_v1",
  "kubernetes_cron_job",
  "kubernetes_pod_v1",
  "kubernetes_pod",
] as const;

/** Workloads that run to completion: no probes expected. */
export const KUBERNETES_BATCH_TYPES: readonly string[] = ["kubernetes_job_v1", "kubernetes_job", "kubernetes_cron_job_v1", "kubernetes_cron_job"];

/** The pod spec of a workload: `spec`, `spec.template.spec`, or `spec.job_template.spec.template.spec`. */
export function podSpec(subject: PolicySubject): JsonObject | undefined {
  if (subject.type === "kubernetes_pod_v1" || subject.type === "kubernetes_pod") return block(subject.body.spec);
  if (subject.type.startsWith("kubernetes_cron_job")) return block(at(subject.body, "spec", "job_template", "spec", "template", "spec"));
  return block(at(subject.body, "spec", "template", "spec"));
}

export interface WorkloadContainer {
  /** `container "server"` or `init_container "migrate"`, for messages. */
  readonly label: string;
  readonly init: boolean;
  readonly body: JsonObject;
}

/** Every container of a workload, init containers included, in declaration order. */
export function workloadContainers(subject: PolicySubject): WorkloadContainer[] {
  const spec = podSpec(subject);
  const list = (key: "init_container" | "container", init: boolean) =>
    blocks(spec?.[key]).map((body, position) => ({ label: `${key} "${literalString(body.name) ?? position}"`, init, body }));
  return [...list("init_container", true), ...list("container", false)];
}
