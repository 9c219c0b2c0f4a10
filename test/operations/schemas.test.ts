import { readFileSync } from "node:fs";
import { renderSchema, SCHEMAS } from "../../operations/write-schemas";

describe("operations/schemas/*.schema.json", () => {
  it.each(SCHEMAS.map((entry) => ({ ...entry, name: entry.file.split("/").at(-1) })))(
    "$name is regenerated from its zod definition (npx tsx operations/write-schemas.ts)",
    (entry) => {
      expect(readFileSync(entry.file, "utf8")).toBe(renderSchema(entry));
      expect(JSON.parse(readFileSync(entry.file, "utf8")).additionalProperties).toBe(false);
    },
  );
});
