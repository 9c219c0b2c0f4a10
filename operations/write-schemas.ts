/**
 * Writes the JSON Schemas of what the operations commands produce (operations/schemas/*.schema.json), from the zod
 * definitions the code validates with, so CI and other tools can check a drill record or verify's `--json` output.
 * `--check` fails instead when a committed file is out of date. Run: npx tsx operations/write-schemas.ts
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { drillRecordSchema } from "./drill-record";
import { verifyResultSchema } from "./verify/result";

export const SCHEMAS: ReadonlyArray<{ readonly file: string; readonly title: string; readonly schema: z.ZodType }> = [
  { file: join(__dirname, "schemas", "verify-result.schema.json"), title: "medplum-dr verify result (npm run verify -- --json)", schema: verifyResultSchema },
  {
    file: join(__dirname, "schemas", "drill-record.schema.json"),
    title: "medplum-dr drill record (drills/<stack>/<timestamp>.json)",
    schema: drillRecordSchema,
  },
];

export function renderSchema(entry: (typeof SCHEMAS)[number]): string {
  return `${JSON.stringify({ ...z.toJSONSchema(entry.schema, { io: "output" }), title: entry.title }, null, 2)}\n`;
}

if (require.main === module) {
  const stale = SCHEMAS.filter((entry) => {
    const rendered = renderSchema(entry);
    if (!process.argv.includes("--check")) {
      writeFileSync(entry.file, rendered);
      console.log(`wrote ${entry.file}`);
      return false;
    }
    return readFileSync(entry.file, "utf8") !== rendered;
  });
  if (stale.length > 0) {
    console.error(`${stale.map((entry) => entry.file).join(", ")} out of date; run npx tsx operations/write-schemas.ts and commit`);
    process.exit(1);
  }
}
