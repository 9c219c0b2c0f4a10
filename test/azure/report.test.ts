import { aksSupportStatus, AKS_VERSIONS } from "../../facts/aks-versions";
import { App } from "cdktf";
import { writtenStackJson } from "../support/policy";
import { buildStackReport } from "../../report/stack-report";
import { createAzureBundle } from "../../modules/azure";
import { RecoveryStack } from "../../stacks/recovery-stack";
import { azureConfig, EXISTING_NETWORK } from "./support";

/** The day the AKS support table was read. The policy rule measures support windows against the day it runs. */
const NOW = new Date("2026-12-01T12:00:00Z");
const SOURCE =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/medplum-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/medplum-prod-pg";

function report(overrides: Record<string, unknown> = {}) {
  const config = azureConfig(overrides);
  // The report groups resources by step from the construct paths in the `//` metadata, which Testing.synth strips.
  const stack = new RecoveryStack(new App({ outdir: "cdktf.out.test", skipValidation: true }), "recovery-azure", { config, bundle: createAzureBundle(config) });
  return buildStackReport({ stack: { name: "recovery-azure", json: writtenStackJson(stack) as never }, config, now: NOW });
}

describe("the plan report on the Azure stack", () => {
  describe("an AKS version past its end of life", () => {
    const findings = report({ cluster: { kubernetesVersion: "1.31" } }).policy.findings.filter((finding) => finding.ruleId === "AksVersionSupported");

    it("is a warning on the cluster, with the end-of-life date and the versions to pin instead", () => {
      expect(findings).toHaveLength(1);
      expect(findings[0]!.address).toMatch(/^azurerm_kubernetes_cluster\./);
      expect(findings[0]!.message).toMatch(
        /^Kubernetes 1\.31 reached its AKS end of life on 2025-11-01 .*pin one AKS supports \(1\.35, 1\.36, 1\.37 per facts\/aks-versions\.ts/,
      );
    });
  });

  it("warns about a version older than the whole support table", () => {
    const findings = report({ cluster: { kubernetesVersion: "1.27" } }).policy.findings.filter((finding) => finding.ruleId === "AksVersionSupported");
    expect(findings.map((finding) => finding.message)).toEqual([expect.stringMatching(/^Kubernetes 1\.27 is older than every version AKS still lists/)]);
  });

  it("draws no version finding for the example's pinned, supported version", () => {
    expect(report().policy.findings.filter((finding) => finding.ruleId === "AksVersionSupported")).toEqual([]);
  });

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
    const built = report({
      region: "westus2",
      network: EXISTING_NETWORK,
      database: { restore: { mode: "replica-promotion", replicaServerId: replica, sourceServerId: SOURCE } },
    });
    expect(built.policy.findings.filter((finding) => finding.ruleId === "DatabaseRestoreInputsIgnored")).toEqual([]);
  });
});

describe("the AKS support table (facts/aks-versions.ts)", () => {
  it("counts the end-of-life day as supported and the day after as not", () => {
    expect(aksSupportStatus("1.34", new Date("2026-11-30T23:00:00Z")).status).toBe("supported");
    expect(aksSupportStatus("1.34", new Date("2026-12-01T00:00:00Z")).status).toBe("past-end-of-life");
  });

  it("cannot judge a version newer than its newest row", () => {
    const newest = AKS_VERSIONS[AKS_VERSIONS.length - 1]!.version;
    expect(aksSupportStatus(`1.${Number(newest.split(".")[1]) + 1}`, NOW).status).toBe("unknown");
  });
});
