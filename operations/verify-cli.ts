/**
 * `npm run verify -- --stack <name> --at <time> [--url <base url>] [--json]`: checks a recovered (or drill) Medplum
 * over its public API. See docs/verify.md.
 */
import "../config/zod-jitless"; // before any schema is built
import { RecoveryConfigError } from "../config/load";
import { CredentialsUnavailableError } from "./credentials";
import { disasterTime, EXIT, parseOptions, resolveTarget, UsageError } from "./cli-support";
import { renderVerifyText, runVerify } from "./verify/run";

export const HELP = `Usage: npm run verify -- --stack <name> --at <time> [--url <base url>] [--json]

Checks a recovered (or drill) Medplum over its public API, one line per check:
  healthcheck            /healthcheck: ok, PostgreSQL and Redis reachable
  server-version         the version /healthcheck reports equals medplum.image's tag (skipped for a digest)
  capability-statement   /fhir/R4/metadata is a CapabilityStatement for FHIR 4.0.1
  token                  a client credentials token from /oauth2/token
  rpo                    measured RPO = --at minus the newest meta.lastUpdated at or before it, across
                         verify.rpoResourceTypes, against objectives.rpoMinutes
  canary                 each verify.canaries search finds at least one resource
  binary                 verify.binaryId (else the newest Binary) read back through Medplum from binary storage
  post-deploy-migrations no data migration pending (needs a super admin's client; skipped otherwise)

Options:
  --stack <name>   the recovery stack checked, e.g. recovery-aws (must be a target of the config)
  --at <time>      when the disaster happened, or the drill's restore point: RFC 3339 with a zone, e.g. 2026-11-30T08:00:00Z
  --url <url>      check this base URL instead of medplum.baseUrl (a drill's host, or the load balancer before DNS moves);
                   https, or http to a loopback address
  --json           print the result as JSON (operations/schemas/verify-result.schema.json) instead of text
  --help           this text

Config: RECOVERY_CONFIG (default config/example.yaml), section verify.
Credentials: a Medplum ClientApplication's id and secret from the environment variables named in
  verify.credentials (default MEDPLUM_CLIENT_ID and MEDPLUM_CLIENT_SECRET); never from the config.
Exit codes: 0 every check passed (warnings and skips allowed); 1 a check failed; 2 bad input (options, config,
  missing credentials).
`;

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values;
  try {
    values = parseOptions(argv, {
      stack: { type: "string" },
      at: { type: "string" },
      url: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    });
  } catch (error) {
    console.error(`verify: ${(error as Error).message}\n\n${HELP}`);
    return EXIT.badInput;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  let result;
  try {
    const target = resolveTarget(values, env);
    const at = disasterTime(values.at);
    result = await runVerify({
      stack: target.stack,
      baseUrl: target.baseUrl,
      image: target.config.medplum.image,
      disasterTime: at,
      rpoObjectiveMinutes: target.config.objectives.rpoMinutes,
      verify: target.config.verify,
      credentials: target.credentials,
    });
  } catch (error) {
    if (error instanceof UsageError || error instanceof RecoveryConfigError || error instanceof CredentialsUnavailableError) {
      console.error(`verify: ${error.message}`);
      return EXIT.badInput;
    }
    throw error;
  }
  process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : renderVerifyText(result));
  return result.passed ? EXIT.ok : EXIT.failed;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`verify: ${(error as Error).stack ?? String(error)}`);
      process.exitCode = EXIT.badInput;
    },
  );
}
