import { readFileSync } from "node:fs";
import { renderJsonSchema, SCHEMA_PATH } from "../../config/write-schema";

describe("config/recovery-config.schema.json", () => {
  it("is regenerated from the zod schema (run `npm run schema` after changing config/schema)", () => {
    expect(readFileSync(SCHEMA_PATH, "utf8")).toBe(renderJsonSchema());
  });

  it("rejects unknown keys for editors too", () => {
    const schema = JSON.parse(renderJsonSchema());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.medplum.additionalProperties).toBe(false);
  });
});
