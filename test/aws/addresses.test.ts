/**
 * The Terraform addresses of recovery-aws are a public contract: state maps each address to a real resource, so an
 * address that changes (a construct renamed or moved, a logical id regenerated) makes the next apply destroy what is
 * there and create it anew. For the Aurora cluster and the RDS instance that is the recovered database.
 *
 * Each variant's full address list is pinned in test/aws/addresses/<variant>.txt. A new resource is an added line (run
 * with UPDATE_ADDRESS_PINS=1 and review the diff: only additions); a removed or changed line is a replacement in every
 * deployed environment and needs a `moved` block or a state move documented in the CHANGELOG, never a silent edit.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { synthAws } from "./helpers";
import type { RecoveryConfig } from "../../config/schema";
import type { ConfigOverrides } from "../support/config";
import { standbyConfig } from "../standby/helpers";
import { RDS_SNAPSHOT_RESTORE, RDS } from "../support/config";

const AUTOMATED_BACKUPS = "arn:aws:rds:us-west-2:111122223333:auto-backup:ab-example";

const VARIANTS: ReadonlyArray<{ name: string; overrides: ConfigOverrides | (() => RecoveryConfig); database: string }> = [
  // A named cluster snapshot: the example itself restores standby-aws's newest copy (restore.source: standby).
  {
    name: "aurora-snapshot",
    overrides: {
      targets: {
        aws: {
          database: {
            restore: { mode: "snapshot", source: null, snapshotIdentifier: "arn:aws:rds:us-west-2:111122223333:cluster-snapshot:medplum-prod-copy-2026-11-22" },
          },
        },
      },
    },
    database: "aws_rds_cluster",
  },
  {
    name: "rds-snapshot",
    overrides: {
      targets: {
        aws: {
          database: {
            ...RDS,
            restore: RDS_SNAPSHOT_RESTORE,
          },
        },
      },
    },
    database: "aws_db_instance",
  },
  {
    name: "rds-point-in-time",
    overrides: { targets: { aws: { database: { ...RDS, restore: { mode: "point-in-time", automatedBackupsArn: AUTOMATED_BACKUPS, time: "latest" } } } } },
    database: "aws_db_instance",
  },
  // Warm standby: the replica standby-aws keeps, imported and promoted (restore mode replica-promotion).
  { name: "aurora-replica-promotion", overrides: () => standbyConfig({ tier: "warm-standby" }), database: "aws_rds_cluster" },
  {
    name: "rds-replica-promotion",
    overrides: () => standbyConfig({ tier: "warm-standby" }, { targets: { aws: { database: RDS } } }),
    database: "aws_db_instance",
  },
];

function addresses(json: Record<string, any>): string[] {
  const list: string[] = [];
  for (const [type, byName] of Object.entries<Record<string, unknown>>(json.resource ?? {}))
    for (const name of Object.keys(byName)) list.push(`${type}.${name}`);
  for (const [type, byName] of Object.entries<Record<string, unknown>>(json.data ?? {}))
    for (const name of Object.keys(byName)) list.push(`data.${type}.${name}`);
  return list.sort();
}

describe.each(VARIANTS)("recovery-aws addresses, $name", ({ name, overrides, database }) => {
  const pinFile = join(__dirname, "addresses", `${name}.txt`);
  const actual = addresses(synthAws(typeof overrides === "function" ? overrides() : overrides).json);

  it("are exactly the pinned ones", () => {
    if (process.env.UPDATE_ADDRESS_PINS === "1") writeFileSync(pinFile, `${actual.join("\n")}\n`);
    expect(existsSync(pinFile), `${pinFile} is missing; run with UPDATE_ADDRESS_PINS=1 once and commit it`).toBe(true);
    const pinned = readFileSync(pinFile, "utf8").split("\n").filter(Boolean);
    const removed = pinned.filter((address) => !actual.includes(address));
    expect(removed, "these addresses are gone or renamed: every deployed environment would destroy and recreate them").toEqual([]);
    expect(
      actual.filter((address) => !pinned.includes(address)),
      "new addresses: pin them with UPDATE_ADDRESS_PINS=1",
    ).toEqual([]);
  });

  it(`holds the restored database at one address (${database})`, () => {
    const databases = actual.filter((address) => address.startsWith(`${database}.`));
    expect(databases).toHaveLength(1);
    expect(readFileSync(pinFile, "utf8")).toContain(`${databases[0]}\n`);
  });
});
