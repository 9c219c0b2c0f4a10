import { synthAws } from "./helpers";

describe("the AWS recovery stack synthesized from config/example.yaml", () => {
  const stack = synthAws();

  it("places every resource under one of the recovery steps", () => {
    const paths = Object.values(stack.json.resource as Record<string, Record<string, any>>)
      .flatMap((byId) => Object.values(byId))
      .map((resource) => String(resource["//"].metadata.path).split("/")[1]);
    // The example names an existing replica bucket and reads secrets in place: those steps create nothing.
    expect(new Set(paths)).toEqual(new Set(["network", "database", "cache", "application", "traffic", "monitoring"]));
  });

  it("restores Aurora from the configured cluster snapshot", () => {
    const cluster = stack.only("aws_rds_cluster");
    expect(cluster.snapshot_identifier).toBe("arn:aws:rds:us-west-2:111122223333:cluster-snapshot:medplum-prod-copy-2026-11-22");
    expect(Object.keys(stack.resources("aws_rds_cluster_instance"))).toHaveLength(2);
  });

  it("outputs the api URL, entry point, database endpoint and restore provenance", () => {
    const outputs = stack.json.output;
    expect(outputs.api_url.value).toBe("https://api.medplum.example.com/");
    expect(outputs.entry_point.value).toMatch(/aws_lb\..*\.dns_name/);
    expect(outputs.database_endpoint.value).toMatch(/aws_rds_cluster\..*\.endpoint.*:5432/);
    expect(outputs.restore_mode.value).toBe("snapshot");
    expect(outputs.restore_source.value).toBe("arn:aws:rds:us-west-2:111122223333:cluster-snapshot:medplum-prod-copy-2026-11-22");
    expect(outputs.restore_point.value).toBe("as of snapshot arn:aws:rds:us-west-2:111122223333:cluster-snapshot:medplum-prod-copy-2026-11-22");
  });

  it("configures the provider for the recovery region with the recovery tags", () => {
    const provider = stack.json.provider.aws[0];
    expect(provider.region).toBe("us-west-2");
    expect(provider.default_tags[0].tags).toMatchObject({ purpose: "disaster-recovery", environment: "medplum-dr" });
  });

  it("reads nothing from AWS at plan time except the Redis auth token", () => {
    expect(Object.keys(stack.json.data ?? {})).toEqual(["aws_secretsmanager_secret_version"]);
  });
});
