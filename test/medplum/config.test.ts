/**
 * The config fields behind Medplum's settings (SMTP, the s3: region, the signing key, database CA bundles) are refused
 * with the field's dotted path when they cannot work, before anything is synthesized.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { RecoveryConfigError } from "../../config/load";
import type { RecoveryConfig, TargetName } from "../../config/schema";
import { TARGETS } from "../../modules/registry";
import { buildRecoveryApp } from "../../stacks/app";
import { exampleConfig, type ConfigOverrides } from "../support/config";

function problems(overrides: ConfigOverrides): string[] {
  try {
    exampleConfig(overrides);
  } catch (error) {
    if (error instanceof RecoveryConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

function synthesize(config: RecoveryConfig, target: TargetName): string {
  const single = { ...config, targets: { [target]: config.targets[target] } } as RecoveryConfig;
  const { stacks } = buildRecoveryApp(single, mkdtempSync(join(tmpdir(), "medplum-config-")));
  return Testing.synth(stacks.find((stack) => stack.node.id === TARGETS[target].stackName)!);
}

const SMTP = { host: "smtp.example.com", username: "apikey" };

describe("config for Medplum's server settings", () => {
  it.each<[string, ConfigOverrides, RegExp]>([
    [
      "SMTP without the password's Secret Manager secret",
      { medplum: { smtp: SMTP } },
      /^targets\.gcp\.secrets\.smtpPassword: \(not set\) is required when medplum\.smtp is set; name the Secret Manager secret holding the SMTP password$/,
    ],
    [
      "SMTP without the password's Key Vault secret",
      { medplum: { smtp: SMTP } },
      /^targets\.azure\.secrets\.names\.smtpPassword: \(not set\) is required when medplum\.smtp is set/,
    ],
    [
      "SMTP without the password's Kubernetes Secret",
      { medplum: { smtp: SMTP } },
      /^targets\.kubernetes\.secrets\.smtpPassword: \(not set\) is required when medplum\.smtp is set/,
    ],
    [
      "an SMTP password without SMTP",
      { targets: { gcp: { secrets: { smtpPassword: "medplum-smtp" } } } },
      /^targets\.gcp\.secrets\.smtpPassword: "medplum-smtp" is given, but medplum\.smtp is not set/,
    ],
    [
      "s3: storage on Kubernetes without the bucket's region",
      { targets: { kubernetes: { storage: { awsRegion: null } } } },
      /^targets\.kubernetes\.storage\.awsRegion: \(not set\) is not set, but binaryStorage is s3:medplum-binaries-replica; Medplum's S3 client takes its region from this \(MEDPLUM_AWS_REGION\), not from AWS_REGION/,
    ],
    [
      "a setting Medplum does not have, as plain storage environment",
      { targets: { kubernetes: { storage: { environment: { MEDPLUM_DATABASE_SSL_REQUIRE: "true" } } } } },
      /^targets\.kubernetes\.storage\.environment\.MEDPLUM_DATABASE_SSL_REQUIRE: "true" names no Medplum setting: Medplum 4\.x reads MEDPLUM_DATABASE_SSL_REQUIRE as "database\.sslRequire"/,
    ],
    [
      "a setting Medplum 4.x does not have, as an additional GCP secret",
      { targets: { gcp: { secrets: { additional: { MEDPLUM_DEFAULT_SUPER_ADMIN_PASSWORD: "admin-password" } } } } },
      /^targets\.gcp\.secrets\.additional\.MEDPLUM_DEFAULT_SUPER_ADMIN_PASSWORD: "admin-password" names no Medplum setting: Medplum 4\.x reads MEDPLUM_DEFAULT_SUPER_ADMIN_PASSWORD as "defaultSuperAdminPassword", which is not one of its settings/,
    ],
    [
      "half a signing key on GCP",
      { targets: { gcp: { secrets: { signingKey: "medplum-signing-key" } } } },
      /^targets\.gcp\.secrets: .* names signingKey but not all of signingKey, signingKeyId, signingKeyPassphrase/,
    ],
    [
      "a database CA bundle without TLS",
      {
        targets: {
          kubernetes: {
            database: {
              mode: "existing",
              host: "pg",
              credentials: { secretName: "pg" },
              tls: false,
              caBundleFile: "ca.pem",
              allowedPeers: [{ namespace: "db" }],
            },
          },
        },
      },
      /^targets\.kubernetes\.database\.caBundleFile: "ca\.pem" is set, but database\.tls is false/,
    ],
    [
      "a server major this project has no settings table for",
      { medplum: { image: "medplum/medplum-server:3.2.1" } },
      /^medplum\.image: "medplum\/medplum-server:3\.2\.1" is Medplum server 3\.x; the server settings this project writes are checked against servers 4 and 5 only/,
    ],
  ])("refuses %s", (_name, overrides, line) => {
    expect(problems(overrides)).toContainEqual(expect.stringMatching(line));
  });

  it("accepts the example, whose GCP and Azure targets name no signing key (Medplum would not use one there)", () => {
    expect(problems({})).toEqual([]);
  });

  it("names the config field when the RDS CA bundle cannot be read at synth", () => {
    const config = exampleConfig({ targets: { aws: { database: { caBundleFile: "config/no-such-bundle.pem" } } } });
    expect(() => synthesize(config, "aws")).toThrow(/^targets\.aws\.database\.caBundleFile: "config\/no-such-bundle\.pem" cannot be read \(ENOENT\)/);
  });

  it("names the config field when the bundle holds no certificate", () => {
    const file = join(mkdtempSync(join(tmpdir(), "medplum-ca-")), "empty.pem");
    writeFileSync(file, "not a certificate\n");
    const config = exampleConfig({ targets: { aws: { database: { caBundleFile: file } } } });
    expect(() => synthesize(config, "aws")).toThrow(/^targets\.aws\.database\.caBundleFile: ".*empty\.pem" holds no PEM certificate/);
  });
});
