import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadRecoveryConfig, parseRecoveryConfig, RecoveryConfigError } from "../../config/load";
import { BAD_CONFIG_CASES, BAD_FILE_CASES, BAD_INPUT_CASES, EXAMPLE_CONFIG_TEXT, exampleWith, exampleWithLine, lineOf } from "./bad-config-cases";

const EXAMPLE = EXAMPLE_CONFIG_TEXT;

function problemsOf(text: string | Uint8Array): string[] {
  try {
    parseRecoveryConfig(text, "test.yaml");
  } catch (error) {
    if (error instanceof RecoveryConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe("the bundled example config", () => {
  it("validates", () => {
    expect(problemsOf(EXAMPLE)).toEqual([]);
  });
});

describe("a malformed config is rejected with the field's dotted path, the value received and what was expected", () => {
  const cases = BAD_CONFIG_CASES;

  it.each(cases)("$name", ({ edit, line }) => {
    const problems = problemsOf(exampleWith(edit));
    expect(problems).toEqual([expect.stringMatching(line)]);
  });

  it("reports every problem of a config at once, one line each", () => {
    // Problems in unrelated fields, including cross-field ones inside objects that also have field errors.
    const independent = cases.filter((c) =>
      [
        "a floating image tag",
        "an unknown key",
        "a missing required field",
        "a wrong type",
        "a snapshot left behind in the lost region",
        "an availability zone outside the recovery region",
        "a server size Fargate cannot run",
        "a baseUrl that is not the api host",
        "an old PostgreSQL",
        "a short suppression reason",
      ].includes(c.name),
    );
    expect(independent).toHaveLength(10);
    const problems = problemsOf(
      exampleWith((doc) => {
        for (const { edit } of independent) edit(doc);
      }),
    );
    expect(problems).toHaveLength(independent.length);
    for (const { line } of independent) expect(problems).toContainEqual(expect.stringMatching(line));
  });

  it("names the YAML line of a syntax error", () => {
    expect(problemsOf("environment: [unclosed\n")).toEqual([expect.stringMatching(/^\(yaml line \d+, column \d+\): /)]);
  });

  it("rejects a duplicated key rather than silently keeping the last one, naming the key and both lines", () => {
    const text = `${EXAMPLE}\nenvironment: other\n`;
    expect(problemsOf(text)).toEqual([
      `environment: defined twice (line ${lineOf(text, "environment: medplum-dr")} and line ${lineOf(text, "environment: other")}); keep one (YAML does not allow a key twice in a mapping)`,
    ]);
  });
});

describe("bad input of every class is a one-line error naming the field, never a crash nor a silent pass", () => {
  it.each(BAD_INPUT_CASES)("$name", ({ edit, line }) => {
    expect(problemsOf(exampleWith(edit))).toEqual([expect.stringMatching(line)]);
  });

  it.each(BAD_FILE_CASES)("a file that is $name", ({ input, line }) => {
    expect(problemsOf(input)).toEqual([expect.stringMatching(line)]);
  });

  it("reports every problem of those classes at once, one line each", () => {
    const independent = BAD_INPUT_CASES.filter((c) =>
      [
        "a snapshot time on 30 February",
        "a VPC CIDR with an octet above 255 (failed later at synth with no field path)",
        "an AKS authorized range with an octet above 255 (reached AKS)",
        "a Google Cloud project id with a space",
        "a webhook with a token in its query",
        "a dump URL with a SAS signature",
        "a misspelt field close to a known one",
        "an enum value in the wrong case",
      ].includes(c.name),
    );
    expect(independent).toHaveLength(8);
    const problems = problemsOf(
      exampleWith((doc) => {
        for (const { edit } of independent) edit(doc);
      }),
    );
    expect(problems).toHaveLength(independent.length);
    for (const { line } of independent) expect(problems).toContainEqual(expect.stringMatching(line));
  });

  it("names every duplicated key of a file, nested ones with their full path", () => {
    const text = exampleWithLine('      engineVersion: "7.1"', "      nodes: 3");
    // In file order, so the list reads top to bottom like the file.
    expect(problemsOf(`${text}\nobjectives: {}\n`)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^targets\\.aws\\.cache\\.nodes: defined twice \\(line ${lineOf(text, "      nodes: 2                     # more than one: Multi-AZ with automatic failover")} and line ${lineOf(text, "      nodes: 3")}\\)`,
        ),
      ),
      expect.stringMatching(new RegExp(`^objectives: defined twice \\(line ${lineOf(text, "objectives:")} and line ${text.split("\n").length + 1}\\)`)),
    ]);
  });

  it("accepts what the stricter checks must still let through", () => {
    const accepted = (edit: (doc: any) => void) => problemsOf(exampleWith(edit));
    // A leap day, an offset, a fraction; a BOM; a leading document marker.
    expect(accepted((doc) => (doc.targets.aws.database.restore.snapshotTakenAt = "2024-02-29T23:59:59.123-05:00"))).toEqual([]);
    expect(accepted((doc) => (doc.targets.gcp.database.restore.backupTakenAt = "2000-02-29T00:00:00+14:00"))).toEqual([]);
    expect(problemsOf(`\uFEFF${EXAMPLE}`)).toEqual([]);
    expect(problemsOf(Buffer.from(`\uFEFF${EXAMPLE}`, "utf8"))).toEqual([]);
    expect(problemsOf(`---\n${EXAMPLE}`)).toEqual([]);
    // Non-ASCII text in UTF-8 (a comment), anchors and aliases within bounds.
    expect(problemsOf(EXAMPLE.replace("# the recovery region", "# the recovery region (région de reprise 🚑)"))).toEqual([]);
    expect(
      problemsOf(
        EXAMPLE.replace("emails: [oncall@medplum.example.com]", "emails: &oncall [oncall@medplum.example.com]").replace(
          /emails: \[oncall@medplum\.example\.com\]/g,
          "emails: *oncall",
        ),
      ),
    ).toEqual([]);
    // Private allow-list ranges, a single address, an IPv6 NetworkPolicy peer, a digest-pinned image from a registry with a port.
    expect(accepted((doc) => (doc.targets.azure.cluster.apiServer.authorizedIpRanges = ["10.0.0.0/8", "198.51.100.7/32"]))).toEqual([]);
    expect(accepted((doc) => (doc.targets.kubernetes.ingress.allowedFrom = [{ cidr: "2001:db8::/64" }]))).toEqual([]);
    expect(accepted((doc) => (doc.medplum.image = `registry.example.com:5000/medplum/medplum-server@sha256:${"a".repeat(64)}`))).toEqual([]);
    // Identifiers of automated and AWS Backup snapshots; a Slack-free webhook.
    expect(
      accepted(
        (doc) => (doc.targets.aws.database.restore.snapshotIdentifier = "arn:aws:rds:us-west-2:111122223333:cluster-snapshot:awsbackup:copyjob-0a1b2c3d"),
      ),
    ).toEqual([]);
    expect(accepted((doc) => (doc.targets.azure.alerts.webhooks = [{ name: "pager", uri: "https://pager.example.com/azure-monitor?team=dr" }]))).toEqual([]);
  });
});

describe("reading the config file", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "medplum-dr-config-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const loadProblems = (path: string): string[] => {
    try {
      loadRecoveryConfig(path);
    } catch (error) {
      if (error instanceof RecoveryConfigError) return [...error.problems];
      throw error;
    }
    return [];
  };

  it("reads the file as bytes, so a byte that is not UTF-8 is reported where it is rather than replaced", () => {
    const latin1 = BAD_FILE_CASES.find((c) => c.name === "a byte that is not UTF-8")!;
    const path = join(dir, "latin1.yaml");
    writeFileSync(path, latin1.input);
    expect(loadProblems(path)).toEqual([expect.stringMatching(latin1.line)]);
  });

  it("refuses a directory, and reads no more than a config could be from a file that never ends", () => {
    mkdirSync(join(dir, "config.yaml"));
    expect(loadProblems(join(dir, "config.yaml"))).toEqual([expect.stringMatching(/^RECOVERY_CONFIG: cannot read ".*config\.yaml" \(it is a directory\)/)]);
    expect(loadProblems("/dev/zero")).toEqual([expect.stringMatching(/^\(file\): is larger than 1 MiB/)]);
  });

  it("accepts the example with a byte-order mark, as Windows editors save it", () => {
    const path = join(dir, "bom.yaml");
    writeFileSync(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(EXAMPLE)]));
    expect(loadProblems(path)).toEqual([]);
  });
});
