/**
 * Malformed variants of the bundled example config, each with the one problem line the loader must report. Shared by
 * the loader's tests and the CLI's "nothing is written" tests.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { exampleYamlDocument, withoutStandby } from "../support/config";

export const EXAMPLE_CONFIG_TEXT = readFileSync(join(__dirname, "../../config/example.yaml"), "utf8");

/**
 * The example config as plain data without its standby sections (test/support/config.ts, withoutStandby: the
 * recovery's fields these cases break are the ones written without a standby), changed by `edit`, back to YAML.
 */
export function exampleWith(edit: (doc: any) => void): string {
  const doc = exampleYamlDocument();
  withoutStandby(doc);
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
    edit: (doc) => (doc.policy.suppressions = [{ rule: "LogRetention", resource: "*", reason: "because" }]),
    line: /^policy\.suppressions\[0\]\.reason: "because" must explain the suppression in at least 10 characters/,
  },
];

/**
 * The bad-input classes of issue 10 (held-out configs crashed or slipped through): each a value no cloud accepts, a
 * credential in a URL or an allow-list open to everyone, with the one line the loader must report. Checked in-process
 * only (test/config/bad-config.test.ts); test/cli/bad-input.test.ts runs a few end to end.
 */
const postgresPointInTime = (doc: any, time: string) => {
  doc.targets.aws.database.engine = "postgres";
  doc.targets.aws.database.restore = { mode: "point-in-time", automatedBackupsArn: "arn:aws:rds:us-west-2:111122223333:auto-backup:ab-example", time };
};

export const BAD_INPUT_CASES: readonly BadConfigCase[] = [
  // Calendar-impossible times: Date.parse rolls 2026-02-30 over into March 2.
  {
    name: "a snapshot time on 30 February",
    edit: (doc) => (doc.targets.aws.database.restore.snapshotTakenAt = "2026-02-30T08:00:00Z"),
    line: /^targets\.aws\.database\.restore\.snapshotTakenAt: "2026-02-30T08:00:00Z" is not a calendar date: February 2026 has 28 days; give an RFC 3339 time/,
  },
  {
    name: "a point-in-time restore on 30 February",
    edit: (doc) => postgresPointInTime(doc, "2026-02-30T08:00:00Z"),
    line: /^targets\.aws\.database\.restore\.time: "2026-02-30T08:00:00Z" is not a calendar date: February 2026 has 28 days/,
  },
  {
    name: "29 February of a year that is not a leap year",
    edit: (doc) => (doc.targets.gcp.database.restore.backupTakenAt = "2025-02-29T08:00:00Z"),
    line: /^targets\.gcp\.database\.restore\.backupTakenAt: "2025-02-29T08:00:00Z" is not a calendar date: February 2025 has 28 days/,
  },
  {
    name: "31 April",
    edit: (doc) => (doc.targets.azure.database.restore.time = "2026-04-31T08:00:00Z"),
    line: /^targets\.azure\.database\.restore\.time: "2026-04-31T08:00:00Z" is not a calendar date: April 2026 has 30 days/,
  },
  {
    name: "hour 24",
    edit: (doc) => (doc.targets.kubernetes.database.dump.takenAt = "2026-01-10T24:00:00Z"),
    line: /^targets\.kubernetes\.database\.dump\.takenAt: "2026-01-10T24:00:00Z" has hour 24; hours run 00-23/,
  },
  {
    name: "an offset of 24 hours",
    edit: (doc) => (doc.targets.aws.database.restore.snapshotTakenAt = "2026-01-10T08:00:00+24:00"),
    line: /^targets\.aws\.database\.restore\.snapshotTakenAt: "2026-01-10T08:00:00\+24:00" has offset \+24:00, which is not a UTC offset/,
  },
  {
    name: "minute 60",
    edit: (doc) => (doc.targets.aws.database.restore.snapshotTakenAt = "2026-01-10T08:60:00-05:00"),
    line: /^targets\.aws\.database\.restore\.snapshotTakenAt: "2026-01-10T08:60:00-05:00" has minute 60; minutes run 00-59/,
  },
  // IPv4 CIDRs: octets above 255, host bits, allow-lists open to the internet.
  {
    name: "a VPC CIDR with an octet above 255 (failed later at synth with no field path)",
    edit: (doc) => (doc.targets.aws.network.cidr = "10.400.0.0/16"),
    line: /^targets\.aws\.network\.cidr: "10\.400\.0\.0\/16" has an octet above 255; give an IPv4 CIDR block between \/16 and \/22 such as 10\.40\.0\.0\/16$/,
  },
  {
    name: "a VPC CIDR with host bits set",
    edit: (doc) => (doc.targets.aws.network.cidr = "10.40.1.0/16"),
    line: /^targets\.aws\.network\.cidr: "10\.40\.1\.0\/16" has host bits set: the \/16 block containing 10\.40\.1\.0 starts at 10\.40\.0\.0, so write 10\.40\.0\.0\/16 \(AWS requires the network address for a VPC\)$/,
  },
  {
    name: "an AKS authorized range with an octet above 255 (reached AKS)",
    edit: (doc) => (doc.targets.azure.cluster.apiServer.authorizedIpRanges = ["300.1.2.0/24"]),
    line: /^targets\.azure\.cluster\.apiServer\.authorizedIpRanges\[0\]: "300\.1\.2\.0\/24" has an octet above 255/,
  },
  {
    name: "an AKS authorized range that does not start at its first address",
    edit: (doc) => (doc.targets.azure.cluster.apiServer.authorizedIpRanges = ["137.117.106.90/29"]),
    line: /^targets\.azure\.cluster\.apiServer\.authorizedIpRanges\[0\]: "137\.117\.106\.90\/29" has host bits set: .* so write 137\.117\.106\.88\/29 \(AKS requires the first address of an authorized range\)$/,
  },
  {
    name: "an AKS API server open to the whole internet",
    edit: (doc) => (doc.targets.azure.cluster.apiServer.authorizedIpRanges = ["0.0.0.0/0"]),
    line: /^targets\.azure\.cluster\.apiServer\.authorizedIpRanges\[0\]: "0\.0\.0\.0\/0" is a \/0: opens the API server to a large part of the internet \(0\.0\.0\.0\/0 to all of it\), which is what the allow-list is there to prevent/,
  },
  {
    name: "a GKE control plane open to the whole internet",
    edit: (doc) => (doc.targets.gcp.cluster.masterAuthorizedNetworks = [{ cidr: "0.0.0.0/0", name: "anyone" }]),
    line: /^targets\.gcp\.cluster\.masterAuthorizedNetworks\[0\]\.cidr: "0\.0\.0\.0\/0" is a \/0: opens the control plane to a large part of the internet/,
  },
  {
    name: "a GKE subnet range with an octet above 255",
    edit: (doc) => (doc.targets.gcp.network.subnetCidr = "10.256.0.0/20"),
    line: /^targets\.gcp\.network\.subnetCidr: "10\.256\.0\.0\/20" has an octet above 255/,
  },
  {
    name: "a Key Vault firewall rule for a private range Key Vault refuses",
    edit: (doc) => (doc.targets.azure.secrets.terraformIpRanges = ["10.20.0.0/16"]),
    line: /^targets\.azure\.secrets\.terraformIpRanges\[0\]: "10\.20\.0\.0\/16" is a private \(RFC 1918\) range; Key Vault IP rules take public addresses only/,
  },
  {
    name: "a NetworkPolicy peer CIDR with an octet above 255",
    edit: (doc) => (doc.targets.kubernetes.ingress.allowedFrom = [{ cidr: "10.300.0.0/16" }]),
    line: /^targets\.kubernetes\.ingress\.allowedFrom\[0\]\.cidr: "10\.300\.0\.0\/16" has an octet above 255/,
  },
  // Identifiers no cloud accepts.
  {
    name: "a snapshot identifier with spaces and a semicolon",
    edit: (doc) => (doc.targets.aws.database.restore.snapshotIdentifier = "medplum prod; drop"),
    line: /^targets\.aws\.database\.restore\.snapshotIdentifier: "medplum prod; drop" is not an RDS snapshot identifier \(1-255 letters, digits and hyphens, starting with a letter/,
  },
  {
    name: "a snapshot ARN whose account is not 12 digits",
    edit: (doc) => (doc.targets.aws.database.restore.snapshotIdentifier = "arn:aws:rds:us-west-2:1111:cluster-snapshot:medplum-prod"),
    line: /^targets\.aws\.database\.restore\.snapshotIdentifier: ".* is not an RDS snapshot ARN: account "1111" is not a 12-digit account id; expected arn:<partition>:rds:<region>:<account>:snapshot:<identifier>/,
  },
  {
    name: "a secret ARN of another service",
    edit: (doc) => (doc.targets.aws.secrets.applicationSecretArn = "arn:aws:ssm:us-west-2:111122223333:parameter/medplum/app"),
    line: /^targets\.aws\.secrets\.applicationSecretArn: ".* is not a Secrets Manager secret ARN: it is a ssm ARN/,
  },
  {
    name: "an S3 bucket name with two dots in a row",
    edit: (doc) => (doc.targets.aws.storage.bucketName = "medplum..binaries"),
    line: /^targets\.aws\.storage\.bucketName: "medplum\.\.binaries" has two dots in a row, which S3 bucket names may not$/,
  },
  {
    name: "a Google Cloud project id with a space",
    edit: (doc) => (doc.targets.gcp.project = "acme medplum"),
    line: /^targets\.gcp\.project: "acme medplum" is not a Google Cloud project id/,
  },
  {
    name: "a Cloud Storage bucket name Google reserves",
    edit: (doc) => (doc.targets.gcp.storage.bucketName = "google-medplum-binaries"),
    line: /^targets\.gcp\.storage\.bucketName: "google-medplum-binaries" starts with "goog" or contains "google", which Cloud Storage reserves$/,
  },
  {
    name: "a Key Vault resource id naming the wrong resource type",
    edit: (doc) =>
      (doc.targets.azure.secrets.keyVault.id =
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/medplum-dr-secrets/providers/Microsoft.KeyVault/managedHSMs/medplum-dr-kv"),
    line: /^targets\.azure\.secrets\.keyVault\.id: ".* is not a Microsoft\.KeyVault\/vaults resource id: it names a Microsoft\.KeyVault\/managedHSMs resource/,
  },
  {
    name: "a Kubernetes Secret name with two dots in a row",
    edit: (doc) => (doc.targets.kubernetes.secrets.applicationSecret = "medplum..app"),
    line: /^targets\.kubernetes\.secrets\.applicationSecret: "medplum\.\.app" is not a Kubernetes Secret name/,
  },
  {
    name: "an image reference with an empty path component",
    edit: (doc) => (doc.medplum.image = "medplum//medplum-server:4.3.9"),
    line: /^medplum\.image: "medplum\/\/medplum-server:4\.3\.9" is not a container image reference/,
  },
  // Credentials inside URLs, which would be written in clear into the stack.
  {
    name: "a webhook with a token in its query",
    edit: (doc) => (doc.targets.azure.alerts.webhooks = [{ name: "pager", uri: "https://pager.example.com/hook?token=s3cr3t" }]),
    line: /^targets\.azure\.alerts\.webhooks\[0\]\.uri: ".* carries a credential in its query \(parameter token\), which would be written in clear into the synthesized stack, the plan and the Terraform state; use an endpoint that authenticates Azure Monitor without a secret in the URL/,
  },
  {
    name: "a Slack webhook, whose path is the secret",
    edit: (doc) =>
      (doc.targets.azure.alerts.webhooks = [{ name: "chat", uri: "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX" }]),
    line: /^targets\.azure\.alerts\.webhooks\[0\]\.uri: ".* is a Slack webhook, whose path is itself the secret, which would be written in clear/,
  },
  {
    name: "a baseUrl with a user name and password",
    edit: (doc) => (doc.medplum.baseUrl = "https://admin:hunter2@api.medplum.example.com/"),
    line: /^medplum\.baseUrl: ".* carries a user name and password \(user:password@\), which would be written in clear/,
  },
  {
    name: "a dump URL with a SAS signature",
    edit: (doc) =>
      (doc.targets.kubernetes.database.dump.url = "https://medplumbackups.blob.core.windows.net/dumps/medplum.dump?sv=2022-11-02&sr=b&sig=abc%2Fdef"),
    line: /^targets\.kubernetes\.database\.dump\.url: ".* carries a credential in its query \(parameter sig\), .*; put the SAS token \(without the '\?'\) in the credentialsSecret under the key sasToken/,
  },
  {
    name: "an S3 endpoint with access keys in it",
    edit: (doc) => (doc.targets.kubernetes.database.dump.s3Endpoint = "https://minio:minio123@minio.example.com:9000"),
    line: /^targets\.kubernetes\.database\.dump\.s3Endpoint: ".* carries a user name and password \(user:password@\), .*; put the access keys in credentialsSecret/,
  },
  {
    name: "a storage endpoint with a password in a plain environment value",
    edit: (doc) => (doc.targets.kubernetes.storage.environment = { AWS_REGION: "us-west-2", AWS_ENDPOINT_URL_S3: "https://key:secret@minio.example.com" }),
    line: /^targets\.kubernetes\.storage\.environment\.AWS_ENDPOINT_URL_S3: ".* carries a user name and password \(user:password@\), which would sit in clear in a ConfigMap/,
  },
  // What was meant.
  {
    name: "a misspelt field close to a known one",
    edit: (doc) => ((doc.medplum.server.cpuMilicores = doc.medplum.server.cpuMillicores), delete doc.medplum.server.cpuMillicores),
    line: /^medplum\.server\.cpuMilicores: is not a known field; did you mean cpuMillicores\?$/,
  },
  {
    name: "an enum value in the wrong case",
    edit: (doc) => (doc.targets.gcp.database.availabilityType = "regional"),
    line: /^targets\.gcp\.database\.availabilityType: "regional" is not one of "REGIONAL", "ZONAL"; did you mean "REGIONAL"\?$/,
  },
  {
    name: "a mode without its hyphen",
    edit: (doc) => (doc.targets.aws.dns.routing.mode = "cutover"),
    line: /^targets\.aws\.dns\.routing\.mode: "cutover" is not one of "cut-over", "standby-failover", "failover"; did you mean "cut-over"\?$/,
  },
  {
    name: "a field of another mode",
    edit: (doc) => (doc.targets.gcp.database.restore.replicaInstance = "medplum-replica"),
    line: /^targets\.gcp\.database\.restore\.replicaInstance: is not a field of mode "backup"; it belongs to mode "replica-promotion"$/,
  },
  {
    name: "a suppression of a misspelt rule, which would suppress nothing",
    edit: (doc) => (doc.policy.suppressions = [{ rule: "LogRetentoin", resource: "logs/*", reason: "shipped to the central SIEM within minutes" }]),
    line: /^policy\.suppressions\[0\]\.rule: "LogRetentoin" is not a rule of the policy pack; did you mean LogRetention\?$/,
  },
  {
    name: "yes for a boolean",
    edit: (doc) => (doc.targets.aws.database.deletionProtection = "yes"),
    line: /^targets\.aws\.database\.deletionProtection: "yes" has the wrong type; expected boolean: write true \(YAML 1\.2 reads yes\/no\/on\/off as text\)$/,
  },
];

/** The example's text with `line` inserted after the first line that equals `after`; for file-level cases. */
export function exampleWithLine(after: string, line: string): string {
  const lines = EXAMPLE_CONFIG_TEXT.split("\n");
  const index = lines.indexOf(after);
  if (index < 0) throw new Error(`no line ${JSON.stringify(after)} in the example`);
  lines.splice(index + 1, 0, line);
  return lines.join("\n");
}

/** 1-based line number of the first line of `text` equal to `line`. */
export function lineOf(text: string, line: string): number {
  return text.split("\n").indexOf(line) + 1;
}

export interface BadFileCase {
  readonly name: string;
  /** The file as text, or as its bytes. */
  readonly input: string | Uint8Array;
  readonly line: RegExp;
}

const ALIAS_BOMB = [
  "a: &a [x, x, x, x, x, x, x, x, x]",
  ...["b", "c", "d", "e", "f", "g"].map((name, index) => `${name}: &${name} [${Array(9).fill(`*${"abcdef"[index]}`).join(", ")}]`),
].join("\n");
const DUPLICATE_REGION = exampleWithLine("    primaryRegion: us-east-1   # the region that was lost", "    region: us-west-1");
/** "é" written as Latin-1 into the comment of the AWS region line. */
const LATIN1 = (() => {
  const cut = EXAMPLE_CONFIG_TEXT.indexOf("# the recovery region") + "# the recovery region".length;
  return Buffer.concat([Buffer.from(`${EXAMPLE_CONFIG_TEXT.slice(0, cut)} (r`), Buffer.from([0xe9]), Buffer.from(`gion)${EXAMPLE_CONFIG_TEXT.slice(cut)}`)]);
})();

/** Files that are not a readable recovery config: each a one-line error with the file position, never a stack trace. */
export const BAD_FILE_CASES: readonly BadFileCase[] = [
  {
    name: "an alias expansion bomb",
    input: ALIAS_BOMB,
    line: /^\(yaml line 2, column \d+\): aliases expand the document beyond 100 copies \(an alias bomb, or aliases of aliases\); write the values out/,
  },
  {
    name: "a key defined twice, named with both lines",
    input: DUPLICATE_REGION,
    line: new RegExp(
      `^targets\\.aws\\.region: defined twice \\(line ${lineOf(DUPLICATE_REGION, "    region: us-west-2          # the recovery region")} and line ${lineOf(DUPLICATE_REGION, "    region: us-west-1")}\\); keep one`,
    ),
  },
  {
    name: "a byte that is not UTF-8",
    input: LATIN1,
    line: new RegExp(
      `^\\(yaml line ${lineOf(EXAMPLE_CONFIG_TEXT, "    region: us-west-2          # the recovery region")}, column \\d+, byte \\d+\\): byte 0xE9 is not UTF-8; save the file as UTF-8`,
    ),
  },
  { name: "a UTF-16 file", input: Buffer.from(`\uFEFF${EXAMPLE_CONFIG_TEXT}`, "utf16le"), line: /^\(file\): is UTF-16 encoded .*; save it as UTF-8$/ },
  { name: "an empty file", input: "", line: /^\(file\): is empty; a recovery config is a YAML mapping with environment, medplum, objectives and targets/ },
  { name: "a file of comments only", input: "# to do\n", line: /^\(file\): is empty/ },
  { name: "a YAML list", input: "- environment: medplum-dr\n", line: /^\(top level\): is a YAML list, not a mapping; a recovery config is a mapping/ },
  { name: "a single scalar", input: "medplum-dr\n", line: /^\(top level\): is a single value \("medplum-dr"\), not a mapping/ },
  {
    name: "two YAML documents",
    input: `${EXAMPLE_CONFIG_TEXT}\n---\nenvironment: other\n`,
    line: /^\(yaml line \d+, column 1\): starts a second YAML document; a recovery config is one document, so remove the "---" line/,
  },
  {
    name: "a tab-indented file",
    input: "environment: medplum-dr\nmedplum:\n\timage: medplum/medplum-server:4.3.9\n",
    line: /^\(yaml line 3, column 1\): is indented with a tab; YAML indents with spaces only/,
  },
  {
    name: "a huge file",
    input: `environment: medplum-dr\n# ${"x".repeat(1024 * 1024)}\n`,
    line: /^\(file\): is larger than 1 MiB; a recovery config is a few kilobytes/,
  },
  {
    name: "collections nested thousands deep",
    input: `environment: ${"[".repeat(5000)}`,
    line: /^\(yaml line 1, column \d+\): nests collections more than 64 levels deep/,
  },
  {
    name: "a YAML tag",
    input: EXAMPLE_CONFIG_TEXT.replace("environment: medplum-dr", "environment: !!binary bWVkcGx1bS1kcg=="),
    line: /^\(yaml line \d+, column \d+\): has the tag !!binary; a recovery config holds plain text/,
  },
  {
    name: "an invisible control character",
    input: EXAMPLE_CONFIG_TEXT.replace("environment: medplum-dr", "environment: medplum\u0008-dr"),
    line: /^\(yaml line \d+, column 21\): contains the control character U\+0008, which YAML does not allow/,
  },
  {
    name: "a YAML 1.1 directive",
    input: `%YAML 1.1\n---\n${EXAMPLE_CONFIG_TEXT}`,
    line: /^\(yaml line 1, column 1\): declares %YAML 1\.1; the config is read as YAML 1\.2/,
  },
  {
    name: "an alias of no anchor",
    input: EXAMPLE_CONFIG_TEXT.replace("environment: medplum-dr", "environment: *name"),
    line: /^\(yaml line \d+, column 14\): the alias \*name names no anchor defined before it/,
  },
];
