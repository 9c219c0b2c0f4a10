/**
 * Redeploying Medplum Bots after a recovery. A Bot with `runtimeVersion: awslambda` runs as the Lambda function
 * `medplum-bot-lambda-<bot id>` in the server's `awsRegion`, built on the newest version of the layer
 * `botLambdaLayerName` and run by `botLambdaRoleArn` (packages/server/src/cloud/aws/deploy.ts). The functions and the
 * layer of the lost region are gone; the database still says every Bot is deployed. Medplum's `$deploy` operation
 * (packages/server/src/fhir/operations/deploy.ts) creates the function in the region the recovered server runs in:
 * without `code` in the body it redeploys the Bot's current code, read from binary storage through
 * `Bot.executableCode.url`. `fission` Bots are redeployed the same way to the configured Fission cluster; `vmcontext`
 * Bots run inside the server and need nothing.
 *
 * Cron schedules are BullMQ job schedulers in Redis (packages/server/src/workers/cron.ts), so an empty Redis has none:
 * `POST /admin/super/reloadcron` (super admin, `Prefer: respond-async`) registers every cron Bot again.
 */
import { describeErrorBody, type MedplumApi, UnreachableError } from "./medplum-api";

/** Medplum's identifier system for a Bot that runs a Lambda of the customer's own (cloud/aws/execute.ts, botCustomFunctionsEnabled). */
export const CUSTOM_FUNCTION_SYSTEM = "https://medplum.com/bot-external-function-id";

export interface BotSummary {
  readonly id: string;
  readonly name?: string;
  readonly runtimeVersion?: string;
  /** `Binary/<id>`: where the deployed code is. */
  readonly executableCode?: string;
  /** The customer's own Lambda, run instead of medplum-bot-lambda-<id> when the server enables custom functions. */
  readonly customFunction?: string;
  readonly cron: boolean;
}

export type RedeployPlan =
  | { readonly action: "redeploy"; readonly reason: string; readonly note?: string }
  | { readonly action: "skip"; readonly reason: string };

export interface ListOptions {
  /** Bots per search page. @default 100 */
  readonly pageSize?: number;
  /** Stops with an error past this many pages instead of paging forever. @default 1000 */
  readonly maxPages?: number;
}

export class BotApiError extends Error {}

/**
 * Every Bot the client can see: `GET fhir/R4/Bot?_sort=_id&_count=<n>`, then each `next` link, re-rooted on the base
 * URL being recovered (Medplum writes its own baseUrl into links; see MedplumApi.followLink). Sorting by `_id` keeps
 * the order stable while Bots are redeployed (a deploy can update a Bot, which would move it in a `_lastUpdated` sort).
 */
export async function listBots(api: MedplumApi, accessToken: string, options: ListOptions = {}): Promise<BotSummary[]> {
  const maxPages = options.maxPages ?? 1000;
  const bots: BotSummary[] = [];
  const seen = new Set<string>();
  let path: string | undefined = `fhir/R4/Bot?${new URLSearchParams({ _sort: "_id", _count: String(options.pageSize ?? 100) }).toString()}`;
  for (let page = 0; path !== undefined; page += 1) {
    if (page >= maxPages) throw new BotApiError(`more than ${maxPages} pages of Bots; stopped (raise maxPages if that many Bots are real)`);
    const response = await call(() => api.request(path as string, { accessToken, headers: { Accept: "application/fhir+json" } }));
    if (response.status !== 200) throw new BotApiError(`GET ${api.url(path)}: HTTP ${response.status}: ${describeErrorBody(response)}`);
    const bundle = response.json as
      | { resourceType?: string; entry?: Array<{ resource?: Record<string, unknown> }>; link?: Array<{ relation?: string; url?: string }> }
      | undefined;
    if (bundle?.resourceType !== "Bundle") throw new BotApiError(`GET ${api.url(path)}: answered 200 without a search Bundle`);
    for (const entry of bundle.entry ?? []) {
      const bot = summarize(entry.resource);
      if (bot !== undefined && !seen.has(bot.id)) {
        seen.add(bot.id);
        bots.push(bot);
      }
    }
    const next = bundle.link?.find((link) => link.relation === "next")?.url;
    path = next === undefined || (bundle.entry ?? []).length === 0 ? undefined : api.followLink(next);
  }
  return bots;
}

function summarize(resource: Record<string, unknown> | undefined): BotSummary | undefined {
  if (resource?.resourceType !== "Bot" || typeof resource.id !== "string") return undefined;
  const code = (resource.executableCode as { url?: unknown } | undefined)?.url;
  const identifiers = (resource.identifier as Array<{ system?: unknown; value?: unknown }> | undefined) ?? [];
  const custom = identifiers.find((identifier) => identifier.system === CUSTOM_FUNCTION_SYSTEM)?.value;
  return {
    id: resource.id,
    ...(typeof resource.name === "string" ? { name: resource.name } : {}),
    ...(typeof resource.runtimeVersion === "string" ? { runtimeVersion: resource.runtimeVersion } : {}),
    ...(typeof code === "string" && code !== "" ? { executableCode: code } : {}),
    ...(typeof custom === "string" ? { customFunction: custom } : {}),
    cron: resource.cronString !== undefined || resource.cronTiming !== undefined,
  };
}

/** What a redeploy does for a Bot, following deploy.ts deployBot and bots/execute.ts. */
export function planRedeploy(bot: BotSummary): RedeployPlan {
  if (bot.runtimeVersion === "vmcontext")
    return { action: "skip", reason: "vmcontext: runs inside the Medplum server, nothing to deploy (the server needs vmContextBotsEnabled)" };
  if (bot.runtimeVersion !== "awslambda" && bot.runtimeVersion !== "fission") {
    return {
      action: "skip",
      reason: `runtimeVersion ${bot.runtimeVersion === undefined ? "not set" : JSON.stringify(bot.runtimeVersion)}: Medplum runs it nowhere ("Unsupported bot runtime")`,
    };
  }
  if (bot.executableCode === undefined)
    return { action: "skip", reason: "no executableCode: never deployed, so there is no code to redeploy (deploy it from its source)" };
  const target = bot.runtimeVersion === "awslambda" ? `Lambda medplum-bot-lambda-${bot.id} in the server's region` : "the Fission cluster";
  return {
    action: "redeploy",
    reason: `${bot.runtimeVersion}: $deploy ${bot.executableCode} to ${target}`,
    ...(bot.customFunction !== undefined
      ? {
          note: `runs the customer's own Lambda ${bot.customFunction} when the server enables botCustomFunctionsEnabled; $deploy does not deploy that one: redeploy it in the recovery region yourself`,
        }
      : {}),
  };
}

export interface DeployOutcome {
  readonly ok: boolean;
  readonly summary: string;
  readonly elapsedMs: number;
}

/**
 * `POST fhir/R4/Bot/<id>/$deploy` with an empty JSON body: deployHandler reads `req.body.code` (absent: redeploy the
 * current executableCode) and `req.body.filename`, and answers the allOk OperationOutcome (200), or the error as an
 * OperationOutcome (400 for "Bot missing executable code", "Bots not enabled", or an AWS error such as a missing layer).
 */
export async function redeployBot(api: MedplumApi, accessToken: string, botId: string): Promise<DeployOutcome> {
  const started = Date.now();
  let response;
  try {
    response = await api.request(`fhir/R4/Bot/${encodeURIComponent(botId)}/$deploy`, {
      method: "POST",
      accessToken,
      headers: { "Content-Type": "application/fhir+json", Accept: "application/fhir+json" },
      body: "{}",
    });
  } catch (error) {
    if (error instanceof UnreachableError) return { ok: false, summary: error.reason, elapsedMs: Date.now() - started };
    throw error;
  }
  const outcome = response.json as { resourceType?: string; id?: string } | undefined;
  if (response.status === 200 && outcome?.resourceType === "OperationOutcome" && outcome.id === "ok") {
    return { ok: true, summary: "deployed", elapsedMs: response.elapsedMs };
  }
  return { ok: false, summary: `HTTP ${response.status}: ${describeErrorBody(response)}`, elapsedMs: response.elapsedMs };
}

/**
 * `POST admin/super/reloadcron` with `Prefer: respond-async` (admin/super.ts): clears the cron queue and registers every
 * Bot with a cronString or cronTiming again, as an async job. 202 with the job's status URL in Content-Location.
 */
export async function reloadCronBots(api: MedplumApi, accessToken: string): Promise<DeployOutcome> {
  const started = Date.now();
  let response;
  try {
    response = await api.request("admin/super/reloadcron", {
      method: "POST",
      accessToken,
      headers: { Prefer: "respond-async", Accept: "application/fhir+json" },
    });
  } catch (error) {
    if (error instanceof UnreachableError) return { ok: false, summary: error.reason, elapsedMs: Date.now() - started };
    throw error;
  }
  if (response.status === 202) return { ok: true, summary: "accepted: Medplum re-registers every cron Bot as an async job", elapsedMs: response.elapsedMs };
  const hint = response.status === 403 ? " (needs a super admin's client)" : "";
  return { ok: false, summary: `HTTP ${response.status}: ${describeErrorBody(response)}${hint}`, elapsedMs: response.elapsedMs };
}

async function call<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof UnreachableError) throw new BotApiError(error.message);
    throw error;
  }
}
