/**
 * Every target, in every restore and storage mode, synthesized the way main.ts does it; then the environment the
 * Medplum servers would get is read back from the JSON and judged by the server's own rules (modules/medplum/settings.ts,
 * which encodes packages/server/src/config/loader.ts and config/utils.ts of Medplum 4.3.9 and 5.0.10):
 *   - every MEDPLUM_* name lands in a setting that exists;
 *   - every literal value parses the way the loader parses it, and JSON-valued ones are objects of the right shape;
 *   - a database that refuses plain connections is never paired with an environment that leaves database.ssl unset,
 *     and the server certificate is verified wherever its CA is knowable;
 *   - s3: storage always has awsRegion; SMTP settings and the signing key appear exactly where config asks for them.
 */
import { SOURCE_VPC_CONFIG } from "../gcp/support";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import type { RecoveryConfig, TargetName } from "../../config/schema";
import { DATABASE_SSL_KEYS, majorVersionsFor, medplumSettingOf, type MedplumMajorVersion } from "../../modules/medplum";
import { TARGETS } from "../../modules/registry";
import { buildRecoveryApp } from "../../stacks/app";
import { exampleConfigWithoutStandby, type ConfigOverrides, RDS_SNAPSHOT_RESTORE } from "../support/config";
import { serverEnvironments, tlsForcingDatabases, type EmittedVariable } from "./emitted-environment";

const CA_BUNDLE = join(__dirname, "fixtures", "test-ca-bundle.pem");
const CA_PEM = readFileSync(CA_BUNDLE, "utf8");
/** A digest names no version: the environment must then suit every supported server. */
const BY_DIGEST = `medplum/medplum-server@sha256:${"0123456789abcdef".repeat(4)}`;
const V5 = "medplum/medplum-server:5.0.10";
const SMTP = { host: "smtp.example.com", port: 587, username: "apikey" };

const AZURE_SOURCE =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/medplum-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/medplum-prod-pg";
const AZURE_VNET = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/dr";
const AZURE_ZONE = (name: string) =>
  `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/privateDnsZones/${name}`;
const AZURE_EXISTING_NETWORK = {
  mode: "existing",
  virtualNetworkId: AZURE_VNET,
  postgresSubnet: { id: `${AZURE_VNET}/subnets/pg`, cidr: "10.9.1.0/24" },
  aksSubnet: { id: `${AZURE_VNET}/subnets/aks` },
  privateEndpointSubnet: { id: `${AZURE_VNET}/subnets/pe`, cidr: "10.9.2.0/24" },
  privateDnsZoneIds: {
    postgres: AZURE_ZONE("privatelink.postgres.database.azure.com"),
    redis: AZURE_ZONE("privatelink.redis.azure.net"),
    keyVault: AZURE_ZONE("privatelink.vaultcore.azure.net"),
    blob: AZURE_ZONE("privatelink.blob.core.windows.net"),
  },
};
const K8S_EXISTING_DATABASE = {
  mode: "existing",
  host: "medplum-pg-rw.databases.svc",
  credentials: { secretName: "medplum-pg-app" },
  allowedPeers: [{ namespace: "databases" }],
};
const K8S_EXISTING_REDIS = {
  mode: "existing",
  host: "redis.cache.svc",
  tls: true,
  password: { secretName: "redis-auth" },
  allowedPeers: [{ namespace: "cache" }],
};

interface Case {
  readonly name: string;
  readonly target: TargetName;
  readonly overrides: ConfigOverrides;
  /** Where the servers' database certificate check stands: verified against a named CA, the public roots, or not. */
  readonly databaseTls: "verify-ca" | "verify-public-roots" | "verify-terraform-ca" | "encrypt-only" | "off";
  /** The region MEDPLUM_AWS_REGION must name, for s3: storage. */
  readonly s3Region?: string;
  readonly signingKey: boolean;
}

const CASES: readonly Case[] = [
  {
    name: "aws: Aurora from a cluster snapshot, existing bucket (example)",
    target: "aws",
    overrides: {},
    databaseTls: "encrypt-only",
    s3Region: "us-west-2",
    signingKey: true,
  },
  {
    name: "aws: RDS from a snapshot, new bucket, server 5.x",
    target: "aws",
    overrides: {
      medplum: { image: V5 },
      targets: {
        aws: {
          database: {
            engine: "postgres",
            restore: RDS_SNAPSHOT_RESTORE,
          },
          storage: { mode: "new", bucketName: "medplum-dr-binaries" },
        },
      },
    },
    databaseTls: "encrypt-only",
    s3Region: "us-west-2",
    signingKey: true,
  },
  {
    name: "aws: RDS point in time, RDS CA bundle, SMTP",
    target: "aws",
    overrides: {
      medplum: { smtp: SMTP },
      targets: {
        aws: {
          database: {
            engine: "postgres",
            caBundleFile: CA_BUNDLE,
            restore: { mode: "point-in-time", automatedBackupsArn: "arn:aws:rds:us-west-2:111122223333:auto-backup:ab-example", time: "latest" },
          },
        },
      },
    },
    databaseTls: "verify-ca",
    s3Region: "us-west-2",
    signingKey: true,
  },
  { name: "gcp: backup restore, existing bucket (example)", target: "gcp", overrides: {}, databaseTls: "verify-terraform-ca", signingKey: false },
  {
    name: "gcp: point-in-time clone, new bucket, signing key, SMTP, server 5.x",
    target: "gcp",
    overrides: {
      medplum: { image: V5, smtp: SMTP },
      targets: {
        gcp: {
          region: "us-east1",
          network: SOURCE_VPC_CONFIG,
          database: { restore: { mode: "point-in-time-clone", sourceInstance: "medplum-prod", time: "2026-11-22T08:30:00Z" } },
          storage: { mode: "new", bucketName: "medplum-dr-binaries" },
          secrets: {
            signingKey: "medplum-signing-key",
            signingKeyId: "medplum-signing-key-id",
            signingKeyPassphrase: "medplum-signing-key-passphrase",
            smtpPassword: "medplum-smtp",
          },
        },
      },
    },
    databaseTls: "verify-terraform-ca",
    signingKey: true,
  },
  {
    name: "gcp: replica promotion",
    target: "gcp",
    overrides: {
      targets: {
        gcp: {
          network: SOURCE_VPC_CONFIG,
          database: { restore: { mode: "replica-promotion", replicaInstance: "medplum-prod-replica-usw1", primaryInstance: "medplum-prod" } },
        },
      },
    },
    databaseTls: "verify-terraform-ca",
    signingKey: false,
  },
  { name: "azure: geo-restore, existing storage account (example)", target: "azure", overrides: {}, databaseTls: "verify-public-roots", signingKey: false },
  {
    name: "azure: point in time, new storage account, signing key, SMTP, server 5.x",
    target: "azure",
    overrides: {
      medplum: { image: V5, smtp: SMTP },
      targets: {
        azure: {
          region: "eastus",
          database: { restore: { mode: "point-in-time", sourceServerId: AZURE_SOURCE, time: "2026-11-22T08:00:00Z" } },
          storage: { mode: "new", accountName: "medplumdrbinaries", containerName: "binaries" },
          secrets: {
            names: {
              signingKey: "medplum-signing-key",
              signingKeyId: "medplum-signing-key-id",
              signingKeyPassphrase: "medplum-signing-key-passphrase",
              smtpPassword: "medplum-smtp",
            },
          },
        },
      },
    },
    databaseTls: "verify-public-roots",
    signingKey: true,
  },
  {
    name: "azure: replica promotion",
    target: "azure",
    overrides: {
      targets: {
        azure: {
          region: "westus2",
          network: AZURE_EXISTING_NETWORK,
          database: {
            restore: {
              mode: "replica-promotion",
              replicaServerId: AZURE_SOURCE.replace("medplum-prod-pg", "medplum-prod-pg-replica"),
              sourceServerId: AZURE_SOURCE,
            },
          },
        },
      },
    },
    databaseTls: "verify-public-roots",
    signingKey: false,
  },
  {
    name: "kubernetes: Postgres from a dump, Redis StatefulSet, s3 (example)",
    target: "kubernetes",
    overrides: {},
    databaseTls: "off",
    s3Region: "us-west-2",
    signingKey: true,
  },
  {
    name: "kubernetes: existing TLS database with its CA, existing TLS Redis, gs, SMTP, no signing key, server 5.x",
    target: "kubernetes",
    overrides: {
      medplum: { image: V5, smtp: SMTP },
      targets: {
        kubernetes: {
          database: { ...K8S_EXISTING_DATABASE, caBundleFile: CA_BUNDLE },
          redis: K8S_EXISTING_REDIS,
          storage: { binaryStorage: "gs:medplum-binaries", awsRegion: null, credentials: null },
          secrets: { applicationSecret: null, smtpPassword: { secretName: "medplum-smtp" } },
        },
      },
    },
    databaseTls: "verify-ca",
    signingKey: false,
  },
  {
    name: "kubernetes: existing TLS database on public roots, azure storage",
    target: "kubernetes",
    overrides: {
      targets: {
        kubernetes: { database: K8S_EXISTING_DATABASE, storage: { binaryStorage: "azure:medplumbinaries:binaries", awsRegion: null, credentials: null } },
      },
    },
    databaseTls: "verify-public-roots",
    signingKey: true,
  },
  {
    name: "kubernetes: existing database without TLS, server pinned by digest",
    target: "kubernetes",
    overrides: { medplum: { image: BY_DIGEST }, targets: { kubernetes: { database: { ...K8S_EXISTING_DATABASE, tls: false } } } },
    databaseTls: "off",
    s3Region: "us-west-2",
    signingKey: true,
  },
];

function synthesize(config: RecoveryConfig, target: TargetName): Record<string, any> {
  const single = { ...config, targets: { [target]: config.targets[target] } } as RecoveryConfig;
  const { stacks } = buildRecoveryApp(single, mkdtempSync(join(tmpdir(), "medplum-settings-")));
  const stack = stacks.find((candidate) => candidate.node.id === TARGETS[target].stackName);
  if (stack === undefined) throw new Error(`no ${TARGETS[target].stackName} stack`);
  return JSON.parse(Testing.synth(stack));
}

const isExpression = (value: string) => /^\$\{[\s\S]*\}$/.test(value);
/** Keys of an HCL object literal inside `${jsonencode({...})}`, as cdktf writes it: `"key" = value`. */
const hclKeys = (value: string) => [...value.matchAll(/"([A-Za-z]+)" =/g)].map((match) => match[1]!);

const OBJECT_SHAPES: Readonly<Record<string, readonly string[]>> = {
  "database.ssl": DATABASE_SSL_KEYS,
  // ioredis passes these to tls.connect.
  "redis.tls": ["ca", "cert", "key", "rejectUnauthorized", "servername"],
  smtp: ["host", "port", "username", "password"],
};

/** Problems with one variable's value, judged by how the loader parses it. */
function valueProblems(variable: EmittedVariable, major: MedplumMajorVersion): string[] {
  const setting = medplumSettingOf(variable.name, major);
  if (setting === undefined) return [];
  if (!setting.exists) return [`${variable.name} lands in "${setting.path}", which Medplum ${major}.x does not have`];
  if (variable.value === undefined) return [];
  const value = variable.value;
  switch (setting.parsedAs) {
    case "integer":
      return isExpression(value) || /^\d+$/.test(value) ? [] : [`${variable.name}=${value} is not an integer`];
    case "boolean":
      return value === "true" || value === "false" ? [] : [`${variable.name}=${value} is not true or false`];
    case "object": {
      const allowed = OBJECT_SHAPES[setting.path] ?? [];
      if (isExpression(value)) {
        if (!value.startsWith("${jsonencode({")) return [`${variable.name} is an expression that is not a jsonencode of an object: ${value}`];
        return hclKeys(value)
          .filter((key) => !allowed.includes(key))
          .map((key) => `${variable.name} has key ${key}, not one of ${allowed.join(", ")}`);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        return [`${variable.name}=${value} is not JSON, and Medplum JSON.parses it`];
      }
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return [`${variable.name}=${value} is not a JSON object`];
      return Object.keys(parsed)
        .filter((key) => !allowed.includes(key))
        .map((key) => `${variable.name} has key ${key}, not one of ${allowed.join(", ")}`);
    }
    default:
      return [];
  }
}

const ALL_TARGETS: readonly TargetName[] = ["aws", "gcp", "azure", "kubernetes"];

/** The example with the overrides, holding only the case's target (the others would need their own SMTP secrets...). */
function caseConfig(testCase: Case): RecoveryConfig {
  const others = Object.fromEntries(ALL_TARGETS.filter((target) => target !== testCase.target).map((target) => [target, null]));
  const overrides = testCase.overrides as { targets?: Record<string, unknown> };
  // On the example without its standby sections: each case chooses the recovery's restore itself.
  return exampleConfigWithoutStandby({ ...testCase.overrides, targets: { ...(overrides.targets ?? {}), ...others } });
}

describe.each(CASES)("$name", (testCase) => {
  const config = caseConfig(testCase);
  const stack = synthesize(config, testCase.target);
  const environments = serverEnvironments(stack);
  const [environment] = environments;
  const variable = (name: string) => environment!.variables.find((candidate) => candidate.name === name);

  it("gives the Medplum servers an environment", () => {
    expect(environments.map((found) => found.where)).toHaveLength(1);
  });

  it.each(majorVersionsFor(config.medplum.image).map((major) => [major]))("names only settings Medplum %d.x has, with values it parses", (major) => {
    const problems = environment!.variables.filter((entry) => entry.name.startsWith("MEDPLUM_")).flatMap((entry) => valueProblems(entry, major));
    expect(problems).toEqual([]);
  });

  it("never pairs a TLS-only database with an environment that leaves database.ssl unset", () => {
    const forcing = tlsForcingDatabases(stack);
    const ssl = variable("MEDPLUM_DATABASE_SSL");
    if (forcing.length > 0) expect(ssl?.value, `${forcing.join(", ")} refuses plain connections`).toBeDefined();
    const existingTls = testCase.target === "kubernetes" && config.targets.kubernetes!.database.mode === "existing" && config.targets.kubernetes!.database.tls;
    if (existingTls) expect(ssl?.value, "targets.kubernetes.database.tls is true").toBeDefined();
  });

  it(`connects to the database as "${testCase.databaseTls}"`, () => {
    const ssl = variable("MEDPLUM_DATABASE_SSL")?.value;
    switch (testCase.databaseTls) {
      case "off":
        expect(ssl).toBeUndefined();
        break;
      case "encrypt-only":
        expect(JSON.parse(ssl!)).toEqual({ require: true, rejectUnauthorized: false });
        break;
      case "verify-public-roots":
        expect(JSON.parse(ssl!)).toEqual({ require: true, rejectUnauthorized: true });
        break;
      case "verify-ca":
        expect(JSON.parse(ssl!)).toEqual({ require: true, rejectUnauthorized: true, ca: CA_PEM });
        break;
      case "verify-terraform-ca": {
        // Cloud SQL: the instance's CA, and the DNS name its (shared-CA) certificate carries, since the host is an IP.
        expect(ssl).toMatch(
          /^\$\{jsonencode\(\{"require" = true, "rejectUnauthorized" = true, "ca" = google_sql_database_instance\.\w+\.server_ca_cert\[0\]\.cert, "servername" = local\.\w+\}\)\}$/,
        );
        const local = /"servername" = local\.(\w+)/.exec(ssl!)![1]!;
        expect(stack.locals[local]).toMatch(/dns_names : name\.name if name\.connection_type == "PRIVATE_SERVICES_ACCESS" && name\.dns_scope == "INSTANCE"/);
        const instance = Object.values<any>(stack.resource.google_sql_database_instance)[0];
        expect(instance.settings.ip_configuration.server_ca_mode).toBe("GOOGLE_MANAGED_CAS_CA");
        break;
      }
    }
  });

  it(testCase.s3Region !== undefined ? `sets awsRegion to ${testCase.s3Region} for the s3: bucket` : "has no s3: storage", () => {
    const storage = variable("MEDPLUM_BINARY_STORAGE")?.value;
    if (testCase.s3Region === undefined) {
      expect(storage).not.toMatch(/^s3:/);
    } else {
      expect(storage).toMatch(/^s3:/);
      expect(variable("MEDPLUM_AWS_REGION")?.value).toBe(testCase.s3Region);
    }
  });

  it(config.medplum.smtp !== undefined ? "sends mail through SMTP, the password from the secret store" : "sets no SMTP settings", () => {
    const smtp = ["MEDPLUM_SMTP_HOST", "MEDPLUM_SMTP_PORT", "MEDPLUM_SMTP_USERNAME", "MEDPLUM_SMTP_PASSWORD"].map(variable);
    if (config.medplum.smtp === undefined) {
      expect(smtp.filter(Boolean)).toEqual([]);
    } else {
      expect(smtp.slice(0, 3).map((entry) => entry?.value)).toEqual([SMTP.host, String(SMTP.port), SMTP.username]);
      expect(smtp[3]?.value).toBeUndefined();
      expect(smtp[3]?.secret).toBeDefined();
    }
  });

  it(testCase.signingKey ? "reads the signing key from the secret store" : "sets no signing key (nothing there would use it)", () => {
    const keys = ["MEDPLUM_SIGNING_KEY", "MEDPLUM_SIGNING_KEY_ID", "MEDPLUM_SIGNING_KEY_PASSPHRASE"].map(variable);
    if (testCase.signingKey) expect(keys.map((entry) => entry?.secret !== undefined && entry.value === undefined)).toEqual([true, true, true]);
    else expect(keys.filter(Boolean)).toEqual([]);
  });

  it("keeps every credential out of the plain environment", () => {
    const plain = environment!.variables.filter((entry) => entry.value !== undefined).map((entry) => entry.name);
    expect(plain.filter((name) => /PASSWORD|PASSPHRASE|SIGNING_KEY/.test(name))).toEqual([]);
  });
});
