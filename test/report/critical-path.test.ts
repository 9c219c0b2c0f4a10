import { criticalPath, DependencyCycleError, type WeightedNode } from "../../report/critical-path";

const node = (id: string, minutes: number, ...dependsOn: string[]): WeightedNode => ({ id, minutes, dependsOn });

describe("criticalPath", () => {
  it("sums a single chain", () => {
    const result = criticalPath([node("a", 1), node("b", 2, "a"), node("c", 3, "b")]);
    expect(result.path).toEqual(["a", "b", "c"]);
    expect(result.totalMinutes).toBe(6);
  });

  it("takes the slower of two parallel branches, not their sum", () => {
    // Given a database (20) and a cache (10) both needing the network, and servers needing both
    const result = criticalPath([node("network", 1), node("database", 20, "network"), node("cache", 10, "network"), node("servers", 3, "database", "cache")]);
    // Then the servers wait for the database only
    expect(result.path).toEqual(["network", "database", "servers"]);
    expect(result.totalMinutes).toBe(24);
    expect(result.finishMinutes.get("cache")).toBe(11);
  });

  it("ends at a zero-minute step after the slowest one, which the recovery still waits for", () => {
    // Given the DNS switch (0 min as measured, or a pass-through) after the servers; "dns" sorts after "application"
    const result = criticalPath([node("network", 1), node("application", 3, "network"), node("dns", 0, "application")]);
    // Then the path runs to the switch, not to the servers
    expect(result.path).toEqual(["network", "application", "dns"]);
    expect(result.totalMinutes).toBe(4);
  });

  it("resolves a diamond through its longest side", () => {
    const result = criticalPath([node("top", 2), node("left", 5, "top"), node("right", 7, "top"), node("bottom", 1, "left", "right")]);
    expect(result.path).toEqual(["top", "right", "bottom"]);
    expect(result.totalMinutes).toBe(10);
  });

  it("follows an explicit dependency that adds a wait no reference shows", () => {
    // record depends_on service: without that edge the record would finish at 1 min
    const result = criticalPath([node("lb", 3), node("service", 4, "lb"), node("record", 1, "lb", "service")]);
    expect(result.totalMinutes).toBe(8);
    expect(result.path).toEqual(["lb", "service", "record"]);
  });

  it("passes time through zero-weight nodes (locals, data sources)", () => {
    const result = criticalPath([node("cluster", 20), node("local.endpoint", 0, "cluster"), node("task", 0.5, "local.endpoint")]);
    expect(result.path).toEqual(["cluster", "local.endpoint", "task"]);
    expect(result.totalMinutes).toBe(20.5);
  });

  it("ends the path at the slowest of several disconnected chains", () => {
    const result = criticalPath([node("x", 2), node("y", 9), node("z", 1, "x")]);
    expect(result.path).toEqual(["y"]);
    expect(result.totalMinutes).toBe(9);
  });

  it("breaks ties the same way every time (the predecessor that sorts first)", () => {
    const nodes = [node("b", 5), node("a", 5), node("end", 1, "b", "a")];
    expect(criticalPath(nodes).path).toEqual(["a", "end"]);
    expect(criticalPath([...nodes].reverse()).path).toEqual(["a", "end"]);
  });

  it("is zero for an empty graph", () => {
    expect(criticalPath([])).toMatchObject({ path: [], totalMinutes: 0 });
  });

  it.each([
    { name: "a self-loop", nodes: [node("a", 1, "a")], cycle: "a -> a" },
    { name: "a two-node cycle", nodes: [node("a", 1, "b"), node("b", 1, "a")], cycle: "a -> b -> a" },
    {
      name: "a cycle behind an acyclic prefix",
      nodes: [node("root", 1), node("x", 1, "root", "z"), node("y", 1, "x"), node("z", 1, "y")],
      cycle: "x -> y -> z -> x",
    },
  ])("rejects $name and names the cycle", ({ nodes, cycle }) => {
    expect(() => criticalPath(nodes)).toThrow(DependencyCycleError);
    expect(() => criticalPath(nodes)).toThrow(`dependency cycle: ${cycle}`);
  });

  it.each([
    { name: "a dangling dependency", nodes: [node("a", 1, "ghost")], message: "a depends on ghost, which is not in the graph" },
    { name: "a negative weight", nodes: [node("a", -1)], message: "a: weight -1 is not a non-negative number of minutes" },
  ])("rejects $name", ({ nodes, message }) => {
    expect(() => criticalPath(nodes)).toThrow(message);
  });
});
