import { exampleYaml, problemsOf, withoutStandby } from "./support";

/** Edits of targets.gcp and the one problem line each must produce, with the exact dotted path. */
const cases: Array<{ name: string; edit: (gcp: any, doc: any) => void; line: RegExp }> = [
  {
    name: "a target version that differs from the source's",
    edit: (gcp) => (gcp.database.databaseVersion = "POSTGRES_17"),
    line: /^targets\.gcp\.database\.databaseVersion: "POSTGRES_17" differs from database\.sourceDatabaseVersion \(POSTGRES_16\); Cloud SQL restores a backup only into the same version/,
  },
  {
    name: "a PostgreSQL version Medplum cannot run",
    edit: (gcp) => (gcp.database.sourceDatabaseVersion = "POSTGRES_13"),
    line: /^targets\.gcp\.database\.sourceDatabaseVersion: "POSTGRES_13" is not one of "POSTGRES_14", "POSTGRES_15", "POSTGRES_16", "POSTGRES_17"$/,
  },
  {
    name: "a point-in-time clone without a time",
    edit: (gcp) => ((gcp.region = gcp.primaryRegion), (gcp.database.restore = { mode: "point-in-time-clone", sourceInstance: "medplum-prod" })),
    line: /^targets\.gcp\.database\.restore\.time: \(not set\) is missing; expected string/,
  },
  {
    name: "a point-in-time clone at a future time",
    edit: (gcp) => (
      (gcp.region = gcp.primaryRegion), (gcp.database.restore = { mode: "point-in-time-clone", sourceInstance: "medplum-prod", time: "2999-01-01T00:00:00Z" })
    ),
    line: /^targets\.gcp\.database\.restore\.time: "2999-01-01T00:00:00Z" is in the future; give a past RFC 3339 time/,
  },
  {
    name: "a point-in-time clone at a zone-less time",
    edit: (gcp) => (
      (gcp.region = gcp.primaryRegion), (gcp.database.restore = { mode: "point-in-time-clone", sourceInstance: "medplum-prod", time: "2026-11-22 08:30" })
    ),
    line: /^targets\.gcp\.database\.restore\.time: "2026-11-22 08:30" is not an RFC 3339 time with a zone/,
  },
  {
    name: "a point-in-time clone into another region than its source's",
    edit: (gcp) => (gcp.database.restore = { mode: "point-in-time-clone", sourceInstance: "medplum-prod", time: "2026-11-22T08:30:00Z" }),
    line: /^targets\.gcp\.database\.restore\.mode: "point-in-time-clone" creates the clone in the source instance's region \(primaryRegion us-east1\), not us-west1/,
  },
  {
    name: "a replica promotion without the replica's name",
    edit: (gcp) => (gcp.database.restore = { mode: "replica-promotion", primaryInstance: "medplum-prod" }),
    line: /^targets\.gcp\.database\.restore\.replicaInstance: \(not set\) is missing; expected string/,
  },
  {
    name: "a point-in-time clone into a new VPC (a clone stays in its source's)",
    edit: (gcp) => (
      (gcp.region = gcp.primaryRegion), (gcp.database.restore = { mode: "point-in-time-clone", sourceInstance: "medplum-prod", time: "2026-11-22T08:30:00Z" })
    ),
    line: /^targets\.gcp\.network\.mode: "new" cannot hold the recovered instance: a point-in-time clone lands in its source instance's VPC .*; use mode "existing"/,
  },
  {
    name: "a replica promotion into a new VPC (the replica stays in its own)",
    edit: (gcp) => (gcp.database.restore = { mode: "replica-promotion", replicaInstance: "medplum-prod-replica-usw1", primaryInstance: "medplum-prod" }),
    line: /^targets\.gcp\.network\.mode: "new" cannot hold the recovered instance: a promoted replica stays in the VPC it was created in; use mode "existing"/,
  },
  {
    name: "a replica promotion in an existing VPC without its private services range",
    edit: (gcp) => (
      (gcp.network = { mode: "existing", networkName: "prod", subnetworkName: "prod-usw1", podsRangeName: "pods", servicesRangeName: "services" }),
      (gcp.database.restore = { mode: "replica-promotion", replicaInstance: "medplum-prod-replica-usw1", primaryInstance: "medplum-prod" })
    ),
    line: /^targets\.gcp\.network\.privateServicesRangeName: \(not set\) is needed: a promoted replica stays in the VPC it was created in, which already has private services access/,
  },
  {
    name: "an unknown restore mode",
    edit: (gcp) => (gcp.database.restore.mode = "snapshot"),
    line: /^targets\.gcp\.database\.restore\.mode: "snapshot" is not one of "backup", "point-in-time-clone", "replica-promotion"/,
  },
  {
    name: "a backup run id that is not a number",
    edit: (gcp) => (gcp.database.restore.backupRunId = "latest"),
    line: /^targets\.gcp\.database\.restore\.backupRunId: "latest" has the wrong type; expected number/,
  },
  {
    name: "a region-loss recovery into the lost region",
    edit: (gcp) => (gcp.region = gcp.primaryRegion),
    line: /^targets\.gcp\.region: "us-east1" is the primary region too; recover into a different region than us-east1/,
  },
  {
    name: "a DNS TTL above 60 seconds",
    edit: (gcp) => (gcp.dns.ttlSeconds = 300),
    line: /^targets\.gcp\.dns\.ttlSeconds: 300 is above 60 seconds; a recovery record must expire within a minute/,
  },
  {
    name: "more than 7 days of write-ahead log on ENTERPRISE",
    edit: (gcp) => (gcp.database.transactionLogRetentionDays = 14),
    line: /^targets\.gcp\.database\.transactionLogRetentionDays: 14 is above 7, which only edition ENTERPRISE_PLUS allows/,
  },
  {
    name: "an Enterprise Plus edition on an Enterprise tier",
    edit: (gcp) => (gcp.database.edition = "ENTERPRISE_PLUS"),
    line: /^targets\.gcp\.database\.tier: "db-custom-4-16384" does not fit edition ENTERPRISE_PLUS; ENTERPRISE_PLUS needs a db-perf-optimized-N-\* tier/,
  },
  {
    name: "a CMEK key outside the recovery region",
    edit: (gcp) => (gcp.database.kmsKeyName = "projects/acme-medplum-dr/locations/us-east1/keyRings/medplum/cryptoKeys/cloudsql"),
    line: /^targets\.gcp\.database\.kmsKeyName: "projects\/acme-medplum-dr\/locations\/us-east1\/.* is in us-east1, not the recovery region us-west1/,
  },
  {
    name: "alerts with no destination",
    edit: (gcp) => (gcp.alerts = { emails: [], channelIds: [] }),
    line: /^targets\.gcp\.alerts: .* names no destination; give at least one of emails, channelIds/,
  },
  {
    name: "a malformed notification channel id",
    edit: (gcp) => (gcp.alerts.channelIds = ["pager"]),
    line: /^targets\.gcp\.alerts\.channelIds\[0\]: "pager" is not a notification channel id/,
  },
  {
    name: "no network allowed to reach the control plane",
    edit: (gcp) => (gcp.cluster.masterAuthorizedNetworks = []),
    line: /^targets\.gcp\.cluster\.masterAuthorizedNetworks: \[\] needs at least one network/,
  },
  {
    name: "a Redis version below 7",
    edit: (gcp) => (gcp.cache.redisVersion = "REDIS_6_X"),
    line: /^targets\.gcp\.cache\.redisVersion: "REDIS_6_X" is not one of "REDIS_7_0", "REDIS_7_2"$/,
  },
  {
    name: "a primary-backup record with too few probing regions",
    edit: (gcp) => (gcp.dns.routing = { mode: "primary-backup", primaryAddresses: ["198.51.100.7"], healthCheckRegions: ["us-east1"] }),
    line: /^targets\.gcp\.dns\.routing\.healthCheckRegions: \["us-east1"\] needs exactly three regions to probe from/,
  },
  {
    name: "pre-shared TLS without a certificate",
    edit: (gcp) => (gcp.tls = { mode: "pre-shared", certificateNames: [] }),
    line: /^targets\.gcp\.tls\.certificateNames: \[\] needs at least one certificate name/,
  },
  {
    name: "an additional secret that overrides the signing key",
    edit: (gcp) => (gcp.secrets.additional = { MEDPLUM_SIGNING_KEY: "other-key" }),
    line: /^targets\.gcp\.secrets\.additional\.MEDPLUM_SIGNING_KEY: "other-key" names MEDPLUM_SIGNING_KEY, which the recovery sets itself/,
  },
  {
    name: "a misspelt safety setting",
    edit: (gcp) => (gcp.database.deletionProtecton = false),
    line: /^targets\.gcp\.database\.deletionProtecton: is not a known field/,
  },
  {
    name: "a Medplum version that cannot read binaries from Cloud Storage (gs: arrived in 4.1.4)",
    edit: (_gcp, doc) => (delete doc.targets.aws, (doc.medplum.image = "medplum/medplum-server:4.1.3")),
    line: /^medplum\.image: "medplum\/medplum-server:4\.1\.3" cannot run on targets\.gcp: the GCP target serves binaries from Cloud Storage \(MEDPLUM_BINARY_STORAGE=gs:<bucket>\), which Medplum reads only from 4\.1\.4/,
  },
  {
    name: "a server size GKE Autopilot cannot run",
    edit: (_gcp, doc) => (delete doc.targets.aws, (doc.medplum.server.cpuMillicores = 500), (doc.medplum.server.memoryMiB = 8192)),
    line: /^medplum\.server\.memoryMiB: 8192 is 16\.00 GiB per vCPU with 500 millicores; targets\.gcp \(GKE Autopilot\) needs 1-6\.5 GiB per vCPU/,
  },
];

describe("a malformed targets.gcp is rejected with the field's dotted path, the value received and what was expected", () => {
  it.each(cases)("$name", ({ edit, line }) => {
    // On the recovery without standby-gcp: each case then adds only the problem it names.
    const problems = problemsOf(exampleYaml((doc) => (withoutStandby(doc), edit(doc.targets.gcp, doc))));
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(line)]));
  });

  it.each(["medplum/medplum-server:4.1.4", "medplum/medplum-server:4.3.9", "medplum/medplum-server:v5.0.10"])(
    "accepts %s on targets.gcp: it reads gs: binary storage",
    (image) => {
      expect(problemsOf(exampleYaml((doc) => (doc.medplum.image = image))).filter((problem) => problem.startsWith("medplum.image"))).toEqual([]);
    },
  );

  it("refuses 4.x before 4.1.4 on targets.gcp only, not on targets that do not store binaries in Cloud Storage", () => {
    const old = (doc: any) => (doc.medplum.image = "medplum/medplum-server:4.1.3");
    expect(problemsOf(exampleYaml(old)).filter((problem) => problem.startsWith("medplum.image"))).toHaveLength(1);
    expect(problemsOf(exampleYaml((doc) => (old(doc), delete doc.targets.gcp))).filter((problem) => problem.startsWith("medplum.image"))).toEqual([]);
  });

  it("reports an unsupported version once, not also as a mismatch", () => {
    const problems = problemsOf(exampleYaml((doc) => (doc.targets.gcp.database.sourceDatabaseVersion = "POSTGRES_13")));
    expect(problems.filter((problem) => problem.startsWith("targets.gcp.database."))).toHaveLength(1);
  });

  it("reports every problem of a config in one run", () => {
    const problems = problemsOf(
      exampleYaml((doc) => {
        withoutStandby(doc);
        doc.targets.gcp.database.databaseVersion = "POSTGRES_15";
        doc.targets.gcp.dns.ttlSeconds = 120;
        doc.targets.gcp.database.restore = { mode: "replica-promotion", primaryInstance: "medplum-prod" };
      }),
    );
    // The promotion also needs the replica's existing VPC: a fourth problem, from the cross-field rules.
    expect(problems.filter((problem) => problem.startsWith("targets.gcp."))).toHaveLength(4);
  });
});
