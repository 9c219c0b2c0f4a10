/**
 * The recovery config: what the platform team writes in `config/<customer>.yaml`. Strict everywhere: an unknown key is
 * an error, because a misspelt safety setting silently falling back to its default is worse than a failed synth.
 */
import { z } from "zod";
import { awsCrossFieldRules, awsTarget } from "./aws";
import { azureCrossFieldRules, azureTarget } from "./azure";
import { gcpCrossFieldRules, gcpTarget } from "./gcp";
import type { CrossFieldRule } from "./cross-field";
import { kubernetesCrossFieldRules, kubernetesTarget } from "./kubernetes";
import { emailAddress, environmentName, hostname, httpsUrl, pinnedImage, positiveInt } from "./common";
import { RECOVERY_PACK } from "../../policy/recovery-pack";
import { closest } from "../suggest";
import { serverMajorVersion, SUPPORTED_MAJOR_VERSIONS } from "../../modules/medplum/settings";
import { verifyConfig } from "./verify";
import { drillConfig } from "./drill";
import { failbackConfig } from "./failback";

const medplum = z.strictObject({
  image: pinnedImage,
  /** Medplum's `baseUrl`: the public API URL. Keep the primary's value so issued tokens stay valid. */
  baseUrl: httpsUrl,
  hostnames: z.strictObject({ api: hostname, app: hostname, storage: hostname }),
  supportEmail: emailAddress.optional(),
  /**
   * Send mail through this SMTP server (Medplum's `smtp` setting). Without it Medplum sends through Amazon SES in
   * the AWS region it is given, which works only on the AWS target; on GCP, Azure and Kubernetes mail then fails.
   * The password comes from the target's secret store (see each target's `secrets`), never from this file.
   * @default - none: Amazon SES
   */
  smtp: z
    .strictObject({
      host: hostname,
      /** Medplum opens a plain connection and upgrades with STARTTLS; implicit TLS (465) is not supported. @default 587 */
      port: z.number().int().min(1).max(65535).default(587),
      username: z.string().min(1, "must not be empty"),
    })
    .optional(),
  server: z.strictObject({
    /** Servers running at once; at least two keep the API up through a zone failure. @default 2 */
    count: z.number().int().min(1).max(100).default(2),
    /** @default 2000 */
    cpuMillicores: z.number().int().min(250).max(16000).default(2000),
    /** @default 4096 */
    memoryMiB: z.number().int().min(512).max(122880).default(4096),
    /** Upper bound for autoscaling. @default 3 x count */
    maxCount: z.number().int().min(1).max(200).optional(),
  }),
});

const objectives = z.strictObject({
  /** Recovery time objective: the most downtime the business accepts. */
  rtoMinutes: positiveInt("minutes", 10080),
  /** Recovery point objective: the most data loss the business accepts. */
  rpoMinutes: positiveInt("minutes", 10080),
  /**
   * The most the business pays a month, in USD, for what the chosen DR tier keeps running in peacetime (the cost model of
   * docs/cost.md); `npm run report -- --gate` fails when a target's chosen tier models above it. @default - no budget
   */
  monthlyStandbyBudgetUsd: z.number().positive("must be a positive amount of USD").max(10_000_000, "must be at most 10000000 USD").optional(),
});

/** The sizes the cost model of the DR tiers prices (docs/cost.md); the defaults are a small production Medplum. */
const costInputs = z.strictObject({
  /** Size of the primary's database, in GiB: backup copies, replica storage. @default 100 */
  databaseGiB: z.number().min(0).max(1_000_000).default(100),
  /** Size of the binaries bucket (attachments, documents), in GiB: the replica bucket. @default 500 */
  binariesGiB: z.number().min(0).max(10_000_000).default(500),
  /** New or changed data a day, database and binaries together, in GiB: what crosses regions. @default 5 */
  dailyChangeGiB: z.number().min(0).max(100_000).default(5),
});

const policySuppression = z.strictObject({
  rule: z.string().min(1),
  /** Construct path or Terraform address; `*` matches any run of characters. */
  resource: z.string().min(1),
  reason: z.string().min(10, "must explain the suppression in at least 10 characters"),
});

export const recoveryConfigSchema = z.strictObject({
  /** Prefixes every resource name; keep it short. */
  environment: environmentName,
  medplum,
  objectives,
  /** Sizes the cost model of the DR tiers prices (docs/cost.md). @default - every field's default */
  costInputs: costInputs.prefault({}),
  policy: z.strictObject({ suppressions: z.array(policySuppression).default([]) }).default({ suppressions: [] }),
  /** How `npm run verify` checks the recovered Medplum (see docs/verify.md). @default - every field's default */
  verify: verifyConfig.prefault({}),
  /** How `npm run drill` derives a drill from this config (docs/drills.md). @default - drills need overrides for their hosts */
  drill: drillConfig.optional(),
  /** How `npm run synth -- --failback` moves back to the primary region (docs/failback.md). @default - none */
  failback: failbackConfig.optional(),
  /**
   * What this config deploys. Set to `drill` by the drill derivation (config/drill.ts), which also applies what a
   * drill must differ in; a hand-written drill config may set it to get the drill tags. @default recovery
   */
  purpose: z.enum(["recovery", "drill"]).default("recovery"),
  targets: z
    .strictObject({
      aws: awsTarget.optional(),
      gcp: gcpTarget.optional(),
      kubernetes: kubernetesTarget.optional(),
      azure: azureTarget.optional(),
    })
    .refine((targets) => Object.values(targets).some((target) => target !== undefined), {
      message: "names no target; add at least one of aws, gcp, azure, kubernetes",
    }),
});

/** The host of an https URL as the URL parser reads it (after any user:password@), if it parses. */
function hostOf(value: string | undefined): string | undefined {
  if (value === undefined || !value.startsWith("https://")) return undefined;
  try {
    return new URL(value).hostname;
  } catch {
    return undefined;
  }
}

/** Rules that relate fields to each other; see cross-field.ts for why they run beside the schema. */
export const crossFieldRules: readonly CrossFieldRule[] = [
  {
    description: "Medplum's baseUrl is its API URL, so it names the api host.",
    check: (doc) => {
      const apiHost = hostOf(doc.string(["medplum", "baseUrl"]));
      const configured = doc.string(["medplum", "hostnames", "api"]);
      return apiHost !== undefined && configured !== undefined && apiHost !== configured
        ? [{ path: ["medplum", "baseUrl"], message: `points at ${apiHost}, but medplum.hostnames.api is ${configured}; Medplum's baseUrl is its API URL` }]
        : [];
    },
  },
  {
    description: "The server image is a Medplum major version whose settings this project knows.",
    check: (doc) => {
      const image = doc.string(["medplum", "image"]);
      const major = image === undefined ? undefined : serverMajorVersion(image);
      return major !== undefined && !(SUPPORTED_MAJOR_VERSIONS as readonly number[]).includes(major)
        ? [
            {
              path: ["medplum", "image"],
              message: `is Medplum server ${major}.x; the server settings this project writes are checked against servers ${SUPPORTED_MAJOR_VERSIONS.join(" and ")} only (modules/medplum/settings.ts)`,
            },
          ]
        : [];
    },
  },
  {
    description: "The autoscaling ceiling is not below the server count.",
    check: (doc) => {
      const count = doc.number(["medplum", "server", "count"], 2);
      const max = doc.number(["medplum", "server", "maxCount"]);
      return count !== undefined && max !== undefined && max < count
        ? [{ path: ["medplum", "server", "maxCount"], message: `is below medplum.server.count (${count})` }]
        : [];
    },
  },
  {
    description: "A suppression names a rule of the policy pack or the apply-time rules (a misspelt id would suppress nothing).",
    check: (doc) => {
      const ids = RECOVERY_PACK.map((entry) => entry.rule.id);
      const suppressions = doc.value(["policy", "suppressions"]);
      if (!Array.isArray(suppressions)) return [];
      return suppressions.flatMap((_, index) => {
        const rule = doc.string(["policy", "suppressions", index, "rule"]);
        if (rule === undefined || rule === "" || ids.includes(rule)) return [];
        const guess = closest(rule, ids);
        return [
          {
            path: ["policy", "suppressions", index, "rule"],
            message: `is not a rule of the policy pack; ${guess === undefined ? "the rule ids are listed in docs/policy.md" : `did you mean ${guess}?`}`,
          },
        ];
      });
    },
  },
  ...awsCrossFieldRules,
  ...gcpCrossFieldRules,
  ...kubernetesCrossFieldRules,
  ...azureCrossFieldRules,
];

export type RecoveryConfig = z.infer<typeof recoveryConfigSchema>;
export type RecoveryTargets = RecoveryConfig["targets"];
export type TargetName = keyof RecoveryTargets;
export type CostInputs = RecoveryConfig["costInputs"];
export type { AwsStandbyConfig, AwsTargetConfig } from "./aws";
export type { GcpTargetConfig } from "./gcp";
export type { KubernetesStandbyConfig, KubernetesTargetConfig } from "./kubernetes";
export type { AzureTargetConfig } from "./azure";
export type { StateBackendConfig } from "./common";
export type { VerifyConfig } from "./verify";
