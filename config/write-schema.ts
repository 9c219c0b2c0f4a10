/**
 * Writes config/recovery-config.schema.json from the zod schema, so editors complete and check customer configs.
 * `--check` fails instead when the committed file is out of date (CI runs it).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { recoveryConfigSchema } from "./schema";

export const SCHEMA_PATH = join(__dirname, "recovery-config.schema.json");

export function renderJsonSchema(): string {
  const schema = z.toJSONSchema(recoveryConfigSchema, { io: "input", unrepresentable: "any" });
  return `${JSON.stringify({ ...schema, title: "medplum-dr recovery config" }, null, 2)}\n`;
}

if (require.main === module) {
  const rendered = renderJsonSchema();
  if (process.argv.includes("--check")) {
    const current = readFileSync(SCHEMA_PATH, "utf8");
    if (current !== rendered) {
      console.error(`${SCHEMA_PATH} is out of date; run npm run schema and commit it`);
      process.exit(1);
    }
  } else {
    writeFileSync(SCHEMA_PATH, rendered);
    console.log(`wrote ${SCHEMA_PATH}`);
  }
}
