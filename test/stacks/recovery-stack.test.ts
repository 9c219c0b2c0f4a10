import { App, Testing } from "cdktf";
import type { Construct } from "constructs";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseRecoveryConfig } from "../../config/load";
import type { RecoveryBundle } from "../../modules/contracts";
import { RECOVERY_STEPS, RecoveryStack } from "../../stacks/recovery-stack";

const config = parseRecoveryConfig(readFileSync(join(__dirname, "../../config/example.yaml"), "utf8"));

/** A bundle that records what the stack asks of it, in order, and answers with recognisable values. */
function recordingBundle(calls: Array<{ step: string; scope: string; inputs: string[] }>): RecoveryBundle {
  const record = (step: string, scope: Construct, inputs: object = {}) => calls.push({ step, scope: scope.node.path, inputs: Object.keys(inputs).sort() });
  const secret = { store: "aws-secrets-manager" as const, id: "arn:secret" };
  return {
    target: "aws",
    configureProviders: (stack, stackName) => record(`providers:${stackName}`, stack),
    network: (scope, inputs) => (record("network", scope, inputs), { networkId: "net-1" }),
    restoreDatabase: (scope, inputs) => (
      record("database", scope, inputs),
      {
        engine: "postgres 16",
        resourceId: "db-1",
        host: "db.internal",
        port: 5432,
        databaseName: "medplum",
        username: "medplum",
        password: secret,
        restore: { mode: "snapshot", source: "snap-1", point: "as of snap-1" },
      }
    ),
    cache: (scope, inputs) => (record("cache", scope, inputs), { resourceId: "redis-1", host: "redis.internal", port: 6379, tls: true, password: secret }),
    binaryStorage: (scope) => (record("storage", scope), { name: "bucket", medplumBinaryStorage: "s3:bucket" }),
    applicationSecrets: (scope) => (record("secrets", scope), { environment: {} }),
    applicationTier: (scope, inputs) => (record("application", scope, inputs), { entryPointDnsName: "lb.example", entryPointId: "lb-1", serviceId: "svc-1" }),
    switchTraffic: (scope, inputs) => (record("traffic", scope, inputs), { apiUrl: "https://api.medplum.example.com/", routing: "cut-over" }),
    monitoring: (scope, inputs) => (record("monitoring", scope, inputs), { alertDestination: "topic-1" }),
  };
}

describe("RecoveryStack", () => {
  it("composes the recovery in the runbook's order: database, then the application tier wired to it, then traffic, then monitoring", () => {
    const calls: Array<{ step: string; scope: string; inputs: string[] }> = [];
    new RecoveryStack(Testing.app(), "recovery-test", { config, bundle: recordingBundle(calls) });

    expect(calls.map((call) => call.step)).toEqual(["providers:recovery-test", ...RECOVERY_STEPS]);
    expect(calls.find((call) => call.step === "application")?.inputs).toEqual(["cache", "database", "network", "providers", "secrets", "storage"]);
    // Every step gets what configureProviders returned and the results of every step before it, nothing of the steps after it.
    expect(calls.find((call) => call.step === "network")?.inputs).toEqual(["providers"]);
    expect(calls.find((call) => call.step === "cache")?.inputs).toEqual(["database", "network", "providers"]);
    expect(calls.find((call) => call.step === "monitoring")?.inputs).toEqual([
      "application",
      "cache",
      "database",
      "network",
      "providers",
      "secrets",
      "storage",
      "traffic",
    ]);
  });

  it("gives each step a top-level construct named after the step, because Terraform addresses and the plan report depend on it", () => {
    const calls: Array<{ step: string; scope: string; inputs: string[] }> = [];
    new RecoveryStack(Testing.app(), "recovery-test", { config, bundle: recordingBundle(calls) });

    for (const step of RECOVERY_STEPS) {
      expect(calls.find((call) => call.step === step)?.scope).toBe(`recovery-test/${step}`);
    }
  });

  it("outputs where the API is, what the database was restored from and to, and where alerts go", () => {
    const stack = new RecoveryStack(new App({ outdir: "unused" }), "recovery-test", { config, bundle: recordingBundle([]) });
    const outputs = JSON.parse(Testing.synth(stack)).output;

    expect(outputs.api_url.value).toBe("https://api.medplum.example.com/");
    expect(outputs.entry_point.value).toBe("lb.example");
    expect(outputs.database_endpoint.value).toBe("db.internal:5432");
    expect(outputs.restore_mode.value).toBe("snapshot");
    expect(outputs.restore_source.value).toBe("snap-1");
    expect(outputs.restore_point.value).toBe("as of snap-1");
    expect(outputs.restore_source_taken_at.value).toBe("unknown");
    expect(outputs.alert_destination.value).toBe("topic-1");
  });

  it("outputs when the restored source was taken where the bundle knows it, for the report's RPO", () => {
    const bundle = recordingBundle([]);
    const knowing: RecoveryBundle = {
      ...bundle,
      restoreDatabase: (scope, inputs) => {
        const database = bundle.restoreDatabase(scope, inputs);
        return { ...database, restore: { ...database.restore, point: "2026-11-22T03:00:00Z", sourceTakenAt: "2026-11-22T03:00:00Z" } };
      },
    };
    const stack = new RecoveryStack(new App({ outdir: "unused" }), "recovery-test", { config, bundle: knowing });
    expect(JSON.parse(Testing.synth(stack)).output.restore_source_taken_at.value).toBe("2026-11-22T03:00:00Z");
  });
});
