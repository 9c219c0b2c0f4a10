import { synthAws } from "./helpers";

describe("the AWS recovery stack synthesized from config/example.yaml", () => {
  // The whole example, every target it names, exactly as `npm run synth` builds it.
  const stack = synthAws({}, { allTargets: true });

  it("places every resource under one of the recovery steps", () => {
    const paths = Object.values(stack.json.resource as Record<string, Record<string, any>>)
      .flatMap((byId) => Object.values(byId))
      .map((resource) => String(resource["//"].metadata.path).split("/")[1]);
    // The example names an existing replica bucket and reads secrets in place: those steps create nothing.
    expect(new Set(paths)).toEqual(new Set(["network", "database", "cache", "application", "traffic", "monitoring"]));
  });

  // The example restores the newest recovery point standby-aws copies into us-west-2 (restore.source: standby).
  const newest = () => {
    const lookups = Object.entries(stack.json.data.aws_db_cluster_snapshot as Record<string, Record<string, any>>);
    expect(lookups).toHaveLength(1);
    const [id, lookup] = lookups[0]!;
    return { lookup, ref: (attribute: string) => `\${data.aws_db_cluster_snapshot.${id}.${attribute}}` };
  };

  it("restores Aurora from the newest AWS Backup copy of the primary cluster standby-aws keeps", () => {
    const { lookup, ref } = newest();
    expect(lookup).toMatchObject({ db_cluster_identifier: "medplum-prod", snapshot_type: "awsbackup", most_recent: true });
    const cluster = stack.only("aws_rds_cluster");
    expect(cluster.snapshot_identifier).toBe(ref("db_cluster_snapshot_arn"));
    expect(Object.keys(stack.resources("aws_rds_cluster_instance"))).toHaveLength(2);
  });

  it("outputs the api URL, entry point, database endpoint and restore provenance", () => {
    const outputs = stack.json.output;
    expect(outputs.api_url.value).toBe("https://api.medplum.example.com/");
    expect(outputs.entry_point.value).toMatch(/aws_lb\..*\.dns_name/);
    expect(outputs.database_endpoint.value).toMatch(/aws_rds_cluster\..*\.endpoint.*:5432/);
    expect(outputs.restore_mode.value).toBe("snapshot");
    const { ref } = newest();
    expect(outputs.restore_source.value).toBe(ref("db_cluster_snapshot_arn"));
    expect(outputs.restore_point.value).toBe(ref("snapshot_create_time"));
  });

  it("configures the provider for the recovery region with the recovery tags", () => {
    const provider = stack.json.provider.aws[0];
    expect(provider.region).toBe("us-west-2");
    expect(provider.default_tags[0].tags).toMatchObject({ purpose: "disaster-recovery", environment: "medplum-dr" });
  });

  it("reads nothing from AWS at plan time except the Redis auth token and standby-aws's newest recovery point", () => {
    expect(Object.keys(stack.json.data ?? {}).sort()).toEqual(["aws_db_cluster_snapshot", "aws_secretsmanager_secret_version"]);
  });
});
