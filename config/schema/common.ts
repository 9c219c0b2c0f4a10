/**
 * Field types shared by every part of the recovery config. Messages are written to be read after the dotted path and
 * the value received, e.g. `medplum.image: "medplum/medplum-server:latest" is a floating tag; pin ...`.
 */
import { z } from "zod";

export const environmentName = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{1,18}[a-z0-9]$/,
    "is not a valid environment name; use 3-20 lower-case letters, digits and hyphens, starting with a letter (it prefixes every cloud resource name, and the tightest cloud limits apply)",
  );

/**
 * Medplum runs its database migrations at start-up and cannot skip minor versions, so the recovery must run exactly the
 * server version the backup was taken with: floating tags are refused.
 */
const FLOATING_TAGS = new Set(["latest", "stable", "main", "master", "beta", "next", "edge", "nightly"]);
export const pinnedImage = z.string().superRefine((image, ctx) => {
  const digest = /^[a-z0-9][a-z0-9._\/:-]*@sha256:[a-f0-9]{64}$/.test(image);
  if (digest) return;
  const match = /^([a-z0-9][a-z0-9._\/:-]*?)(?::([A-Za-z0-9_][A-Za-z0-9._-]{0,127}))?$/.exec(image);
  const tag = match?.[2];
  const why =
    "the server runs migrations at start-up and cannot skip minor versions, so the recovery must run the exact version the backup was taken with; pin a full version such as medplum/medplum-server:4.3.9, or an @sha256 digest";
  if (!match) {
    ctx.addIssue({ code: "custom", message: `is not a container image reference; ${why}` });
  } else if (tag === undefined) {
    ctx.addIssue({ code: "custom", message: `has no tag, which means "latest"; ${why}` });
  } else if (FLOATING_TAGS.has(tag.toLowerCase())) {
    ctx.addIssue({ code: "custom", message: `is a floating tag; ${why}` });
  } else if (!/^v?\d+\.\d+\.\d+([-+.][A-Za-z0-9._-]+)?$/.test(tag)) {
    ctx.addIssue({ code: "custom", message: `does not name a full major.minor.patch version; ${why}` });
  }
});

export const hostname = z
  .string()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    "is not a fully qualified lower-case host name such as api.medplum.example.com",
  );

export const httpsUrl = z
  .string()
  .regex(/^https:\/\/[^\s/]+(\/[^\s]*)?$/, "is not an https:// URL such as https://api.medplum.example.com/");

/** RFC 3339 with an explicit offset: restore points are compared against backup windows, so a zone-less time is ambiguous. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
export const pastTimestamp = z.string().superRefine((value, ctx) => {
  if (!RFC3339.test(value) || Number.isNaN(Date.parse(value))) {
    ctx.addIssue({ code: "custom", message: 'is not an RFC 3339 time with a zone, such as "2026-11-20T08:30:00Z"' });
  } else if (Date.parse(value) > Date.now()) {
    ctx.addIssue({ code: "custom", message: "is in the future; give a past RFC 3339 time" });
  }
});

/** A restore point: a past time, or the latest restorable time the cloud offers. */
export const restorePoint = z.union([z.literal("latest"), pastTimestamp]);

export const positiveInt = (unit: string, max: number) =>
  z.number().int(`must be a whole number of ${unit}`).min(1, `must be at least 1 (${unit})`).max(max, `must be at most ${max} (${unit})`);

export const nonEmpty = z.string().min(1, "must not be empty");

export const emailAddress = z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, "is not an e-mail address");

/**
 * Where Terraform keeps the recovery's state. It must survive the loss of the primary region, so it lives in the
 * recovery region or another cloud; `local` is for drills and for synthesizing without a cloud account.
 */
export const stateBackend = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("local"),
    /**
     * The state file, relative to the project folder (the one holding `cdktf.out/`; absolute paths are kept). Never
     * inside `cdktf.out/`, which every synth replaces (synth refuses such a path). Git-ignored under the default.
     * @default state/<stack>.tfstate (non-default workspaces in state/<stack>.tfstate.d/)
     */
    path: z.string().min(1).optional(),
  }),
  z.strictObject({
    type: z.literal("s3"),
    bucket: nonEmpty,
    key: nonEmpty,
    region: nonEmpty,
    /** DynamoDB table for state locking; without it, Terraform's S3-native lock file is used. */
    lockTable: z.string().min(1).optional(),
    kmsKeyId: z.string().min(1).optional(),
  }),
  z.strictObject({ type: z.literal("gcs"), bucket: nonEmpty, prefix: nonEmpty }),
  z.strictObject({
    type: z.literal("azurerm"),
    resourceGroupName: nonEmpty,
    storageAccountName: nonEmpty,
    containerName: nonEmpty,
    key: nonEmpty,
  }),
]);
export type StateBackendConfig = z.infer<typeof stateBackend>;
