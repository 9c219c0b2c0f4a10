import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { DEFAULT_RPO_RESOURCE_TYPES } from "../../config/schema/verify";
import { EXAMPLE_CONFIG_PATH, exampleConfig } from "../support/config";

/** The commented `verify:` block of config/example.yaml, uncommented. */
function exampleVerifyBlock(): unknown {
  const lines = readFileSync(EXAMPLE_CONFIG_PATH, "utf8").split("\n");
  const start = lines.indexOf("# verify:");
  const end = lines.findIndex((line, index) => index > start && !line.startsWith("#"));
  // Dropping one "# " leaves the block's own comments ("  # Types searched ...") as YAML comments.
  const block = lines.slice(start, end).map((line) => line.replace(/^# ?/, ""));
  return parse(block.join("\n"));
}

describe("config: verify", () => {
  it("is optional, and defaults to the clinical types, no canary and the MEDPLUM_CLIENT_* variables", () => {
    expect(exampleConfig().verify).toEqual({
      rpoResourceTypes: [...DEFAULT_RPO_RESOURCE_TYPES],
      canaries: [],
      credentials: { clientIdEnv: "MEDPLUM_CLIENT_ID", clientSecretEnv: "MEDPLUM_CLIENT_SECRET" },
      requestTimeoutSeconds: 15,
    });
  });

  it("accepts the commented block of config/example.yaml", () => {
    const block = exampleVerifyBlock() as { verify: Record<string, unknown> };
    expect(Object.keys(block.verify)).toEqual(["rpoResourceTypes", "canaries", "credentials", "requestTimeoutSeconds"]);
    expect(exampleConfig(block).verify.canaries).toEqual([{ name: "MRN 000001", search: "Patient?identifier=https://acme.example/mrn|000001" }]);
  });

  it.each([
    { name: "an unknown key", verify: { canary: [] }, line: /^verify\.canary: is not a known field/ },
    {
      name: "a search without a resource type",
      verify: { canaries: [{ search: "identifier=123" }] },
      line: /^verify\.canaries\[0\]\.search: "identifier=123" is not a FHIR search such as Patient\?identifier=/,
    },
    {
      name: "a lower-case type",
      verify: { rpoResourceTypes: ["patient"] },
      line: /^verify\.rpoResourceTypes\[0\]: "patient" is not a FHIR resource type name/,
    },
    {
      name: "a secret where a variable name belongs",
      verify: { credentials: { clientSecretEnv: "hunter2 is my secret" } },
      line: /^verify\.credentials\.clientSecretEnv: "hunter2 is my secret" is not an environment variable name/,
    },
    { name: "a zero timeout", verify: { requestTimeoutSeconds: 0 }, line: /^verify\.requestTimeoutSeconds: 0 is too small; expected at least 1/ },
  ])("refuses $name with one line naming the field", ({ verify, line }) => {
    expect(() => exampleConfig({ verify })).toThrow(new RegExp(`  - ${line.source.slice(1)}`, "m"));
  });
});
