/**
 * The longest weighted path through a dependency graph: with unlimited parallelism (Terraform's default is ten
 * operations at once, more than any step of a recovery stack needs), the time to create everything is the time of the
 * slowest chain of blocks that each wait for the previous one. A node starts when the last thing it needs has finished.
 */
import { compare } from "./graph";

export interface WeightedNode {
  readonly id: string;
  /** Minutes this node takes once everything it needs exists; 0 for pass-through nodes (locals, data sources...). */
  readonly minutes: number;
  /** Ids of the nodes it needs. Unknown ids are an error: a dangling edge means the graph was built wrongly. */
  readonly dependsOn: readonly string[];
}

export interface CriticalPath {
  /** Node ids in the order they run, first to last. */
  readonly path: readonly string[];
  readonly totalMinutes: number;
  /** When each node finishes, in minutes from the start. */
  readonly finishMinutes: ReadonlyMap<string, number>;
}

export class DependencyCycleError extends Error {
  constructor(readonly cycle: readonly string[]) {
    super(
      `dependency cycle: ${cycle.join(" -> ")}; Terraform would refuse this configuration too (break the cycle with a separate rule resource or by removing a reference)`,
    );
    this.name = "DependencyCycleError";
  }
}

/**
 * Ties between equally long chains go to the predecessor that sorts first, so the same graph always reports the same path.
 * The path ends at the deepest of the nodes that finish last: a zero-minute step after the slowest one (a DNS record
 * switched once the servers are up) is still on the path, as it is the last thing the recovery waits for.
 */
export function criticalPath(nodes: readonly WeightedNode[]): CriticalPath {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  for (const node of nodes) {
    if (!Number.isFinite(node.minutes) || node.minutes < 0) throw new Error(`${node.id}: weight ${node.minutes} is not a non-negative number of minutes`);
    for (const dependency of node.dependsOn) {
      if (!byId.has(dependency)) throw new Error(`${node.id} depends on ${dependency}, which is not in the graph`);
    }
  }
  const order = topologicalOrder(nodes, byId);

  const finish = new Map<string, number>();
  const depth = new Map<string, number>();
  const previous = new Map<string, string | undefined>();
  for (const id of order) {
    const node = byId.get(id) as WeightedNode;
    let start = 0;
    let via: string | undefined;
    for (const dependency of [...node.dependsOn].sort(compare)) {
      const candidate = finish.get(dependency) as number;
      if (via === undefined || candidate > start) {
        start = candidate;
        via = dependency;
      }
    }
    finish.set(id, start + node.minutes);
    depth.set(id, via === undefined ? 0 : (depth.get(via) as number) + 1);
    previous.set(id, via);
  }

  let last: string | undefined;
  let total = 0;
  for (const id of [...order].sort(compare)) {
    const value = finish.get(id) as number;
    if (last === undefined || value > total || (value === total && (depth.get(id) as number) > (depth.get(last) as number))) {
      last = id;
      total = value;
    }
  }
  const path: string[] = [];
  for (let cursor = last; cursor !== undefined; cursor = previous.get(cursor)) path.unshift(cursor);
  return { path, totalMinutes: total, finishMinutes: finish };
}

/** Kahn's algorithm over sorted ids; on a cycle, finds one and names it. */
function topologicalOrder(nodes: readonly WeightedNode[], byId: ReadonlyMap<string, WeightedNode>): string[] {
  const remaining = new Map(nodes.map((node) => [node.id, new Set(node.dependsOn).size]));
  const dependents = new Map<string, string[]>();
  for (const node of nodes) {
    for (const dependency of new Set(node.dependsOn)) dependents.set(dependency, [...(dependents.get(dependency) ?? []), node.id]);
  }
  const ready = nodes
    .filter((node) => remaining.get(node.id) === 0)
    .map((node) => node.id)
    .sort(compare);
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift() as string;
    order.push(id);
    for (const dependent of dependents.get(id) ?? []) {
      const left = (remaining.get(dependent) as number) - 1;
      remaining.set(dependent, left);
      if (left === 0) {
        ready.push(dependent);
        ready.sort(compare);
      }
    }
  }
  if (order.length < nodes.length) throw new DependencyCycleError(findCycle(byId, new Set(order)));
  return order;
}

function findCycle(byId: ReadonlyMap<string, WeightedNode>, acyclic: ReadonlySet<string>): string[] {
  const start = [...byId.keys()].filter((id) => !acyclic.has(id)).sort(compare)[0] as string;
  // Every node left over has a dependency that is left over too, so walking dependencies must revisit a node.
  const seen = new Map<string, number>();
  const walk: string[] = [];
  let cursor = start;
  while (!seen.has(cursor)) {
    seen.set(cursor, walk.length);
    walk.push(cursor);
    const next = [...(byId.get(cursor) as WeightedNode).dependsOn].filter((id) => !acyclic.has(id)).sort(compare)[0] as string;
    cursor = next;
  }
  // Reported in creation order (each needed by the next), starting from the id that sorts first, closing the loop.
  const cycle = walk.slice(seen.get(cursor)).reverse();
  const first = cycle.indexOf([...cycle].sort(compare)[0] as string);
  const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
  return [...rotated, rotated[0] as string];
}
