/**
 * What the operations CLIs share: option parsing errors, the config, the stack, the base URL and the credentials, each
 * refused with one line naming the option or field, the value found and what is expected.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { configPathFromEnvironment, loadRecoveryConfig } from "../config/load";
import type { RecoveryConfig } from "../config/schema";
import { pastTimestamp } from "../config/schema/common";
import { EnvironmentCredentialSource, type CredentialSource } from "./credentials";
import { isLoopbackUrl } from "./medplum-api";
import { targetOfStack } from "./stacks";

/** Shared by every operations CLI and consistent with report/cli.ts: 0 ok, 1 something checked failed, 2 bad input. */
export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export function parseOptions<T extends NonNullable<ParseArgsConfig["options"]>>(argv: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export interface Target {
  readonly config: RecoveryConfig;
  readonly configPath: string;
  readonly stack: string;
  readonly baseUrl: string;
  readonly credentials: CredentialSource;
}

export function resolveTarget(values: { stack?: string | undefined; url?: string | undefined }, env: NodeJS.ProcessEnv = process.env): Target {
  if (values.stack === undefined || values.stack === "") throw new UsageError("--stack: is missing; give the stack to check, e.g. --stack recovery-aws");
  const configPath = configPathFromEnvironment(env);
  const config = loadRecoveryConfig(configPath);
  const stack = targetOfStack(values.stack, config);
  if ("problem" in stack) throw new UsageError(stack.problem);
  return {
    config,
    configPath,
    stack: values.stack,
    baseUrl: values.url === undefined ? config.medplum.baseUrl : checkedUrl(values.url),
    credentials: new EnvironmentCredentialSource(config.verify.credentials, env),
  };
}

/** The client secret travels to this URL: https, except to a loopback address (a port-forward, a local test double). */
export function checkedUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--url: "${value}" is not a URL; give the Medplum API base URL, e.g. https://api.medplum.example.com/`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackUrl(url))) {
    throw new UsageError(`--url: "${value}" is not https; the client secret is sent there, so only https (or http to a loopback address) is accepted`);
  }
  if (url.search !== "" || url.hash !== "") throw new UsageError(`--url: "${value}" has a query or fragment; give the API base URL only`);
  return url.toString();
}

export function disasterTime(value: string | undefined): Date {
  if (value === undefined)
    throw new UsageError("--at: is missing; give the disaster time (or the drill's restore point) as an RFC 3339 time, e.g. --at 2026-11-30T08:00:00Z");
  const parsed = pastTimestamp.safeParse(value);
  if (!parsed.success) throw new UsageError(`--at: "${value}" ${parsed.error.issues[0]?.message ?? "is not a valid time"}`);
  return new Date(value);
}
