/**
 * Writes report/schema/recovery-plan.schema.json, the JSON Schema of `cdktf.out/recovery-plan-<stack>.json`, from the
 * zod definition the report builds it with (report/model.ts). `--check` fails instead when the committed file is out
 * of date; test/report/recovery-plan-json.test.ts fails on a stale file too. Run: npx tsx report/write-schema.ts
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { recoveryPlanSchema } from "./model";

export const RECOVERY_PLAN_SCHEMA_PATH = join(__dirname, "schema", "recovery-plan.schema.json");

export function renderRecoveryPlanSchema(): string {
  const schema = z.toJSONSchema(recoveryPlanSchema, { io: "output" });
  return `${JSON.stringify({ ...schema, title: "medplum-dr recovery plan (cdktf.out/recovery-plan-<stack>.json, written by npm run report)" }, null, 2)}\n`;
}

if (require.main === module) {
  const rendered = renderRecoveryPlanSchema();
  if (process.argv.includes("--check")) {
    if (readFileSync(RECOVERY_PLAN_SCHEMA_PATH, "utf8") !== rendered) {
      console.error(`${RECOVERY_PLAN_SCHEMA_PATH} is out of date; run npx tsx report/write-schema.ts and commit it`);
      process.exit(1);
    }
  } else {
    writeFileSync(RECOVERY_PLAN_SCHEMA_PATH, rendered);
    console.log(`wrote ${RECOVERY_PLAN_SCHEMA_PATH}`);
  }
}
