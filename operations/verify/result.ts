/**
 * What `npm run verify` found, as the drill record embeds it and CI reads it (`--json`). One zod definition gives the
 * TypeScript types, the check on read (a drill record is validated when loaded) and the JSON Schema
 * (operations/schemas/verify-result.schema.json, written by operations/write-schemas.ts).
 */
import { z } from "zod";

export const timestamp = z.iso.datetime({ offset: true });

/** `warn` and `skip` do not fail verify; `fail` does (exit code 1). */
export const CHECK_STATUSES = ["pass", "warn", "fail", "skip"] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export const CHECK_IDS = ["healthcheck", "server-version", "capability-statement", "token", "rpo", "canary", "binary", "post-deploy-migrations"] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export const checkResultSchema = z.strictObject({
  id: z.enum(CHECK_IDS),
  name: z.string().min(1).describe('The label of the check\'s line: the id, or e.g. canary "MRN 000001".'),
  status: z.enum(CHECK_STATUSES),
  summary: z.string().min(1).describe("One line: what was found and, when it failed, what to look at."),
  elapsedMs: z.number().int().min(0).describe("Time spent on the check's requests."),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

const resourceRef = z.strictObject({
  resourceType: z.string().min(1),
  id: z.string().min(1),
  lastUpdated: timestamp,
});

export const rpoMeasurementSchema = z.strictObject({
  disasterTime: timestamp.describe("--at: when the disaster happened (or the drill's chosen restore point)."),
  objectiveMinutes: z.number().int().min(1),
  measuredMinutes: z
    .number()
    .min(0)
    .nullable()
    .describe("disasterTime minus the newest write found at or before it; null when none was found or nothing could be searched."),
  newestWrite: resourceRef.nullable(),
  byResourceType: z.array(
    z.strictObject({
      resourceType: z.string().min(1),
      newest: resourceRef.nullable().describe("Newest resource of the type written at or before disasterTime."),
      writtenAfterDisaster: z.boolean().describe("The type has writes after disasterTime (made in the recovered environment since, or --at is too early)."),
      error: z.string().optional().describe("Why the type could not be searched; absent when it could."),
    }),
  ),
});
export type RpoMeasurement = z.infer<typeof rpoMeasurementSchema>;

export const verifyResultSchema = z.strictObject({
  schemaVersion: z.literal(1),
  stack: z.string().min(1),
  baseUrl: z.string().url().describe("The base URL checked: --url, else the config's medplum.baseUrl."),
  startedAt: timestamp,
  finishedAt: timestamp,
  passed: z.boolean().describe("No check failed."),
  server: z.strictObject({
    version: z.string().nullable().describe("As /healthcheck reports it, e.g. 5.0.10-3b9c1e2; null when it did not answer."),
    expectedVersion: z.string().nullable().describe("The version medplum.image pins; null for a digest-pinned image."),
  }),
  rpo: rpoMeasurementSchema,
  checks: z.array(checkResultSchema).min(1),
});
export type VerifyResult = z.infer<typeof verifyResultSchema>;
