/**
 * The recovery plan of one stack as data: every fact the Markdown report shows, and nothing it does not. The report
 * writes it as `cdktf.out/recovery-plan-<stack>.json`, and report/render.ts draws the Markdown from it alone, so the two
 * cannot disagree. One zod definition gives the TypeScript types, the check in the tests, and the JSON Schema
 * (report/schema/recovery-plan.schema.json, written by report/write-schema.ts).
 */
import { z } from "zod";
import { estimateFor } from "./estimates";
import type { GateVerdict } from "./gate";
import type { GraphNode, StepName } from "./graph";
import { DNS_RECORD_TYPES, implicitDependencies } from "./rto";
import { attribute } from "./stack-json";
import { SEED_SEQUENTIAL_MINUTES, type StackReport } from "./stack-report";
import { STANDBY_TIERS } from "../modules/standby-contracts";
import type { TierCost } from "./tiers";

/** Where the figures behind the model come from, relative to the repository root; the report links to it. */
export const ESTIMATES_DOC = "docs/estimates.md";
/** Where the prices behind the tier costs come from. */
export const COST_DOC = "docs/cost.md";

export const SCHEMA_VERSION = 2;

const minutes = z.number().min(0).describe("Minutes.");
const stepName = z.string().min(1).describe("A RecoveryStack step (network, database, cache, storage, secrets, application, traffic, monitoring) or `stack`.");
const scenarioMinutes = z.strictObject({ low: minutes, typical: minutes, high: minutes });

const resourceEntry = z.strictObject({
  address: z.string().min(1).describe("Terraform address, e.g. aws_rds_cluster.database_cluster_1A2B3C4D."),
  label: z.string().min(1).describe("Construct path below the stack, e.g. database/cluster."),
  type: z.string().min(1),
  kind: z.enum(["resource", "data"]),
  step: stepName,
  name: z.string().optional().describe("The name the cloud knows the resource by, when the JSON gives it as a literal."),
  estimateMinutes: minutes.nullable().describe("Typical creation time from report/estimates.ts; null for a data source (read, not created)."),
  settings: z.array(z.string()).describe("Arguments worth a reviewer's eye, as `path=value`."),
});

const runbookSection = z.strictObject({
  title: z.string().min(1),
  note: z.string(),
  parts: z.array(stepName),
  resources: z.array(resourceEntry),
});

const pathStep = z.strictObject({
  id: z.string().min(1).describe("Terraform address, or `DNS tail after <record>`."),
  label: z.string().min(1).describe("Construct path for a resource; the id for a DNS tail."),
  kind: z.enum(["resource", "dns-tail"]),
  type: z.string().min(1),
  step: z.string().min(1).describe("The resource's step, or `dns` for the DNS tail."),
  minutes,
  startMinutes: minutes,
  finishMinutes: minutes,
  basis: z.string().describe("Why this many minutes: the estimate's source, or the DNS tail's breakdown."),
});

const dnsTail = z.strictObject({
  record: z.string().min(1),
  ttlSeconds: z.number().min(0),
  ttlBasis: z.string(),
  propagationSeconds: z.number().min(0),
  detectionSeconds: z.number().min(0),
  totalSeconds: z.number().min(0),
  onCriticalPath: z.boolean(),
});

const graphEdge = z.strictObject({
  from: z.string().min(1),
  to: z.string().min(1),
  implicit: z.boolean().describe("Readiness Terraform does not see (an Aurora endpoint answers once an instance is up); the model counts it."),
  critical: z.boolean().describe("Both ends are consecutive on the critical path."),
});

const stepGraph = z.strictObject({
  nodes: z.array(
    z.strictObject({
      id: z.string().min(1).describe("A step name, or `dns` for the DNS tail after the traffic switch."),
      resources: z.number().int().min(0),
      minutesOnCriticalPath: minutes,
    }),
  ),
  edges: z.array(
    z.strictObject({
      from: z.string().min(1),
      to: z.string().min(1),
      criticalOrder: z.array(z.number().int().min(1)).describe("Positions (1-based) of this hop along the critical path; empty when it is off the path."),
    }),
  ),
  criticalPath: z.array(z.string().min(1)).describe("The steps the critical path passes through, in order (consecutive repeats merged)."),
});

const resourceGraph = z.strictObject({
  nodes: z.array(
    z.strictObject({
      address: z.string().min(1),
      label: z.string().min(1),
      type: z.string().min(1),
      kind: z.enum(["resource", "data"]),
      step: stepName,
      estimateMinutes: minutes.nullable(),
      critical: z.boolean(),
    }),
  ),
  edges: z.array(graphEdge).describe("From what is needed to what needs it; locals, modules and variables are looked through."),
});

const diagnostic = z.strictObject({
  severity: z.enum(["error", "warning"]),
  summary: z.string(),
  detail: z.string().optional(),
  address: z.string().optional(),
});

const policySection = z.strictObject({
  rules: z.number().int().min(0).describe("How many rules the pack evaluated."),
  errors: z.number().int().min(0),
  warnings: z.number().int().min(0),
  suppressed: z.number().int().min(0),
  findings: z.array(
    z.strictObject({
      ruleId: z.string().min(1),
      severity: z.enum(["error", "warning"]),
      address: z.string().min(1),
      path: z.string().min(1),
      message: z.string(),
      controls: z.array(z.string()).describe("HIPAA Security Rule sections the rule supports; empty for an apply-time rule."),
      suppressedBecause: z.string().optional(),
    }),
  ),
  suppressionErrors: z.array(z.string()),
  note: z.string(),
});

const usd = z.number().min(0).describe("US dollars at list prices (a model, docs/cost.md).");
const costLine = z.strictObject({
  item: z.string().min(1).describe("The price of facts/prices.ts the line uses."),
  quantity: z.number().min(0).describe("Hours, GiB-months or GiB of the item."),
  usd,
  what: z.string(),
});
const tierCost = z.strictObject({
  monthlyUsd: usd.describe("What the tier keeps running, stores and moves in a 730-hour month of peacetime."),
  monthly: z.array(costLine),
  drillUsdPerHour: usd
    .nullable()
    .describe(
      "What an hour of a drill of the recovery in this tier adds on top of the standby; null where it adds nothing the model prices (notModeled says why).",
    ),
  drill: z.array(costLine),
});
const notModeled = z.strictObject({
  part: z.enum(["monthly", "drill"]).describe("The figure the cost is missing from."),
  what: z.string().min(1),
  reason: z.string().min(1).describe("Why the model does not price it."),
});
const tiersSection = z.strictObject({
  costDoc: z.literal(COST_DOC),
  chosen: z.enum(STANDBY_TIERS).optional().describe("The tier the config chose; absent when it chose none."),
  chosenFrom: z.string().describe("Where the chosen tier was read: the standby stack's outputs or the config."),
  prices: z
    .strictObject({
      region: z.string(),
      read: z.string(),
      of: z.string().optional().describe("The one price of the table the tier uses, where it uses one (Kubernetes: the dumps' object storage)."),
    })
    .optional()
    .describe(
      "The list-price region and when the figures were written down; absent where nothing is priced (Kubernetes dumps on a volume or a store that is not a cloud's).",
    ),
  inputs: z
    .strictObject({ databaseGiB: z.number().min(0), binariesGiB: z.number().min(0), dailyChangeGiB: z.number().min(0) })
    .describe("costInputs from the config."),
  budgetUsd: usd.optional().describe("objectives.monthlyStandbyBudgetUsd."),
  sizeNotes: z.array(z.string()).describe("Where the priced sizes and the config's differ, and how the model dealt with it."),
  rows: z.array(
    z.strictObject({
      tier: z.enum(STANDBY_TIERS),
      chosen: z.boolean(),
      modeledRtoMinutes: scenarioMinutes.describe("The recovery's critical path without what the tier's standby already built."),
      rpo: z.strictObject({ minutes: minutes.nullable(), basis: z.string() }),
      cost: tierCost.nullable().describe("null where the model prices no line of the tier (notModeled says why)."),
      notModeled: z.array(notModeled).describe("What the tier's figures leave out, and why; empty on the clouds (docs/cost.md lists their leftovers)."),
      withinBudget: z.boolean().nullable().describe("null without a budget or a price."),
    }),
  ),
});

const staticStabilitySection = z.strictObject({
  lostRegion: z.string().optional().describe("The region or location the recovery recovers from, where the config names one."),
  dependencies: z.array(
    z.strictObject({
      service: z.string().min(1),
      controlPlane: z.string().min(1).describe("Where the service's control plane runs."),
      addresses: z.array(z.string()).describe("The stack's resources and data sources that call it."),
      inLostRegion: z.boolean().nullable().describe("Whether that control plane is the lost region's; null when the config cannot tell."),
      advice: z.string(),
      source: z.string().describe("The public page the control plane's location comes from."),
    }),
  ),
  statement: z.string().describe("What the report can and cannot tell about this cloud's control planes."),
});

const planSection = z.discriminatedUnion("status", [
  z.strictObject({
    status: z.literal("planned"),
    how: z.string(),
    add: z.number().int().min(0),
    change: z.number().int().min(0),
    destroy: z.number().int().min(0),
    replace: z.array(z.string()).describe("Addresses Terraform would destroy and re-create."),
    overriddenData: z.array(z.string()).describe("Data sources given made-up values by the offline harness."),
    validateWarnings: z.array(diagnostic),
  }),
  z.strictObject({ status: z.literal("skipped"), reason: z.string() }),
  z.strictObject({ status: z.literal("failed"), reason: z.string() }),
]);

export const recoveryPlanSchema = z.strictObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  stack: z.string().min(1),
  cloud: z.enum(["aws", "gcp", "azure", "kubernetes"]).optional(),
  estimatesDoc: z.literal(ESTIMATES_DOC).describe("Where the estimate and RPO figures come from, relative to the repository root."),
  objectives: z.strictObject({ rtoMinutes: z.number().min(1), rpoMinutes: z.number().min(0), monthlyStandbyBudgetUsd: usd.optional() }),
  restore: z.strictObject({
    mode: z.string(),
    source: z.string(),
    point: z.string(),
    sourceTakenAt: z
      .string()
      .describe(
        "The stack's restore_source_taken_at output: an RFC 3339 time, `unknown`, or `(not a plan-time literal)` where Terraform reads it at plan time.",
      ),
  }),
  rto: z.strictObject({
    modeledMinutes: scenarioMinutes.describe(
      "The critical path under low, typical and high estimates, with the newest drill's measured times where it measured a resource; `terraform apply` and DNS only.",
    ),
    estimatedMinutes: scenarioMinutes.describe("The same from the estimate table alone, beside the drill-calibrated figures."),
    measuredBy: z
      .strictObject({ file: z.string(), drillDate: z.string(), resources: z.number().int().min(1) })
      .optional()
      .describe("The drill record whose measured creation times replaced estimates, and for how many resources."),
    withinObjective: z.boolean().describe("Typical modeled RTO <= objectives.rtoMinutes."),
    withinObjectiveWithHighEstimates: z.boolean(),
    seedSequentialMinutes: z.strictObject({ low: minutes, high: minutes }),
    criticalPath: z.array(pathStep),
    dnsTails: z.array(dnsTail),
    implicitReadiness: z.boolean().describe("Whether the model added readiness edges Terraform does not see."),
  }),
  rpo: z.strictObject({
    mode: z.string(),
    minutes: minutes.nullable().describe("Data loss the restore mode implies; null when the plan cannot know it."),
    basis: z.string(),
    howToBound: z.string(),
    withinObjective: z.boolean().nullable().describe("null when the RPO is unknown."),
  }),
  tiers: tiersSection.optional().describe("Each DR tier's modeled RTO, RPO and cost for this target (models: estimates and list prices)."),
  staticStability: staticStabilitySection
    .optional()
    .describe("The single-region control planes the recovery's apply calls, and whether one is the lost region's (absent when the cloud is unknown)."),
  gate: z
    .strictObject({ passed: z.boolean(), checks: z.array(z.strictObject({ ok: z.boolean(), text: z.string() })) })
    .optional()
    .describe("The verdict of `npm run report -- --gate` (present in every report the CLI writes)."),
  notes: z.array(z.string()),
  steps: z.array(runbookSection).describe("The runbook's steps in order, each with the resources of its step constructs."),
  stepGraph,
  resourceGraph,
  plan: planSection,
  policy: policySection.describe("The synth's policy pack on the written JSON, with the config's policy.suppressions."),
  estimatesUsed: z.array(
    z.strictObject({ type: z.string().min(1), variant: z.string().optional(), low: minutes, typical: minutes, high: minutes, source: z.string() }),
  ),
});

export type RecoveryPlan = z.infer<typeof recoveryPlanSchema>;
export type ResourceEntry = z.infer<typeof resourceEntry>;

/** The runbook's steps (seeds/disaster-recovery.md) and the step constructs each one covers, in order. */
export const RUNBOOK: ReadonlyArray<{ readonly title: string; readonly parts: readonly StepName[]; readonly note: string }> = [
  {
    title: "1. Restore the database",
    parts: ["database", "network", "cache", "storage", "secrets"],
    note: "The restored PostgreSQL, with the network, cache, object storage and secrets it and the servers need (created in parallel where Terraform can).",
  },
  { title: "2. Provision the application tier", parts: ["application"], note: "Medplum servers connected to the restored database." },
  { title: "3. Switch traffic", parts: ["traffic"], note: "The DNS change that sends users to the recovered environment." },
  { title: "4. Monitoring", parts: ["monitoring"], note: "Alarms and notifications watching the recovered environment." },
  { title: "Stack level", parts: ["stack"], note: "Blocks outside the step constructs." },
];

/** Arguments worth a reviewer's eye, shown when set: sizes, versions, restore inputs, protection, routing. */
const KEY_SETTINGS: readonly string[] = [
  "engine",
  "engine_version",
  "family",
  "database_version",
  "version",
  "db_cluster_instance_class",
  "instance_class",
  "node_type",
  "sku_name",
  "settings.tier",
  "settings.availability_type",
  "tier",
  "memory_size_gb",
  "redis_version",
  "kubernetes_version",
  "num_cache_clusters",
  "allocated_storage",
  "multi_az",
  "snapshot_identifier",
  "restore_to_point_in_time.source_db_instance_automated_backups_arn",
  "restore_to_point_in_time.source_db_instance_identifier",
  "restore_to_point_in_time.restore_time",
  "restore_to_point_in_time.use_latest_restorable_time",
  "replicate_source_db",
  "restore_backup_context.backup_run_id",
  "clone.point_in_time",
  "create_mode",
  "source_server_id",
  "point_in_time_restore_time_in_utc",
  "deletion_protection",
  "storage_encrypted",
  "publicly_accessible",
  "transit_encryption_enabled",
  "at_rest_encryption_enabled",
  "enable_autopilot",
  "desired_count",
  "cpu",
  "memory",
  "wait_for_steady_state",
  "wait_for_completion",
  "load_balancer_type",
  "internal",
  "ssl_policy",
  "cidr_block",
  "ttl",
  "set_identifier",
  "failover_routing_policy.type",
  "lifecycle.ignore_changes",
  "lifecycle.prevent_destroy",
];

/** The step a critical-path entry belongs to in the step graph. */
const DNS_STEP = "dns";

export function toRecoveryPlan(report: StackReport, verdict?: GateVerdict): RecoveryPlan {
  const { rto, rpo, objectives } = report;
  const shown = report.graph.nodes.filter((node): node is GraphNode & { kind: "resource" | "data" } => node.kind === "resource" || node.kind === "data");
  const labelOf = (address: string) => report.graph.byAddress.get(address)?.label ?? address;
  const estimateOf = (node: GraphNode) => (node.kind === "resource" ? estimateFor(node.type, node.body).typical : null);
  const tailIds = new Set(rto.path.filter((step) => step.kind === "dns-tail").map((step) => step.id));

  const steps = RUNBOOK.flatMap((section) => {
    const members = section.parts.flatMap((part) => shown.filter((node) => node.step === part));
    if (section.parts.includes("stack") && members.length === 0) return [];
    return [{ title: section.title, note: section.note, parts: [...section.parts], resources: members.map((node) => resourceEntryOf(node, estimateOf(node))) }];
  });

  const onPath = new Set(rto.path.map((step) => step.id));
  const edges = resourceEdges(report, shown);
  const consecutive = new Set(rto.path.slice(1).map((step, index) => `${(rto.path[index] as { id: string }).id}\u0000${step.id}`));
  const resourceGraphEdges = edges.map((edge) => ({ ...edge, critical: consecutive.has(`${edge.from}\u0000${edge.to}`) }));

  return {
    schemaVersion: SCHEMA_VERSION,
    stack: report.stack,
    ...(report.cloud ? { cloud: report.cloud } : {}),
    estimatesDoc: ESTIMATES_DOC,
    objectives: {
      rtoMinutes: objectives.rtoMinutes,
      rpoMinutes: objectives.rpoMinutes,
      ...(objectives.monthlyStandbyBudgetUsd !== undefined ? { monthlyStandbyBudgetUsd: objectives.monthlyStandbyBudgetUsd } : {}),
    },
    restore: { ...report.restore },
    rto: {
      modeledMinutes: { ...rto.minutes },
      estimatedMinutes: { ...rto.estimatedMinutes },
      ...(rto.measured !== undefined ? { measuredBy: { ...rto.measured } } : {}),
      withinObjective: rto.minutes.typical <= objectives.rtoMinutes,
      withinObjectiveWithHighEstimates: rto.minutes.high <= objectives.rtoMinutes,
      seedSequentialMinutes: { ...SEED_SEQUENTIAL_MINUTES },
      criticalPath: rto.path.map((step) => ({
        id: step.id,
        label: step.kind === "resource" ? labelOf(step.id) : step.id,
        kind: step.kind,
        type: step.type,
        step: step.step,
        minutes: step.minutes,
        startMinutes: step.startMinutes,
        finishMinutes: step.finishMinutes,
        basis: step.basis,
      })),
      dnsTails: rto.dnsTails.map((tail) => ({ ...tail, onCriticalPath: tailIds.has(`DNS tail after ${tail.record}`) })),
      implicitReadiness: implicitDependencies(report.graph).size > 0,
    },
    rpo: {
      mode: rpo.mode,
      minutes: rpo.minutes ?? null,
      basis: rpo.basis,
      howToBound: rpo.howToBound,
      withinObjective: rpo.minutes === undefined ? null : rpo.minutes <= objectives.rpoMinutes,
    },
    ...(report.tiers !== undefined ? { tiers: tiersOf(report) } : {}),
    ...(report.staticStability !== undefined
      ? {
          staticStability: {
            ...(report.staticStability.lostRegion !== undefined ? { lostRegion: report.staticStability.lostRegion } : {}),
            dependencies: report.staticStability.dependencies.map((dependency) => ({ ...dependency, addresses: [...dependency.addresses] })),
            statement: report.staticStability.statement,
          },
        }
      : {}),
    ...(verdict ? { gate: { passed: verdict.passed, checks: verdict.lines.map((line) => ({ ok: !line.startsWith("FAIL"), text: line.slice(5) })) } } : {}),
    notes: [...report.notes],
    steps,
    stepGraph: stepGraphOf(report, shown, resourceGraphEdges),
    resourceGraph: {
      nodes: shown.map((node) => ({
        address: node.address,
        label: node.label,
        type: node.type,
        kind: node.kind,
        step: node.step,
        estimateMinutes: estimateOf(node),
        critical: onPath.has(node.address),
      })),
      edges: resourceGraphEdges,
    },
    plan: planOf(report),
    policy: policyOf(report),
    estimatesUsed: rto.estimatesUsed.map((estimate) => ({
      type: estimate.type,
      ...(estimate.variant !== undefined ? { variant: estimate.variant } : {}),
      low: estimate.low,
      typical: estimate.typical,
      high: estimate.high,
      source: estimate.source,
    })),
  };
}

export function tiersOf(report: StackReport): NonNullable<RecoveryPlan["tiers"]> {
  const table = report.tiers!;
  const costOf = (cost: TierCost): z.infer<typeof tierCost> => ({
    monthlyUsd: cost.monthlyUsd,
    monthly: cost.monthly.map((line) => ({ ...line })),
    drillUsdPerHour: cost.drillUsdPerHour ?? null,
    drill: cost.drill.map((line) => ({ ...line })),
  });
  return {
    costDoc: COST_DOC,
    ...(table.chosen !== undefined ? { chosen: table.chosen } : {}),
    chosenFrom: table.chosenFrom,
    ...(table.prices !== undefined ? { prices: { ...table.prices } } : {}),
    inputs: { ...table.inputs },
    ...(table.budgetUsd !== undefined ? { budgetUsd: table.budgetUsd } : {}),
    sizeNotes: [...table.sizeNotes],
    rows: table.rows.map((row) => ({
      tier: row.tier,
      chosen: row.chosen,
      modeledRtoMinutes: { ...row.rtoMinutes },
      rpo: { minutes: row.rpo.minutes ?? null, basis: row.rpo.basis },
      cost: row.cost === undefined ? null : costOf(row.cost),
      notModeled: row.notModeled.map((entry) => ({ ...entry })),
      withinBudget: row.cost === undefined || table.budgetUsd === undefined ? null : row.cost.monthlyUsd <= table.budgetUsd,
    })),
  };
}

function resourceEntryOf(node: GraphNode & { kind: "resource" | "data" }, estimateMinutes: number | null): ResourceEntry {
  const name = cloudName(node);
  return {
    address: node.address,
    label: node.label,
    type: node.type,
    kind: node.kind,
    step: node.step,
    ...(name !== undefined ? { name } : {}),
    estimateMinutes,
    settings: keySettings(node),
  };
}

export const POLICY_NOTE =
  "the synth's policy pack run again on the written JSON with the config's policy.suppressions; a suppression made in code (suppressPolicy) is not in the JSON, so a finding it accepts shows here as open";

function policyOf(report: StackReport): RecoveryPlan["policy"] {
  const { findings, suppressionErrors, ruleSets } = report.policy;
  const open = findings.filter((finding) => finding.suppressedBecause === undefined);
  return {
    rules: (ruleSets ?? []).reduce((sum, set) => sum + set.rules, 0),
    errors: open.filter((finding) => finding.severity === "error").length + suppressionErrors.length,
    warnings: open.filter((finding) => finding.severity === "warning").length,
    suppressed: findings.length - open.length,
    findings: findings.map((finding) => ({
      ruleId: finding.ruleId,
      severity: finding.severity,
      address: finding.address,
      path: finding.path,
      message: finding.message,
      controls: [...finding.controls],
      ...(finding.suppressedBecause !== undefined ? { suppressedBecause: finding.suppressedBecause } : {}),
    })),
    suppressionErrors: [...suppressionErrors],
    note: POLICY_NOTE,
  };
}

function planOf(report: StackReport): RecoveryPlan["plan"] {
  const plan = report.plan;
  if (plan.status !== "planned") return { status: plan.status, reason: plan.reason };
  return {
    status: "planned",
    how: plan.how,
    add: plan.summary.add,
    change: plan.summary.change,
    destroy: plan.summary.destroy,
    replace: [...plan.summary.replace],
    overriddenData: [...plan.overriddenData],
    validateWarnings: plan.validateWarnings.map((d) => ({
      severity: d.severity,
      summary: d.summary,
      ...(d.detail !== undefined ? { detail: d.detail } : {}),
      ...(d.address !== undefined ? { address: d.address } : {}),
    })),
  };
}

/** Dependencies among drawn blocks (looking through locals, modules and variables), then the readiness the model adds. */
function resourceEdges(report: StackReport, shown: readonly GraphNode[]): Array<{ from: string; to: string; implicit: boolean }> {
  const edges: Array<{ from: string; to: string; implicit: boolean }> = [];
  for (const node of shown) for (const dependency of visibleDependencies(node, report)) edges.push({ from: dependency, to: node.address, implicit: false });
  const implicit = implicitDependencies(report.graph);
  for (const node of shown) for (const dependency of implicit.get(node.address) ?? []) edges.push({ from: dependency, to: node.address, implicit: true });
  return edges;
}

/**
 * The recovery at the level a reviewer reasons about: one node per step construct (plus the DNS tail), an edge where a
 * block of one step needs a block of another, and the critical path as the sequence of steps it passes through.
 */
function stepGraphOf(report: StackReport, shown: readonly GraphNode[], edges: ReadonlyArray<{ from: string; to: string }>): RecoveryPlan["stepGraph"] {
  const stepOf = new Map(shown.map((node) => [node.address, node.step as string]));
  const order = [...RUNBOOK.flatMap((section) => section.parts as readonly string[]), DNS_STEP];
  const present = new Set<string>(shown.map((node) => node.step));
  const path = report.rto.path;
  if (report.rto.dnsTails.length > 0) present.add(DNS_STEP);

  const criticalSteps: string[] = [];
  for (const step of path) if (criticalSteps[criticalSteps.length - 1] !== step.step) criticalSteps.push(step.step);
  for (const step of criticalSteps) present.add(step);

  const pairs = new Map<string, { from: string; to: string; criticalOrder: number[] }>();
  const pair = (from: string, to: string) => {
    const key = `${from}\u0000${to}`;
    if (!pairs.has(key)) pairs.set(key, { from, to, criticalOrder: [] });
    return pairs.get(key) as { from: string; to: string; criticalOrder: number[] };
  };
  for (const [index, to] of criticalSteps.slice(1).entries()) pair(criticalSteps[index] as string, to).criticalOrder.push(index + 1);
  for (const edge of edges) {
    const from = stepOf.get(edge.from);
    const to = stepOf.get(edge.to);
    if (from !== undefined && to !== undefined && from !== to) pair(from, to);
  }
  for (const tail of report.rto.dnsTails) {
    const from = stepOf.get(tail.record) ?? (present.has("traffic") ? "traffic" : undefined);
    if (from !== undefined) pair(from, DNS_STEP);
  }
  const rank = (step: string) => (order.indexOf(step) === -1 ? order.length : order.indexOf(step));
  const sortedEdges = [...pairs.values()].sort((a, b) => {
    const [ac, bc] = [a.criticalOrder[0] ?? Infinity, b.criticalOrder[0] ?? Infinity];
    return ac !== bc ? ac - bc : rank(a.from) - rank(b.from) || rank(a.to) - rank(b.to);
  });
  return {
    nodes: [...present]
      .sort((a, b) => rank(a) - rank(b))
      .map((id) => ({
        id,
        resources: shown.filter((node) => node.step === id && node.kind === "resource").length,
        minutesOnCriticalPath: path.filter((step) => step.step === id).reduce((sum, step) => sum + step.minutes, 0),
      })),
    edges: sortedEdges,
    criticalPath: criticalSteps,
  };
}

/** Dependencies among shown blocks, looking through locals, modules and variables (which are not drawn). */
function visibleDependencies(node: GraphNode, report: StackReport): string[] {
  const found = new Set<string>();
  const seen = new Set<string>();
  const walk = (addresses: readonly string[]) => {
    for (const address of addresses) {
      if (seen.has(address)) continue;
      seen.add(address);
      const target = report.graph.byAddress.get(address);
      if (target === undefined) continue;
      if (target.kind === "resource" || target.kind === "data") found.add(address);
      else walk(target.dependsOn);
    }
  };
  walk(node.dependsOn);
  return [...found].sort();
}

/** Arguments that carry the name the cloud knows a resource by, most specific first. */
const NAME_ATTRIBUTES: readonly string[] = [
  "cluster_identifier",
  "identifier",
  "replication_group_id",
  "bucket",
  "alarm_name",
  "name",
  "metadata.name",
  "secret_id",
];

function cloudName(node: GraphNode): string | undefined {
  if (node.type === "aws_rds_cluster_instance") return stringAttribute(node, "identifier");
  for (const path of NAME_ATTRIBUTES) {
    const value = stringAttribute(node, path);
    if (value !== undefined) return value;
  }
  return undefined;
}

function stringAttribute(node: GraphNode, path: string): string | undefined {
  const value = attribute(node.body, path);
  return typeof value === "string" ? value : undefined;
}

function keySettings(node: GraphNode): string[] {
  const settings: string[] = [];
  if (DNS_RECORD_TYPES.has(node.type)) {
    const name = attribute(node.body, "name");
    if (name !== undefined) settings.push(`name=${String(name)}`);
    const type = attribute(node.body, "type");
    if (type !== undefined) settings.push(`type=${String(type)}`);
    if (attribute(node.body, "alias") !== undefined) settings.push("alias");
  }
  for (const path of KEY_SETTINGS) {
    const value = attribute(node.body, path);
    if (value === undefined || value === null || (typeof value === "object" && !Array.isArray(value))) continue;
    settings.push(`${path}=${Array.isArray(value) ? value.join(",") : String(value)}`);
  }
  for (const image of [...new Set(imagesIn(node.body))]) settings.push(`image=${image}`);
  return settings;
}

/**
 * Every `image` value anywhere in a body, including inside JSON-encoded strings (ECS container definitions) and
 * Kubernetes container blocks.
 */
function imagesIn(value: unknown): string[] {
  const images: string[] = [];
  const visit = (item: unknown, key?: string) => {
    if (typeof item === "string") {
      if (key === "image") images.push(item);
      else if (/^\s*[[{]/.test(item)) {
        try {
          visit(JSON.parse(item));
        } catch {
          // Not JSON after all (or JSON with interpolations that break it): nothing to inspect.
        }
      }
    } else if (Array.isArray(item)) {
      for (const element of item) visit(element, key);
    } else if (item !== null && typeof item === "object") {
      for (const [childKey, child] of Object.entries(item)) if (childKey !== "//") visit(child, childKey);
    }
  };
  visit(value);
  return images;
}
