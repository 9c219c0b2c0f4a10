/**
 * Malformed variants of the bundled example config, each with the one problem line the loader must report. Shared by
 * the loader's tests and the CLI's "nothing is written" tests.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";

export const EXAMPLE_CONFIG_TEXT = readFileSync(join(__dirname, "../../config/example.yaml"), "utf8");

/** The example config as plain data, changed by `edit`, back to YAML. */
export function exampleWith(edit: (doc: any) => void): string {
  const doc = parse(EXAMPLE_CONFIG_TEXT);
  edit(doc);
  return stringify(doc);
}

export interface BadConfigCase {
  readonly name: string;
  readonly edit: (doc: any) => void;
  /** The whole problem line, from the dotted path on. */
  readonly line: RegExp;
}

export const BAD_CONFIG_CASES: readonly BadConfigCase[] = [
  {
    name: "a floating image tag",
    edit: (doc) => (doc.medplum.image = "medplum/medplum-server:latest"),
    line: /^medplum\.image: "medplum\/medplum-server:latest" is a floating tag; .*cannot skip minor versions.*pin a full version/,
  },
  {
    name: "an untagged image",
    edit: (doc) => (doc.medplum.image = "medplum/medplum-server"),
    line: /^medplum\.image: "medplum\/medplum-server" has no tag, which means "latest"/,
  },
  {
    name: "a major-only tag",
    edit: (doc) => (doc.medplum.image = "medplum/medplum-server:4"),
    line: /^medplum\.image: "medplum\/medplum-server:4" does not name a full major\.minor\.patch version/,
  },
  {
    name: "an unknown key",
    edit: (doc) => (doc.targets.aws.database.deletionProtecton = false),
    line: /^targets\.aws\.database\.deletionProtecton: is not a known field/,
  },
  {
    name: "a missing required field",
    edit: (doc) => delete doc.targets.aws.tls.certificateArn,
    line: /^targets\.aws\.tls\.certificateArn: \(not set\) is missing; expected string/,
  },
  {
    name: "a wrong type",
    edit: (doc) => (doc.objectives.rtoMinutes = "an hour"),
    line: /^objectives\.rtoMinutes: "an hour" has the wrong type; expected number/,
  },
  {
    name: "a restore time in the future",
    edit: (doc) => {
      doc.targets.aws.database.engine = "postgres";
      doc.targets.aws.database.restore = {
        mode: "point-in-time",
        automatedBackupsArn: "arn:aws:rds:us-west-2:111122223333:auto-backup:ab-example",
        time: "2999-01-01T00:00:00Z",
      };
    },
    line: /^targets\.aws\.database\.restore\.time: "2999-01-01T00:00:00Z" is in the future; give a past RFC 3339 time/,
  },
  {
    name: "a restore time without a zone",
    edit: (doc) => {
      doc.targets.aws.database.engine = "postgres";
      doc.targets.aws.database.restore = {
        mode: "point-in-time",
        automatedBackupsArn: "arn:aws:rds:us-west-2:111122223333:auto-backup:ab-example",
        time: "2026-11-01 08:00",
      };
    },
    line: /^targets\.aws\.database\.restore\.time: "2026-11-01 08:00" is not an RFC 3339 time with a zone/,
  },
  {
    name: "a point-in-time restore without its source",
    edit: (doc) => {
      doc.targets.aws.database.engine = "postgres";
      doc.targets.aws.database.restore = { mode: "point-in-time", time: "latest" };
    },
    line: /^targets\.aws\.database\.restore\.automatedBackupsArn: \(not set\) is missing/,
  },
  {
    name: "an Aurora point-in-time restore across regions",
    edit: (doc) =>
      (doc.targets.aws.database.restore = {
        mode: "point-in-time",
        automatedBackupsArn: "arn:aws:rds:us-west-2:111122223333:auto-backup:ab-example",
        time: "latest",
      }),
    line: /^targets\.aws\.database\.restore\.mode: "point-in-time" is not available for aurora-postgresql in another region/,
  },
  {
    name: "an unknown restore mode",
    edit: (doc) => (doc.targets.aws.database.restore.mode = "magic"),
    line: /^targets\.aws\.database\.restore\.mode: "magic" is not one of "snapshot", "point-in-time"/,
  },
  {
    name: "a snapshot left behind in the lost region",
    edit: (doc) => (doc.targets.aws.database.restore.snapshotIdentifier = "arn:aws:rds:us-east-1:111122223333:cluster-snapshot:medplum-prod"),
    line: /^targets\.aws\.database\.restore\.snapshotIdentifier: ".*" is in us-east-1, not the recovery region us-west-2; copy or replicate it/,
  },
  {
    name: "an instance snapshot for an Aurora cluster",
    edit: (doc) => (doc.targets.aws.database.restore.snapshotIdentifier = "arn:aws:rds:us-west-2:111122223333:snapshot:medplum-prod"),
    line: /^targets\.aws\.database\.restore\.snapshotIdentifier: ".*" is a snapshot ARN; engine aurora-postgresql restores from a cluster-snapshot ARN/,
  },
  {
    name: "recovering into the region that was lost",
    edit: (doc) => (doc.targets.aws.primaryRegion = "us-west-2"),
    line: /^targets\.aws\.region: "us-west-2" is the primary region too/,
  },
  {
    name: "state kept in the region that was lost",
    edit: (doc) => (doc.targets.aws.backend = { type: "s3", bucket: "state", key: "medplum.tfstate", region: "us-east-1" }),
    line: /^targets\.aws\.backend\.region: "us-east-1" is the primary region; the state must survive its loss/,
  },
  {
    name: "an availability zone outside the recovery region",
    edit: (doc) => (doc.targets.aws.availabilityZones = ["us-west-2a", "us-east-1b"]),
    line: /^targets\.aws\.availabilityZones\[1\]: "us-east-1b" is not in the recovery region us-west-2/,
  },
  {
    name: "a server size Fargate cannot run",
    edit: (doc) => (doc.medplum.server.cpuMillicores = 3000),
    line: /^medplum\.server\.cpuMillicores: 3000 is not a Fargate size/,
  },
  {
    name: "a baseUrl that is not the api host",
    edit: (doc) => (doc.medplum.baseUrl = "https://fhir.elsewhere.example.com/"),
    line: /^medplum\.baseUrl: ".*" points at fhir\.elsewhere\.example\.com, but medplum\.hostnames\.api is api\.medplum\.example\.com/,
  },
  {
    name: "an old PostgreSQL",
    edit: (doc) => (doc.targets.aws.database.engineVersion = "13.4"),
    line: /^targets\.aws\.database\.engineVersion: "13\.4" is not a PostgreSQL version 14 or later/,
  },
  {
    name: "no target at all",
    edit: (doc) => (doc.targets = {}),
    line: /^targets: \{\} names no target; add at least one of aws, gcp, azure, kubernetes/,
  },
  {
    name: "a short suppression reason",
    edit: (doc) => (doc.policy.suppressions = [{ rule: "DB-ENCRYPTED", resource: "*", reason: "because" }]),
    line: /^policy\.suppressions\[0\]\.reason: "because" must explain the suppression in at least 10 characters/,
  },
];
