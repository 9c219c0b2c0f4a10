import { exampleConfig, exampleDocument } from "../support/config";

describe("test/support/config.ts: exampleConfig(overrides)", () => {
  it("merges overrides deeply into the example", () => {
    const config = exampleConfig({ targets: { aws: { cache: { nodes: 3 } } } });
    expect(config.targets.aws?.cache).toMatchObject({ nodes: 3, nodeType: "cache.t4g.medium" });
  });

  it("replaces an object whole when its discriminator changes, so the other variant's fields do not linger", () => {
    const restore = exampleDocument({
      targets: {
        aws: { database: { restore: { mode: "point-in-time", automatedBackupsArn: "arn:aws:rds:us-west-2:111122223333:auto-backup:ab-x", time: "latest" } } },
      },
    });
    const document = restore as { targets: { aws: { database: { restore: unknown } } } };
    expect(document.targets.aws.database.restore).toEqual({
      mode: "point-in-time",
      automatedBackupsArn: "arn:aws:rds:us-west-2:111122223333:auto-backup:ab-x",
      time: "latest",
    });
  });

  it("deletes a key given null, and then applies the schema default", () => {
    expect(exampleConfig({ medplum: { server: { maxCount: null } } }).medplum.server.maxCount).toBeUndefined();
  });

  it("validates the result like a real config", () => {
    expect(() => exampleConfig({ medplum: { image: "medplum/medplum-server:latest" } })).toThrow(/medplum\.image: .* is a floating tag/);
  });
});
