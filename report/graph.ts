/**
 * The dependency graph Terraform will build from a synthesized stack, as far as the JSON shows it: explicit
 * `depends_on`, plus every reference inside a `${...}` interpolation anywhere in a block (nested blocks, lists, strings
 * mixing text and interpolations, JSON-encoded strings). Resources, data sources, locals, modules and variables become
 * nodes; the critical path weights only resources, so locals, modules, variables and data sources pass time through.
 *
 * Provider configurations are nodes too: a `kubernetes` provider configured from a GKE or AKS cluster's endpoint makes
 * every Kubernetes resource wait for that cluster, though no resource names it.
 *
 * Edges point from a block to what it needs: `dependsOn` of the security group rule lists the security group.
 */
import { RECOVERY_STEPS, type RecoveryStep } from "../stacks/recovery-stack";
import { constructPathOf, type Body, type TerraformJson } from "./stack-json";
import { interpolations } from "../facts/terraform-expressions";

export type NodeKind = "resource" | "data" | "local" | "module" | "variable" | "provider";

/** Where a block sits in the recovery: a step construct, or `stack` for providers and anything outside the steps. */
export type StepName = RecoveryStep | "stack";

export interface GraphNode {
  /** Terraform address: `aws_rds_cluster.database_cluster_1A2B3C4D`, `data.aws_region.current`, `local.tags`. */
  readonly address: string;
  readonly kind: NodeKind;
  /** Resource or data source type; the kind for the others. */
  readonly type: string;
  /** Construct path below the stack, e.g. `database/cluster`; the address for blocks without one. */
  readonly label: string;
  readonly step: StepName;
  readonly body: Body;
  /** Addresses of the nodes this one needs, sorted. */
  readonly dependsOn: readonly string[];
}

export interface DependencyGraph {
  /** Sorted by address, so everything derived from it is deterministic. */
  readonly nodes: readonly GraphNode[];
  readonly byAddress: ReadonlyMap<string, GraphNode>;
}

const STEP_NAMES: ReadonlySet<string> = new Set(RECOVERY_STEPS);
/** Keys of a block body that are not configuration: cdktf metadata, the provider meta-argument, lifecycle settings. */
const NON_REFERENCE_KEYS: ReadonlySet<string> = new Set(["//", "provider", "lifecycle", "depends_on"]);

export function buildDependencyGraph(json: TerraformJson, stackName?: string): DependencyGraph {
  const drafts: Array<Omit<GraphNode, "dependsOn"> & { rawReferences: string[] }> = [];
  const add = (address: string, kind: NodeKind, type: string, body: Body) => {
    const path = constructPathOf(body);
    const below = path === undefined ? undefined : stripStack(path, stackName);
    const stepSegment = below?.split("/")[0];
    drafts.push({
      address,
      kind,
      type,
      label: below ?? address,
      step: stepSegment !== undefined && STEP_NAMES.has(stepSegment) ? (stepSegment as RecoveryStep) : "stack",
      body,
      rawReferences: [...referencesIn(body), ...explicitDependencies(body)],
    });
  };
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) add(`${type}.${name}`, "resource", type, body);
  }
  for (const [type, byName] of Object.entries(json.data ?? {})) {
    for (const [name, body] of Object.entries(byName)) add(`data.${type}.${name}`, "data", type, body);
  }
  for (const [name, value] of Object.entries(json.locals ?? {})) add(`local.${name}`, "local", "local", { value });
  for (const [name, body] of Object.entries(json.module ?? {})) add(`module.${name}`, "module", "module", body);
  for (const [name, body] of Object.entries(json.variable ?? {})) add(`var.${name}`, "variable", "variable", body);
  for (const [name, blocks] of Object.entries(json.provider ?? {})) {
    for (const block of Array.isArray(blocks) ? blocks : [blocks]) {
      const alias = (block as { alias?: unknown }).alias;
      add(providerAddress(name, typeof alias === "string" ? alias : undefined), "provider", name, block as Body);
    }
  }
  // Every resource and data source needs its provider configuration: the `provider` meta-argument, else the default
  // configuration of the provider its type is named after.
  const providers = new Set(drafts.filter((draft) => draft.kind === "provider").map((draft) => draft.address));
  for (const draft of drafts) {
    if (draft.kind !== "resource" && draft.kind !== "data") continue;
    const configured = draft.body.provider;
    const address =
      typeof configured === "string" ? `provider.${configured.replace(/^\$\{(.*)\}$/, "$1")}` : providerAddress(draft.type.split("_")[0] as string);
    if (providers.has(address)) draft.rawReferences.push(address);
  }

  const known = new Set(drafts.map((draft) => draft.address));
  const nodes = drafts
    .map(
      ({ rawReferences, ...node }): GraphNode => ({
        ...node,
        dependsOn: [
          ...new Set(rawReferences.map((reference) => resolveReference(reference, known)).filter((a): a is string => a !== undefined && a !== node.address)),
        ].sort(),
      }),
    )
    .sort((a, b) => compare(a.address, b.address));
  return { nodes, byAddress: new Map(nodes.map((node) => [node.address, node])) };
}

function providerAddress(name: string, alias?: string): string {
  return alias === undefined ? `provider.${name}` : `provider.${name}.${alias}`;
}

/**
 * Candidate addresses referenced from `${...}` interpolations anywhere in a value. Only interpolations count: a plain
 * string such as a description mentioning `aws_lb.main` is not a reference. Strings holding JSON (ECS container
 * definitions, policies) are plain strings with interpolations inside, so they are covered too.
 */
export function referencesIn(value: unknown): string[] {
  const found: string[] = [];
  const visit = (item: unknown, key?: string) => {
    if (key !== undefined && NON_REFERENCE_KEYS.has(key)) return;
    if (typeof item === "string") {
      for (const expression of interpolations(item)) found.push(...candidateAddresses(expression));
    } else if (Array.isArray(item)) {
      for (const element of item) visit(element);
    } else if (item !== null && typeof item === "object") {
      for (const [childKey, child] of Object.entries(item)) visit(child, childKey);
    }
  };
  visit(value);
  return found;
}

/** `depends_on` entries: plain addresses in Terraform JSON, sometimes written as `${aws_x.y}` by hand. */
function explicitDependencies(body: Body): string[] {
  const list = body.depends_on;
  if (!Array.isArray(list)) return [];
  return list.filter((entry): entry is string => typeof entry === "string").flatMap((entry) => candidateAddresses(entry.replace(/^\$\{(.*)\}$/s, "$1")));
}

const IDENTIFIER = "[A-Za-z_][A-Za-z0-9_-]*";
const CANDIDATE = new RegExp(
  `(?<![A-Za-z0-9_.-])(data\\.${IDENTIFIER}\\.${IDENTIFIER}|(?:local|module|var)\\.${IDENTIFIER}|${IDENTIFIER}\\.${IDENTIFIER})`,
  "g",
);

function candidateAddresses(expression: string): string[] {
  return [...expression.matchAll(CANDIDATE)].map((match) => match[1] as string);
}

/** Keeps candidates that name a block of this stack; `each.value`, `count.index`, `path.module` and the like drop out. */
function resolveReference(candidate: string, known: ReadonlySet<string>): string | undefined {
  return known.has(candidate) ? candidate : undefined;
}

function stripStack(path: string, stackName: string | undefined): string {
  const segments = path.split("/");
  if (stackName !== undefined && segments[0] === stackName) return segments.slice(1).join("/");
  return stackName === undefined ? segments.slice(1).join("/") : path;
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
