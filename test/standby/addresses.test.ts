/**
 * The Terraform addresses of standby-aws, per tier, pinned as recovery-aws's are (test/aws/addresses.test.ts): state
 * maps each address to a real resource, and for the warm standby's replica a changed address would destroy a replica
 * that took hours to seed, or the backup vault holding the copies. A new resource is an added line (run with
 * UPDATE_ADDRESS_PINS=1 and review the diff: only additions); a removed or changed line needs a `moved` block.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ConfigOverrides } from "../support/config";
import { STANDBY_ROUTING, standbyConfig, synthStandby } from "./helpers";
import { RDS_SNAPSHOT_RESTORE } from "../support/config";

const RDS = {
  engine: "postgres",
  restore: RDS_SNAPSHOT_RESTORE,
};
const CLOUDFRONT = {
  storageDistributionArn: "arn:aws:cloudfront::111122223333:distribution/E1STORAGE2EXAMPLE",
  appDistributionArn: "arn:aws:cloudfront::111122223333:distribution/E2APP3EXAMPLE",
};
const FAILOVER = { primaryDnsName: "medplum-prod-alb-123456789.us-east-1.elb.amazonaws.com", primaryZoneId: "Z35SXDOTRQ7X7K" };

const VARIANTS: ReadonlyArray<{ name: string; standby: ConfigOverrides; overrides: ConfigOverrides }> = [
  { name: "backup-restore-aurora", standby: {}, overrides: {} },
  { name: "backup-restore-rds", standby: {}, overrides: { targets: { aws: { database: RDS } } } },
  // The CloudFront preparation adds the origin access control only; the grants are statements in existing policies.
  { name: "backup-restore-aurora-cloudfront", standby: { cloudfront: CLOUDFRONT }, overrides: {} },
  { name: "pilot-light-aurora", standby: { tier: "pilot-light" }, overrides: {} },
  { name: "warm-standby-aurora-failover", standby: { tier: "warm-standby", failoverRecords: FAILOVER }, overrides: STANDBY_ROUTING },
  { name: "warm-standby-rds", standby: { tier: "warm-standby" }, overrides: { targets: { aws: { database: RDS } } } },
];

function addresses(json: Record<string, any>): string[] {
  const list: string[] = [];
  for (const [type, byName] of Object.entries<Record<string, unknown>>(json.resource ?? {}))
    for (const name of Object.keys(byName)) list.push(`${type}.${name}`);
  for (const [type, byName] of Object.entries<Record<string, unknown>>(json.data ?? {}))
    for (const name of Object.keys(byName)) list.push(`data.${type}.${name}`);
  return list.sort();
}

describe.each(VARIANTS)("standby-aws addresses, $name", ({ name, standby, overrides }) => {
  it("are exactly the pinned ones", () => {
    const pinFile = join(__dirname, "addresses", `${name}.txt`);
    const actual = addresses(synthStandby(standbyConfig(standby, overrides)).json);
    if (process.env.UPDATE_ADDRESS_PINS === "1") writeFileSync(pinFile, `${actual.join("\n")}\n`);
    expect(existsSync(pinFile), `${pinFile} is missing; run with UPDATE_ADDRESS_PINS=1 once and commit it`).toBe(true);
    const pinned = readFileSync(pinFile, "utf8").split("\n").filter(Boolean);
    expect(
      pinned.filter((address) => !actual.includes(address)),
      "these addresses are gone or renamed: every deployed standby would destroy and recreate them",
    ).toEqual([]);
    expect(
      actual.filter((address) => !pinned.includes(address)),
      "new addresses: pin them with UPDATE_ADDRESS_PINS=1",
    ).toEqual([]);
  });
});

describe("the tiers build on each other", () => {
  it("keeps every address of a lower tier when moving up, so a tier change only adds", () => {
    const pins = (name: string) =>
      readFileSync(join(__dirname, "addresses", `${name}.txt`), "utf8")
        .split("\n")
        .filter(Boolean);
    const lower = pins("backup-restore-aurora");
    const pilot = pins("pilot-light-aurora");
    // The watches' alert topic of the recovery region is added with the replica-lag alarm; nothing is renamed.
    expect(lower.filter((address) => !pilot.includes(address))).toEqual([]);
    expect(pilot.filter((address) => !pins("warm-standby-aurora-failover").includes(address))).toEqual([]);
  });

  it("adds one address for CloudFront, and changes none", () => {
    const pins = (name: string) =>
      readFileSync(join(__dirname, "addresses", `${name}.txt`), "utf8")
        .split("\n")
        .filter(Boolean);
    const plain = pins("backup-restore-aurora");
    const cloudfront = pins("backup-restore-aurora-cloudfront");
    expect(cloudfront.filter((address) => !plain.includes(address))).toEqual([
      expect.stringMatching(/^aws_cloudfront_origin_access_control\.binaries_replication_originAccess_[0-9A-F]{8}$/),
    ]);
    expect(plain.filter((address) => !cloudfront.includes(address))).toEqual([]);
  });
});
