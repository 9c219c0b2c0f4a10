/**
 * `npm run redeploy-bots -- --stack <name> [--url <base url>] [--dry-run] [--reload-cron]`: redeploys every Bot of the
 * recovered Medplum through its `$deploy` operation, so Lambda (and Fission) Bots run in the recovery region again.
 * See docs/application-recovery.md.
 */
import "../config/zod-jitless"; // before any schema is built
import { RecoveryConfigError } from "../config/load";
import { BotApiError, listBots, planRedeploy, redeployBot, reloadCronBots, type BotSummary } from "./bots";
import { EXIT, parseOptions, resolveTarget, UsageError } from "./cli-support";
import { clientCredentialsToken, CredentialsUnavailableError } from "./credentials";
import { MedplumApi } from "./medplum-api";

export const HELP = `Usage: npm run redeploy-bots -- --stack <name> [--url <base url>] [--dry-run] [--reload-cron]

Lists every Bot of the recovered Medplum (FHIR search, all pages) and redeploys each awslambda and fission Bot
through Medplum's $deploy operation with its current code, so its function exists in the recovery region.
vmcontext Bots, Bots without a runtime and Bots never deployed are listed and skipped.

Options:
  --stack <name>           the recovery stack, e.g. recovery-aws (must be a target of the config)
  --url <url>              the Medplum API base URL instead of medplum.baseUrl (https, or http to a loopback address)
  --dry-run                list the Bots and what would happen; deploy nothing
  --reload-cron            also POST /admin/super/reloadcron: cron schedules lived in the lost Redis (super admin only)
  --deploy-timeout <s>     give each $deploy this long (it creates a Lambda function); default 300
  --help                   this text

Config: RECOVERY_CONFIG (default config/example.yaml); credentials as for npm run verify (verify.credentials,
  default MEDPLUM_CLIENT_ID and MEDPLUM_CLIENT_SECRET). The client must be able to read and update the Bots
  (a project admin's); it sees its own project's Bots only.
Exit codes: 0 every Bot redeployed or skipped (or listed, with --dry-run); 1 a deploy, the listing, the token or
  the cron reload failed; 2 bad input (options, config, missing credentials).
`;

const label = (bot: BotSummary) => `Bot/${bot.id}${bot.name ? ` ${JSON.stringify(bot.name)}` : ""}`;

export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<number> {
  let values;
  let target;
  let credentials;
  let deployTimeoutSeconds: number;
  try {
    values = parseOptions(argv, {
      stack: { type: "string" },
      url: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      "reload-cron": { type: "boolean", default: false },
      "deploy-timeout": { type: "string" },
      help: { type: "boolean", default: false },
    });
    if (values.help) {
      process.stdout.write(HELP);
      return EXIT.ok;
    }
    deployTimeoutSeconds = values["deploy-timeout"] === undefined ? 300 : Number(values["deploy-timeout"]);
    if (!Number.isInteger(deployTimeoutSeconds) || deployTimeoutSeconds < 1 || deployTimeoutSeconds > 3600) {
      throw new UsageError(`--deploy-timeout: "${values["deploy-timeout"]}" is not a whole number of seconds from 1 to 3600`);
    }
    target = resolveTarget(values, env);
    credentials = await target.credentials.resolve();
  } catch (error) {
    if (error instanceof UsageError || error instanceof RecoveryConfigError || error instanceof CredentialsUnavailableError) {
      console.error(`redeploy-bots: ${error.message}${error instanceof UsageError ? `\n\n${HELP}` : ""}`);
      return EXIT.badInput;
    }
    throw error;
  }

  const api = new MedplumApi({ baseUrl: target.baseUrl, timeoutMs: target.config.verify.requestTimeoutSeconds * 1000 });
  const deployApi = new MedplumApi({ baseUrl: target.baseUrl, timeoutMs: deployTimeoutSeconds * 1000 });
  const token = await clientCredentialsToken(api, credentials);
  if (!token.ok) {
    console.error(`redeploy-bots: POST ${api.url("oauth2/token")} (client credentials from ${target.credentials.description}): ${token.reason}`);
    return EXIT.failed;
  }
  let bots: BotSummary[];
  try {
    bots = await listBots(api, token.token.accessToken);
  } catch (error) {
    if (error instanceof BotApiError) {
      console.error(`redeploy-bots: listing Bots: ${error.message}`);
      return EXIT.failed;
    }
    throw error;
  }

  const dryRun = values["dry-run"] ?? false;
  out(`redeploy-bots ${target.stack} at ${api.baseUrl}: ${bots.length} Bot${bots.length === 1 ? "" : "s"}${dryRun ? " (dry run: nothing is deployed)" : ""}`);
  let deployed = 0;
  let failed = 0;
  let skipped = 0;
  for (const bot of bots) {
    const plan = planRedeploy(bot);
    if (plan.action === "skip") {
      skipped += 1;
      out(`SKIP     ${label(bot)}: ${plan.reason}`);
      continue;
    }
    if (dryRun) {
      out(`REDEPLOY ${label(bot)}: ${plan.reason}`);
    } else {
      const outcome = await redeployBot(deployApi, token.token.accessToken, bot.id);
      if (outcome.ok) deployed += 1;
      else failed += 1;
      out(
        `${outcome.ok ? "OK      " : "FAIL    "} ${label(bot)}: ${outcome.ok ? `${plan.reason}: deployed in ${(outcome.elapsedMs / 1000).toFixed(1)} s` : outcome.summary}`,
      );
    }
    if ("note" in plan && plan.note) out(`NOTE     ${label(bot)}: ${plan.note}`);
  }

  const cron = bots.filter((bot) => bot.cron);
  let cronFailed = false;
  if (cron.length > 0 || values["reload-cron"]) {
    if (values["reload-cron"] && !dryRun) {
      const outcome = await reloadCronBots(api, token.token.accessToken);
      cronFailed = !outcome.ok;
      out(`${outcome.ok ? "OK      " : "FAIL    "} cron: ${outcome.summary}`);
    } else {
      out(
        `CRON     ${cron.length} Bot${cron.length === 1 ? " has a cron schedule" : "s have cron schedules"}, kept in the lost Redis; ${dryRun ? "--reload-cron would" : "run with --reload-cron (a super admin's client) to"} register them again`,
      );
    }
  }
  out(
    dryRun
      ? `redeploy-bots: would redeploy ${bots.length - skipped}, skip ${skipped}`
      : `redeploy-bots: ${deployed} redeployed, ${failed} failed, ${skipped} skipped`,
  );
  return failed > 0 || cronFailed ? EXIT.failed : EXIT.ok;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`redeploy-bots: ${(error as Error).stack ?? String(error)}`);
      process.exitCode = EXIT.badInput;
    },
  );
}
