/**
 * Runs every verify check against one Medplum base URL, one after another (about 20 requests; order keeps the output
 * stable), and returns the typed result. Checks that need a token are skipped when none could be had, so one cause
 * shows as one failure.
 */
import type { VerifyConfig } from "../../config/schema";
import { clientCredentialsToken, type CredentialSource } from "../credentials";
import { MedplumApi } from "../medplum-api";
import { checkBinary, checkCanary, checkCapabilityStatement, checkHealth, checkPostDeployMigrations, checkRpo, checkServerVersion } from "./checks";
import type { CheckResult, RpoMeasurement, VerifyResult } from "./result";

export interface VerifyOptions {
  readonly stack: string;
  readonly baseUrl: string;
  /** `medplum.image`: the version the server must run. */
  readonly image: string;
  readonly disasterTime: Date;
  readonly rpoObjectiveMinutes: number;
  readonly verify: VerifyConfig;
  readonly credentials: CredentialSource;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** Throws CredentialsUnavailableError before any request when the credentials cannot be had. */
export async function runVerify(options: VerifyOptions): Promise<VerifyResult> {
  const now = options.now ?? (() => new Date());
  const credentials = await options.credentials.resolve();
  const startedAt = now();
  const api = new MedplumApi({
    baseUrl: options.baseUrl,
    timeoutMs: options.verify.requestTimeoutSeconds * 1000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const checks: CheckResult[] = [];

  const health = await checkHealth(api, options.verify.requestTimeoutSeconds);
  checks.push(health.check);
  const version = checkServerVersion(options.image, health.version);
  checks.push(version.check);
  checks.push(await checkCapabilityStatement(api));

  const token = await clientCredentialsToken(api, credentials);
  let rpo: RpoMeasurement = {
    disasterTime: options.disasterTime.toISOString(),
    objectiveMinutes: options.rpoObjectiveMinutes,
    measuredMinutes: null,
    newestWrite: null,
    byResourceType: [],
  };
  if (!token.ok) {
    checks.push({
      id: "token",
      name: "token",
      status: "fail",
      summary: `POST ${api.url("oauth2/token")} (client credentials from ${options.credentials.description}): ${token.reason}`,
      elapsedMs: 0,
    });
    const skipped = (id: CheckResult["id"], name: string = id): CheckResult => ({ id, name, status: "skip", summary: "needs a token", elapsedMs: 0 });
    checks.push(
      skipped("rpo"),
      ...options.verify.canaries.map((canary) => skipped("canary", `canary ${JSON.stringify(canary.name ?? canary.search)}`)),
      skipped("binary"),
      skipped("post-deploy-migrations"),
    );
  } else {
    const lifetime = token.token.expiresInSeconds !== undefined ? `, valid ${token.token.expiresInSeconds} s` : "";
    checks.push({
      id: "token",
      name: "token",
      status: "pass",
      summary: `client credentials token for ClientApplication ${credentials.clientId}${token.token.project ? ` in ${token.token.project}` : ""}${lifetime}`,
      elapsedMs: token.elapsedMs,
    });
    const accessToken = token.token.accessToken;
    const measured = await checkRpo(api, accessToken, {
      resourceTypes: options.verify.rpoResourceTypes,
      disasterTime: options.disasterTime,
      objectiveMinutes: options.rpoObjectiveMinutes,
    });
    rpo = measured.measurement;
    checks.push(measured.check);
    for (const canary of options.verify.canaries) checks.push(await checkCanary(api, accessToken, canary));
    checks.push(
      await checkBinary(api, accessToken, { ...(options.verify.binaryId ? { binaryId: options.verify.binaryId } : {}), disasterTime: options.disasterTime }),
    );
    checks.push(await checkPostDeployMigrations(api, accessToken));
  }

  return {
    schemaVersion: 1,
    stack: options.stack,
    baseUrl: api.baseUrl,
    startedAt: startedAt.toISOString(),
    finishedAt: now().toISOString(),
    passed: checks.every((check) => check.status !== "fail"),
    server: { version: health.version, expectedVersion: version.expected },
    rpo,
    checks,
  };
}

/** One line per check, then the verdict. */
export function renderVerifyText(result: VerifyResult): string {
  const lines = [`verify ${result.stack} at ${result.baseUrl} (disaster time ${result.rpo.disasterTime})`];
  for (const check of result.checks) lines.push(`${check.status.toUpperCase().padEnd(4)} ${check.name}: ${check.summary}`);
  const failed = result.checks.filter((check) => check.status === "fail").length;
  const warned = result.checks.filter((check) => check.status === "warn").length;
  lines.push(
    failed > 0
      ? `verify FAILED: ${failed} of ${result.checks.length} checks failed`
      : `verify passed: ${result.checks.length} checks${warned > 0 ? `, ${warned} warning(s)` : ""}`,
  );
  return `${lines.join("\n")}\n`;
}
