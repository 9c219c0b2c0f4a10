/**
 * The cost of the Kubernetes backup-restore tier (report/tiers.ts, kubernetesTierCost): the retained dumps priced at the
 * object storage of the cloud that stores them, and "not modeled", with the reason, for what no price table prices (the
 * cluster's nodes, a store that is not a cloud's, a volume, a drill); then the budget in the gate on a real recovery-k8s.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RecoveryConfig } from "../../config/schema";
import { PRICE_TABLES } from "../../facts/prices";
import { describeDestination } from "../../modules/kubernetes/dump-store";
import { gateStack } from "../../report/gate";
import { tiersOf } from "../../report/model";
import { readSynthesizedStacks, type SynthesizedStack } from "../../report/stack-json";
import { buildStackReport } from "../../report/stack-report";
import { kubernetesTierCost, retainedDumps } from "../../report/tiers";
import { renderTierTable } from "../../report/tiers-render";
import { buildRecoveryApp } from "../../stacks/app";
import { kubernetesConfig } from "../kubernetes/stack-fixtures";
import { exampleConfig } from "./helpers";

type Destination = NonNullable<NonNullable<RecoveryConfig["targets"]["kubernetes"]>["standby"]>["destination"];

/** The example config with 7 hourly dumps retained, 10 GiB each, written to `destination`. */
function sevenDumps(destination: Destination, budgetUsd?: number): RecoveryConfig {
  const config = structuredClone(exampleConfig());
  const standby = config.targets.kubernetes!.standby!;
  config.targets.kubernetes!.standby = { ...standby, dumpEveryMinutes: 60, retention: { count: 7 }, destination };
  return {
    ...config,
    costInputs: { ...config.costInputs, databaseGiB: 10 },
    objectives: { ...config.objectives, ...(budgetUsd !== undefined ? { monthlyStandbyBudgetUsd: budgetUsd } : {}) },
  };
}

const S3: Destination = { kind: "s3", bucket: "acme-dumps", prefix: "medplum", region: "us-east-1" };
const storagePrice = (cloud: keyof typeof PRICE_TABLES) => PRICE_TABLES[cloud].prices.objectStorageGiBMonth.usd;

describe("retainedDumps", () => {
  it("keeps the newest count, every dump younger than days, whichever keeps more, and always the newest", () => {
    expect(retainedDumps({ count: 7 }, 60)).toBe(7);
    expect(retainedDumps({ days: 7 }, 60)).toBe(7 * 24);
    expect(retainedDumps({ count: 96, days: 7 }, 30)).toBe(336);
    expect(retainedDumps({ count: 400, days: 1 }, 60)).toBe(400);
    expect(retainedDumps({ days: 1 }, 1440)).toBe(1);
  });
});

describe("kubernetesTierCost: what is priced", () => {
  it.each([
    ["AWS S3", S3, "aws", "S3 Standard"],
    ["AWS S3 through an amazonaws.com endpoint", { ...S3, endpoint: "https://s3.us-east-1.amazonaws.com" }, "aws", "S3 Standard"],
    ["Cloud Storage", { kind: "gcs", bucket: "acme-dumps" }, "gcp", "Cloud Storage Standard"],
    ["Blob Storage", { kind: "azure-blob", account: "acmedumps", container: "dumps", sasTokenSecret: "sas" }, "azure", "Blob Storage Hot LRS"],
  ] as const)("prices 7 retained dumps x 10 GiB in %s at its object storage price", (_name, destination, cloud, of) => {
    const priced = kubernetesTierCost(sevenDumps(destination as Destination));
    const expected = 7 * 10 * storagePrice(cloud);
    expect(priced.cost?.monthlyUsd).toBeCloseTo(expected, 2);
    expect(priced.cost?.monthly).toEqual([
      { item: "objectStorageGiBMonth", quantity: 70, usd: expect.closeTo(expected, 4), what: expect.stringMatching(/^7 retained dumps x 10 GiB in /) },
    ]);
    expect(priced.prices).toEqual({ region: PRICE_TABLES[cloud].region, read: PRICE_TABLES[cloud].read, of });
    // The folder as the dump CronJob's DUMP_DESTINATION names it.
    expect(priced.cost?.monthly[0]?.what).toBe(`7 retained dumps x 10 GiB in ${describeDestination(destination as Destination)}`);
  });

  it("says which region's price it used: the destination's where the table has it, else the table's, and why", () => {
    expect(kubernetesTierCost(sevenDumps(S3)).notes).toContainEqual(expect.stringContaining("in us-east-1, the destination's region"));
    expect(kubernetesTierCost(sevenDumps({ ...S3, region: "us-west-2" })).notes).toContainEqual(
      expect.stringContaining("in us-east-1, the price table's one region; the destination is in us-west-2"),
    );
    expect(kubernetesTierCost(sevenDumps({ kind: "gcs", bucket: "acme-dumps" })).notes).toContainEqual(
      expect.stringMatching(/in us-central1, the price table's region: targets\.kubernetes\.standby\.destination names no location/),
    );
  });

  it("scales with the retention the interval and days give, and states the dump size it assumed", () => {
    const config = sevenDumps(S3);
    config.targets.kubernetes!.standby = { ...config.targets.kubernetes!.standby!, dumpEveryMinutes: 30, retention: { count: 96, days: 7 } };
    const priced = kubernetesTierCost(config);
    expect(priced.cost?.monthlyUsd).toBeCloseTo(336 * 10 * storagePrice("aws"), 2);
    expect(priced.notes[0]).toBe(
      "336 dumps retained (targets.kubernetes.standby.retention keeps the newest 96 and every dump younger than 7 days at one every 30 min (336), whichever keeps more)",
    );
    expect(kubernetesTierCost(sevenDumps(S3)).notes[0]).toBe("7 dumps retained (targets.kubernetes.standby.retention keeps the newest 7)");
    expect(priced.notes[1]).toMatch(/^each dump modeled at 10 GiB, costInputs\.databaseGiB with no compression assumed/);
  });

  it("prices no drill and names what the figure leaves out, never as a zero", () => {
    const priced = kubernetesTierCost(sevenDumps(S3));
    expect(priced.cost?.drillUsdPerHour).toBeUndefined();
    expect(priced.cost?.drill).toEqual([]);
    expect(priced.notModeled.filter((entry) => entry.part === "drill")).toEqual([
      { part: "drill", what: "a drill", reason: expect.stringContaining("the team's recovery cluster") },
    ]);
    expect(priced.notModeled.map((entry) => entry.what)).toContainEqual("the dump and verify Jobs");
    expect(priced.notModeled.map((entry) => entry.what)).toContainEqual(expect.stringMatching(/^the upload of each dump \(730 a month, up to 7,300 GiB\)/));
  });
});

describe("kubernetesTierCost: what is not priced", () => {
  it.each([
    [
      "an S3-compatible store that is not AWS",
      { ...S3, endpoint: "https://minio.storage.svc:9000" },
      /endpoint https:\/\/minio\.storage\.svc:9000 is an S3-compatible store that is not AWS S3/,
    ],
    ["a mounted volume", { kind: "volume", claimName: "medplum-dumps" }, /is volume claim medplum-dumps on the primary cluster/],
  ] as const)("leaves the cost out for %s, with the reason", (_name, destination, reason) => {
    const priced = kubernetesTierCost(sevenDumps(destination as Destination));
    expect(priced.cost).toBeUndefined();
    expect(priced.prices).toBeUndefined();
    expect(priced.notModeled[0]).toEqual({ part: "monthly", what: "the retained dumps (7 x 10 GiB)", reason: expect.stringMatching(reason) });
  });

  it("leaves the cost out without a standby section", () => {
    const config = sevenDumps(S3);
    const { standby: _standby, ...target } = config.targets.kubernetes!;
    const priced = kubernetesTierCost({ ...config, targets: { ...config.targets, kubernetes: target } });
    expect(priced.cost).toBeUndefined();
    expect(priced.notModeled[0]?.reason).toMatch(/^no targets\.kubernetes\.standby section/);
  });
});

describe("the Kubernetes tier in a report, and its budget in the gate", () => {
  // Synthesized by the project's own app, so the resources carry the construct paths the report reads steps from.
  let stack: SynthesizedStack;
  let outdir: string;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), "tiers-k8s-"));
    buildRecoveryApp(kubernetesConfig(), outdir).app.synth();
    stack = readSynthesizedStacks(outdir).find((candidate) => candidate.name === "recovery-k8s")!;
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const report = (config: RecoveryConfig) => buildStackReport({ stack, config, now: new Date("2026-11-23T12:00:00Z") });
  const costLine = (config: RecoveryConfig) => gateStack(report(config)).lines.find((line) => line.includes("cost:"));

  it("puts the priced tier in the table, chosen, with what it leaves out", () => {
    const tiers = report(sevenDumps(S3)).tiers!;
    expect(tiers.rows).toHaveLength(1);
    expect(tiers.rows[0]).toMatchObject({ tier: "backup-restore", chosen: true, cost: { monthlyUsd: 1.61 } });
    expect(tiers.rows[0]!.notModeled.length).toBeGreaterThan(0);
  });

  it("fails the gate over the budget and passes within it, naming what the figure leaves out", () => {
    const cost = 7 * 10 * storagePrice("aws");
    expect(gateStack(report(sevenDumps(S3, 1))).passed).toBe(false);
    expect(costLine(sevenDumps(S3, 1))).toMatch(
      /^FAIL cost: tier backup-restore models \$1\.61 a month of standby, more than objectives\.monthlyStandbyBudgetUsd 1 \(list prices, model: docs\/cost\.md\); not in the figure: the dump and verify Jobs, /,
    );
    expect(costLine(sevenDumps(S3, Math.ceil(cost)))).toMatch(
      /^ok {3}cost: tier backup-restore models \$1\.61 a month of standby, within .*; not in the figure: /,
    );
  });

  it("renders the figure as a model beside what it leaves out, and 'not modeled' where nothing is priced", () => {
    const priced = renderTierTable(tiersOf(report(sevenDumps(S3)))).join("\n");
    expect(priced).toContain("costs from the list price of S3 Standard in us-east-1 (2026-12-02, ");
    expect(priced).toMatch(/\| \*\*backup-restore\*\* \(chosen\) \| [^|]+ \| up to 60 min \| \$1\.61 \+ not modeled \(below\) \| not modeled \|/);
    expect(priced).toContain(
      "Not modeled in backup-restore's monthly standby cost:\n\n- the dump and verify Jobs: they run on the primary cluster's own nodes",
    );
    expect(priced).toContain("Not modeled in backup-restore's drill cost:\n\n- a drill: recovery-k8s runs on the team's recovery cluster");
    const volume = renderTierTable(tiersOf(report(sevenDumps({ kind: "volume", claimName: "medplum-dumps" })))).join("\n");
    expect(volume).toContain("costs are not modeled on this target");
    expect(volume).toMatch(/\| up to 60 min \| not modeled \| not modeled \|/);
    expect(volume).toContain("- the retained dumps (7 x 10 GiB): targets.kubernetes.standby.destination is volume claim medplum-dumps");
  });

  it("keeps its not-checked line where nothing is priced", () => {
    expect(costLine(sevenDumps({ kind: "volume", claimName: "medplum-dumps" }, 1))).toBe(
      "ok   cost: tier backup-restore is not priced on kubernetes (its own infrastructure's costs); objectives.monthlyStandbyBudgetUsd 1 not checked",
    );
  });
});
