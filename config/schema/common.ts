/**
 * Field types shared by every part of the recovery config. Messages are written to be read after the dotted path and
 * the value received, e.g. `medplum.image: "medplum/medplum-server:latest" is a floating tag; pin ...`.
 */
import { z } from "zod";
import { FLOATING_TAGS } from "../../facts/container-images";
import { MAX_CUTOVER_TTL_SECONDS } from "../../facts/dns";
import { AWS_REGION, AZURE_NAMES, AZURE_RESOURCE_GROUP, checkedString, gcsBucketName, parseImageReference, s3BucketName, url } from "./identifiers";

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
export const pinnedImage = z.string().superRefine((image, ctx) => {
  const why =
    "the server runs migrations at start-up and cannot skip minor versions, so the recovery must run the exact version the backup was taken with; pin a full version such as medplum/medplum-server:4.3.9, or an @sha256 digest";
  const reference = parseImageReference(image);
  const tag = reference?.tag;
  if (reference === undefined) {
    ctx.addIssue({
      code: "custom",
      message: `is not a container image reference ([registry/]repository[:tag][@sha256:digest], lower-case repository); ${why}`,
    });
  } else if (reference.digest !== undefined) {
    return;
  } else if (tag === undefined) {
    ctx.addIssue({ code: "custom", message: `has no tag, which means "latest"; ${why}` });
  } else if (FLOATING_TAGS.has(tag.toLowerCase())) {
    ctx.addIssue({ code: "custom", message: `is a floating tag; ${why}` });
  } else if (!/^v?\d+\.\d+\.\d+([-+.][A-Za-z0-9._-]+)?$/.test(tag)) {
    ctx.addIssue({ code: "custom", message: `does not name a full major.minor.patch version; ${why}` });
  }
});

/**
 * A fully qualified host name: RFC 1123 labels (letters, digits, hyphens, 1-63 each, no hyphen at either end), 253
 * characters at most (https://www.rfc-editor.org/rfc/rfc1123#section-2.1), ending in an alphabetic top-level domain.
 */
export const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "is not a fully qualified lower-case host name such as api.medplum.example.com");

/** Medplum's public URLs: https, a host name, no credential (they are written in clear into the stack). */
export const httpsUrl = url({
  schemes: ["https:"],
  example: "https://api.medplum.example.com/",
  instead: "this URL is public (Medplum puts its baseUrl into every token and link it issues); give it without the credential",
  check: (parsed) =>
    !hostname.safeParse(parsed.hostname).success
      ? `has host ${parsed.hostname}, which is not a fully qualified host name; give an https:// URL such as https://api.medplum.example.com/`
      : parsed.search !== "" || parsed.hash !== ""
        ? "has a query or fragment, which a base URL cannot carry; give an https:// URL such as https://api.medplum.example.com/"
        : undefined,
});

/**
 * RFC 3339 with an explicit offset: restore points are compared against backup windows, so a zone-less time is ambiguous.
 * The fields must denote a real calendar time (https://www.rfc-editor.org/rfc/rfc3339#section-5.7: day of month per
 * month and leap year, hour 00-23, minute 00-59, second 00-59, offset hour 00-23): `Date.parse` rolls
 * 2026-02-30 over into March, and every cloud API refuses it.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|([+-])(\d{2}):(\d{2}))$/;
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** The instant an RFC 3339 time denotes, or what is wrong with it. */
export function parseRfc3339(value: string): { time: number } | { problem: string } {
  const example = 'give an RFC 3339 time with a zone, such as "2026-11-20T08:30:00Z"';
  const match = RFC3339.exec(value);
  if (!match) return { problem: `is not an RFC 3339 time with a zone, such as "2026-11-20T08:30:00Z"` };
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const [, , , , , , , fraction = "", zone, sign, offsetHour = "0", offsetMinute = "0"] = match;
  if (month < 1 || month > 12) return { problem: `has month ${match[2]}, which no calendar has; ${example}` };
  if (day < 1 || day > daysInMonth(year, month)) {
    return { problem: `is not a calendar date: ${MONTHS[month - 1]} ${year} has ${daysInMonth(year, month)} days; ${example}` };
  }
  if (hour > 23) return { problem: `has hour ${match[4]}; hours run 00-23; ${example}` };
  if (minute > 59) return { problem: `has minute ${match[5]}; minutes run 00-59; ${example}` };
  if (second > 59) return { problem: `has second ${match[6]}; seconds run 00-59 (the cloud APIs take no leap second); ${example}` };
  if (zone !== "Z" && (Number(offsetHour) > 23 || Number(offsetMinute) > 59))
    return { problem: `has offset ${zone}, which is not a UTC offset (hours 00-23, minutes 00-59); ${example}` };
  const offset = zone === "Z" ? 0 : (sign === "-" ? -1 : 1) * (Number(offsetHour) * 60 + Number(offsetMinute));
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, Number(`0${fraction}`) * 1000);
  const time = utc.getTime() - offset * 60_000;
  // Round-trip: the instant must read back as the same fields, and Date.parse must agree.
  const back = new Date(time + offset * 60_000);
  if (
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day ||
    back.getUTCHours() !== hour ||
    back.getUTCMinutes() !== minute
  ) {
    return { problem: `is not a calendar time; ${example}` };
  }
  if (Math.abs(Date.parse(value) - time) >= 1) return { problem: `is not a calendar time; ${example}` };
  return { time };
}

const pastTimestampProblem = (value: string): string | undefined => {
  const parsed = parseRfc3339(value);
  if ("problem" in parsed) return parsed.problem;
  return parsed.time > Date.now() ? "is in the future; give a past RFC 3339 time" : undefined;
};

export const pastTimestamp = checkedString(pastTimestampProblem);

/**
 * A restore point: a past time, or the latest restorable time the cloud offers. One string check rather than a union,
 * so a bad time is reported as what is wrong with it ("February 2026 has 28 days"), not as "matches no form".
 */
export const restorePoint = checkedString((value) => (value === "latest" ? undefined : pastTimestampProblem(value)));

export const positiveInt = (unit: string, max: number) =>
  z.number().int(`must be a whole number of ${unit}`).min(1, `must be at least 1 (${unit})`).max(max, `must be at most ${max} (${unit})`);

export const nonEmpty = z.string().min(1, "must not be empty");

/** The TTL of a record the recovery switches: at most facts/dns.ts's bound, which is also the default. */
export const cutoverTtlSeconds = z
  .number()
  .int()
  .min(1)
  .max(MAX_CUTOVER_TTL_SECONDS, `is above ${MAX_CUTOVER_TTL_SECONDS} seconds; a recovery record must expire within a minute so clients follow the switch`)
  .default(MAX_CUTOVER_TTL_SECONDS);

/** zod's e-mail grammar (a practical subset of RFC 5321: what SNS, Cloud Monitoring and Azure action groups accept). */
export const emailAddress = z.email({ error: "is not an e-mail address such as oncall@medplum.example.com" });

/**
 * Where Terraform keeps the recovery's state. It must survive the loss of the primary region, so it lives in the
 * recovery region or another cloud; `local` is for drills and for synthesizing without a cloud account.
 */
/**
 * A state object's key: 1-1024 characters without control characters; for the s3 backend also no leading or trailing
 * "/" and no "//" (Terraform's own check: https://github.com/hashicorp/terraform/blob/main/internal/backend/remote-state/s3/validate.go,
 * validateStringS3Path). S3 keys: https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html; blob names:
 * https://learn.microsoft.com/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata#blob-names.
 */
const objectKey = (what: string, slashes: boolean) =>
  checkedString((key) => {
    if (key.length === 0 || key.length > 1024) return `is ${key.length} characters long; a ${what} is 1-1024 characters`;
    if (/[\u0000-\u001f\u007f]/.test(key)) return `contains a control character, which a ${what} may not`;
    if (slashes && (key.startsWith("/") || key.endsWith("/") || key.includes("//")))
      return `starts or ends with "/" or contains "//", which Terraform refuses in a ${what}; use a path such as medplum/recovery.tfstate`;
    return undefined;
  });

/** Blob container names (https://learn.microsoft.com/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata#container-names). */
export const blobContainerName = z
  .string()
  .regex(
    /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
    "is not a blob container name (3-63 lower-case letters, digits and hyphens, starting and ending with a letter or digit, no two hyphens in a row)",
  );

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
    bucket: s3BucketName,
    key: objectKey("state key", true),
    region: z.string().regex(AWS_REGION, "is not an AWS region name such as us-west-2"),
    /**
     * DynamoDB table for state locking; without it, Terraform's S3-native lock file is used. Table names are 3-255
     * letters, digits, `_`, `-` and `.` (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html).
     */
    lockTable: z
      .string()
      .regex(/^[a-zA-Z0-9_.-]{3,255}$/, "is not a DynamoDB table name (3-255 letters, digits, '_', '-' and '.')")
      .optional(),
    /** A KMS key id or key ARN; Terraform's s3 backend takes no alias here (validateKMSKey in the validate.go above). */
    kmsKeyId: z
      .string()
      .regex(
        /^(arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:\d{12}:key\/)?([a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}|mrk-[a-f0-9]{32})$/,
        "is not a KMS key id or key ARN such as arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab (Terraform's s3 backend takes no alias)",
      )
      .optional(),
  }),
  z.strictObject({
    type: z.literal("gcs"),
    bucket: gcsBucketName,
    /** Object name prefix (https://cloud.google.com/storage/docs/objects#naming). */
    prefix: objectKey("state prefix", false),
  }),
  z.strictObject({
    type: z.literal("azurerm"),
    resourceGroupName: checkedString((name) =>
      AZURE_RESOURCE_GROUP.test(name) ? undefined : "is not a resource group name (1-90 letters, digits, '_', '-', '.', '(' and ')', not ending with '.')",
    ),
    storageAccountName: z.string().regex(AZURE_NAMES.storageAccount.pattern, `is not a storage account name (${AZURE_NAMES.storageAccount.rule})`),
    containerName: blobContainerName,
    key: objectKey("state blob name", true),
  }),
]);
export type StateBackendConfig = z.infer<typeof stateBackend>;

/** A calendar date, YYYY-MM-DD, that exists (2026-02-30 does not). */
export const calendarDate = checkedString((value) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'is not a date such as "2026-12-05" (YYYY-MM-DD)';
  const parsed = parseRfc3339(`${value}T00:00:00Z`);
  return "problem" in parsed ? parsed.problem.replace(/; give an RFC 3339 time.*$/, '; give a date such as "2026-12-05"') : undefined;
});
