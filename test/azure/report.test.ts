import { buildStackReport } from "../../report/stack-report";
import { azureConfig, EXISTING_NETWORK, synthAzure } from "./support";

/** The report measures snapshot ages and support windows against `now`. */
const NOW = new Date("2026-12-01T12:00:00Z");
const SOURCE = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/medplum-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/medplum-prod-pg";

function report(overrides: Record<string, unknown> = {}) {
  const config = azureConfig(overrides);
  return buildStackReport({ stack: { name: "recovery-azure", json: synthAzure(config).json }, config, now: NOW });
}

describe("the plan report on the Azure stack", () => {
  it("says where the stack fell back to no availability zones (westus has none)", () => {
    const notes = report().notes;
    expect(notes).toContainEqual(expect.stringMatching(/^the AKS node pool runs without availability zones \(westus has no availability zones\)/));
    expect(notes).toContainEqual(expect.stringMatching(/^the Flexible Server's standby is SameZone, not ZoneRedundant \(westus has no availability zones\)/));
  });

  it("has no zone note in a region with availability zones", () => {
    const notes = report({ region: "eastus", database: { restore: { mode: "point-in-time", sourceServerId: SOURCE, time: "2026-11-22T08:00:00Z" } } }).notes;
    expect(notes.filter((note) => note.includes("availability zones"))).toEqual([]);
  });

  it("does not warn about a promoted replica's create_mode, which must stay in its configuration", () => {
    const replica = SOURCE.replace("medplum-prod-pg", "medplum-prod-pg-replica");
    const findings = report({
      region: "westus2",
      network: EXISTING_NETWORK,
      database: { restore: { mode: "replica-promotion", replicaServerId: replica, sourceServerId: SOURCE } },
    }).warnings;
    expect(findings.filter((finding) => finding.rule === "replaceable-database")).toEqual([]);
  });
});
