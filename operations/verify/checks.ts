/**
 * The checks `npm run verify` runs, one function each, in the order they run. Each answers with a {@link CheckResult}
 * whose summary says what was found and, when it failed, where to look. Response shapes are Medplum's at v5.0.10
 * (github.com/medplum/medplum, packages/server/src/...); every function names the file it follows.
 */
import type { VerifyConfig } from "../../config/schema";
import { describeErrorBody, type ApiResponse, type MedplumApi, UnreachableError } from "../medplum-api";
import type { CheckId, CheckResult, CheckStatus, RpoMeasurement } from "./result";
import { pinnedVersion, releaseOf } from "./version";

/** Enough bytes to prove a Binary's content comes out of storage, without downloading a multi-gigabyte scan. */
export const BINARY_READ_LIMIT_BYTES = 1024 * 1024;

const result = (id: CheckId, status: CheckStatus, summary: string, elapsedMs: number, name: string = id): CheckResult => ({
  id,
  name,
  status,
  summary,
  elapsedMs: Math.max(0, Math.round(elapsedMs)),
});

/** Runs one request; an unreachable server becomes a failed check instead of an exception. */
async function attempt(call: () => Promise<ApiResponse>): Promise<{ response: ApiResponse } | { unreachable: string }> {
  try {
    return { response: await call() };
  } catch (error) {
    if (error instanceof UnreachableError) return { unreachable: error.reason };
    throw error;
  }
}

const httpProblem = (response: ApiResponse) => `HTTP ${response.status}: ${describeErrorBody(response)}`;

/** A 401 on an authenticated call: Medplum's `authenticateRequest` (packages/server/src/oauth/middleware.ts) refuses the token. */
const tokenRefused = (response: ApiResponse) =>
  `${httpProblem(response)}; the server refused the token it had just issued (expired at once, or signed with a key this server does not verify: check the signing keys restored with the database)`;

// ---------------------------------------------------------------------------------------------------------------------
// healthcheck (packages/server/src/healthcheck.ts): `SELECT 1` on the writer pool and a Redis PING, then
// `{ ok: true, version, platform, runtime, postgres: boolean, redis: boolean }`. A failing query or PING throws, and the
// global error handler (app.ts) answers 500 `{ msg: "Internal Server Error" }`; ioredis queues the PING while it
// reconnects, so an unreachable Redis often shows as a hang rather than a quick 500.

export interface HealthcheckOutcome {
  readonly check: CheckResult;
  readonly version: string | null;
}

export async function checkHealth(api: MedplumApi, timeoutSeconds: number): Promise<HealthcheckOutcome> {
  const started = Date.now();
  const outcome = await attempt(() => api.request("healthcheck", { headers: { Accept: "application/json" } }));
  const elapsed = () => Date.now() - started;
  if ("unreachable" in outcome) {
    const hang = outcome.unreachable.includes("timed out")
      ? `; Medplum's /healthcheck waits for PostgreSQL and Redis, so a hang past ${timeoutSeconds} s usually means one of them is unreachable from the server`
      : "";
    return { check: result("healthcheck", "fail", `${api.url("healthcheck")}: ${outcome.unreachable}${hang}`, elapsed()), version: null };
  }
  const { response } = outcome;
  const body = response.json as { ok?: unknown; version?: unknown; postgres?: unknown; redis?: unknown } | undefined;
  const version = typeof body?.version === "string" ? body.version : null;
  if (response.status === 500) {
    return {
      check: result(
        "healthcheck",
        "fail",
        `${httpProblem(response)}; Medplum answers 500 when its SELECT 1 on PostgreSQL or its Redis PING fails: the server log names which`,
        elapsed(),
      ),
      version,
    };
  }
  if (response.status !== 200 || body === undefined) {
    return { check: result("healthcheck", "fail", `${httpProblem(response)}; expected 200 with Medplum's healthcheck JSON`, elapsed()), version };
  }
  const down = [body.postgres !== true ? "PostgreSQL" : undefined, body.redis !== true ? "Redis" : undefined].filter((name) => name !== undefined);
  if (body.ok !== true || down.length > 0) {
    const what = down.length > 0 ? `${down.join(" and ")} not reachable from the server` : `ok is ${JSON.stringify(body.ok)}`;
    return { check: result("healthcheck", "fail", `answered 200 but ${what}: ${response.text.slice(0, 200)}`, elapsed()), version };
  }
  return { check: result("healthcheck", "pass", `ok, PostgreSQL and Redis reachable${version ? `, Medplum ${version}` : ""}`, elapsed()), version };
}

export function checkServerVersion(image: string, reported: string | null): { check: CheckResult; expected: string | null } {
  const pinned = pinnedVersion(image);
  if (pinned.kind === "digest") {
    return {
      check: result(
        "server-version",
        "skip",
        `medplum.image is pinned by digest (${pinned.digest.slice(0, 19)}...), which names no version to compare with${reported ? ` the server's ${reported}` : ""}; pin a version tag to have it checked`,
        0,
      ),
      expected: null,
    };
  }
  if (reported === null) {
    return { check: result("server-version", "skip", `the healthcheck reported no version to compare with ${pinned.version}`, 0), expected: pinned.version };
  }
  const running = releaseOf(reported);
  if (running !== pinned.version) {
    return {
      check: result(
        "server-version",
        "fail",
        `the server runs ${running} (${reported}), but medplum.image pins ${pinned.version}: the recovery must run the version the backup was taken with (Medplum migrates at start-up and cannot skip minor versions)`,
        0,
      ),
      expected: pinned.version,
    };
  }
  return { check: result("server-version", "pass", `${running}, as medplum.image pins`, 0), expected: pinned.version };
}

// ---------------------------------------------------------------------------------------------------------------------
// metadata (packages/server/src/fhir/routes.ts publicRoutes '/metadata', metadata.ts): a CapabilityStatement with
// `fhirVersion: '4.0.1'`, no authentication needed.

export async function checkCapabilityStatement(api: MedplumApi): Promise<CheckResult> {
  const started = Date.now();
  const outcome = await attempt(() => api.request("fhir/R4/metadata", { headers: { Accept: "application/fhir+json" } }));
  if ("unreachable" in outcome) return result("capability-statement", "fail", `${api.url("fhir/R4/metadata")}: ${outcome.unreachable}`, Date.now() - started);
  const { response } = outcome;
  const body = response.json as { resourceType?: unknown; fhirVersion?: unknown; software?: { version?: unknown }; version?: unknown } | undefined;
  if (response.status !== 200) return result("capability-statement", "fail", httpProblem(response), response.elapsedMs);
  if (body?.resourceType !== "CapabilityStatement") {
    return result(
      "capability-statement",
      "fail",
      `answered 200 with ${body?.resourceType === undefined ? "no FHIR resource" : `a ${String(body.resourceType)}`}, not a CapabilityStatement`,
      response.elapsedMs,
    );
  }
  if (body.fhirVersion !== "4.0.1") {
    return result(
      "capability-statement",
      "fail",
      `CapabilityStatement for FHIR ${JSON.stringify(body.fhirVersion)}, expected 4.0.1 (FHIR R4)`,
      response.elapsedMs,
    );
  }
  return result("capability-statement", "pass", "CapabilityStatement for FHIR 4.0.1", response.elapsedMs);
}

// ---------------------------------------------------------------------------------------------------------------------
// RPO: FHIR search sorted newest first. Medplum orders `_lastUpdated` by its `lastUpdated` column
// (packages/server/src/fhir/search.ts addOrderByClause) and `-` means descending (packages/core/src/search/search.ts).

interface SearchBundle {
  readonly resourceType?: unknown;
  readonly entry?: ReadonlyArray<{
    readonly resource?: {
      readonly resourceType?: string;
      readonly id?: string;
      readonly meta?: { readonly lastUpdated?: string };
      readonly data?: string;
      readonly contentType?: string;
    };
  }>;
}

type NewestOutcome =
  | { readonly kind: "found"; readonly resource: { resourceType: string; id: string; lastUpdated: string; contentType?: string; inlineData: boolean } }
  | { readonly kind: "none" }
  | { readonly kind: "error"; readonly reason: string; readonly unauthorized: boolean };

/** The newest resource of a type, optionally written at or before `atOrBefore`. One request. */
export async function newestResource(api: MedplumApi, accessToken: string, resourceType: string, atOrBefore?: Date): Promise<NewestOutcome> {
  const query = new URLSearchParams({ _sort: "-_lastUpdated", _count: "1" });
  if (atOrBefore) query.set("_lastUpdated", `le${atOrBefore.toISOString()}`);
  const path = `fhir/R4/${resourceType}?${query.toString()}`;
  const outcome = await attempt(() => api.request(path, { accessToken, headers: { Accept: "application/fhir+json" } }));
  if ("unreachable" in outcome) return { kind: "error", reason: outcome.unreachable, unauthorized: false };
  const { response } = outcome;
  if (response.status === 401) return { kind: "error", reason: tokenRefused(response), unauthorized: true };
  if (response.status !== 200) return { kind: "error", reason: httpProblem(response), unauthorized: false };
  const bundle = response.json as SearchBundle | undefined;
  if (bundle?.resourceType !== "Bundle") return { kind: "error", reason: "answered 200 without a search Bundle", unauthorized: false };
  const resource = bundle.entry?.[0]?.resource;
  if (resource === undefined) return { kind: "none" };
  const lastUpdated = resource.meta?.lastUpdated;
  if (typeof resource.id !== "string" || typeof lastUpdated !== "string" || Number.isNaN(Date.parse(lastUpdated))) {
    return { kind: "error", reason: `the newest ${resourceType} has no id or meta.lastUpdated`, unauthorized: false };
  }
  return {
    kind: "found",
    resource: {
      resourceType: resource.resourceType ?? resourceType,
      id: resource.id,
      lastUpdated: new Date(lastUpdated).toISOString(),
      ...(typeof resource.contentType === "string" ? { contentType: resource.contentType } : {}),
      inlineData: typeof resource.data === "string",
    },
  };
}

export const minutesBetween = (later: Date, earlier: Date) => Math.round(((later.getTime() - earlier.getTime()) / 60_000) * 100) / 100;

/**
 * Measured RPO = the disaster time minus the newest write found at or before it, across the configured types. Writes
 * after the disaster time are set aside (and reported): the recovered environment takes writes once it is up, and
 * verify's own token request creates a Login, so "the newest write" alone would shrink the data loss to nothing.
 */
export async function checkRpo(
  api: MedplumApi,
  accessToken: string,
  options: { readonly resourceTypes: readonly string[]; readonly disasterTime: Date; readonly objectiveMinutes: number },
): Promise<{ check: CheckResult; measurement: RpoMeasurement }> {
  const started = Date.now();
  const byResourceType: RpoMeasurement["byResourceType"][number][] = [];
  let unauthorized: string | undefined;
  for (const resourceType of options.resourceTypes) {
    const newestOverall = await newestResource(api, accessToken, resourceType);
    if (newestOverall.kind === "error") {
      byResourceType.push({ resourceType, newest: null, writtenAfterDisaster: false, error: newestOverall.reason });
      if (newestOverall.unauthorized) {
        unauthorized = newestOverall.reason;
        break;
      }
      continue;
    }
    if (newestOverall.kind === "none") {
      byResourceType.push({ resourceType, newest: null, writtenAfterDisaster: false });
      continue;
    }
    if (Date.parse(newestOverall.resource.lastUpdated) <= options.disasterTime.getTime()) {
      byResourceType.push({ resourceType, newest: refOf(newestOverall.resource), writtenAfterDisaster: false });
      continue;
    }
    const before = await newestResource(api, accessToken, resourceType, options.disasterTime);
    if (before.kind === "error") {
      byResourceType.push({ resourceType, newest: null, writtenAfterDisaster: true, error: before.reason });
      continue;
    }
    byResourceType.push({ resourceType, newest: before.kind === "found" ? refOf(before.resource) : null, writtenAfterDisaster: true });
  }

  const found = byResourceType.flatMap((entry) => (entry.newest ? [entry.newest] : []));
  const newestWrite = found.reduce<(typeof found)[number] | null>((best, ref) => (best === null || ref.lastUpdated > best.lastUpdated ? ref : best), null);
  const measuredMinutes = newestWrite === null ? null : minutesBetween(options.disasterTime, new Date(newestWrite.lastUpdated));
  const measurement: RpoMeasurement = {
    disasterTime: options.disasterTime.toISOString(),
    objectiveMinutes: options.objectiveMinutes,
    measuredMinutes,
    newestWrite,
    byResourceType,
  };
  const elapsed = Date.now() - started;
  if (unauthorized !== undefined) return { check: result("rpo", "fail", unauthorized, elapsed), measurement };

  const errors = byResourceType.filter((entry) => entry.error !== undefined);
  const after = byResourceType.filter((entry) => entry.writtenAfterDisaster).map((entry) => entry.resourceType);
  const afterNote =
    after.length > 0
      ? `; ${after.join(", ")} also ${after.length === 1 ? "has" : "have"} writes after --at (made in the recovered environment since, or --at is earlier than the disaster)`
      : "";
  if (newestWrite === null || measuredMinutes === null) {
    const why = errors.length > 0 ? `; ${errors.map((entry) => `${entry.resourceType}: ${entry.error}`).join("; ")}` : "";
    return {
      check: result(
        "rpo",
        "fail",
        `no ${options.resourceTypes.join(", ")} written at or before ${measurement.disasterTime}: nothing to measure the data loss from (wrong restore point, an empty database, or a client that cannot read these types)${why}${afterNote}`,
        elapsed,
      ),
      measurement,
    };
  }
  const newest = `newest write before the disaster: ${newestWrite.resourceType}/${newestWrite.id} at ${newestWrite.lastUpdated}`;
  if (errors.length > 0) {
    return {
      check: result(
        "rpo",
        "fail",
        `cannot measure across every type: ${errors.map((entry) => `${entry.resourceType}: ${entry.error}`).join("; ")} (so far ${measuredMinutes} min, ${newest})`,
        elapsed,
      ),
      measurement,
    };
  }
  const verdict = measuredMinutes <= options.objectiveMinutes ? "pass" : "fail";
  return {
    check: result(
      "rpo",
      verdict,
      `measured ${measuredMinutes} min (${newest}), ${verdict === "pass" ? "within" : "BEYOND"} the objective of ${options.objectiveMinutes} min${afterNote}`,
      elapsed,
    ),
    measurement,
  };
}

const refOf = (resource: { resourceType: string; id: string; lastUpdated: string }) => ({
  resourceType: resource.resourceType,
  id: resource.id,
  lastUpdated: resource.lastUpdated,
});

// ---------------------------------------------------------------------------------------------------------------------
// canaries: searches the config says must match something.

export async function checkCanary(api: MedplumApi, accessToken: string, canary: VerifyConfig["canaries"][number]): Promise<CheckResult> {
  const name = `canary ${JSON.stringify(canary.name ?? canary.search)}`;
  const [resourceType, query] = splitSearch(canary.search);
  const params = new URLSearchParams(query);
  if (!params.has("_count")) params.set("_count", "1");
  const outcome = await attempt(() =>
    api.request(`fhir/R4/${resourceType}?${params.toString()}`, { accessToken, headers: { Accept: "application/fhir+json" } }),
  );
  if ("unreachable" in outcome) return result("canary", "fail", outcome.unreachable, 0, name);
  const { response } = outcome;
  if (response.status === 401) return result("canary", "fail", tokenRefused(response), response.elapsedMs, name);
  if (response.status !== 200) return result("canary", "fail", `${canary.search}: ${httpProblem(response)}`, response.elapsedMs, name);
  const bundle = response.json as SearchBundle | undefined;
  const first = bundle?.entry?.[0]?.resource;
  if (bundle?.resourceType !== "Bundle") return result("canary", "fail", `${canary.search}: answered 200 without a search Bundle`, response.elapsedMs, name);
  if (first === undefined)
    return result("canary", "fail", `${canary.search} matched nothing; the restored data lacks a resource that must exist`, response.elapsedMs, name);
  return result("canary", "pass", `${canary.search} found ${first.resourceType ?? resourceType}/${first.id ?? "?"}`, response.elapsedMs, name);
}

function splitSearch(search: string): [string, string] {
  const at = search.indexOf("?");
  return [search.slice(0, at), search.slice(at + 1)];
}

// ---------------------------------------------------------------------------------------------------------------------
// Binary read-back (packages/server/src/fhir/binary.ts and response.ts sendFhirResponse): `GET /fhir/R4/Binary/{id}`
// with an Accept that starts with `application/fhir+json` returns the Binary resource as JSON (its content is not
// touched); any other Accept streams the content from binary storage (`getBinaryStorage().readBinary`), or decodes
// `Binary.data` when the content is inline in the database. A storage read that fails (object not replicated, wrong
// bucket or region, no access) reaches the global error handler: 500 `{ msg: "Internal Server Error" }`.

export async function checkBinary(
  api: MedplumApi,
  accessToken: string,
  options: { readonly binaryId?: string; readonly disasterTime: Date },
): Promise<CheckResult> {
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  let id = options.binaryId;
  let meta: { contentType?: string; inlineData: boolean } | undefined;
  if (id === undefined) {
    const newest = await newestResource(api, accessToken, "Binary", options.disasterTime);
    if (newest.kind === "error") return result("binary", "fail", `finding the newest Binary: ${newest.reason}`, elapsed());
    if (newest.kind === "none") {
      return result(
        "binary",
        "warn",
        `no Binary written at or before ${options.disasterTime.toISOString()}, so binary storage is not proven; set verify.binaryId to one that must exist`,
        elapsed(),
      );
    }
    id = newest.resource.id;
    meta = { ...(newest.resource.contentType ? { contentType: newest.resource.contentType } : {}), inlineData: newest.resource.inlineData };
  } else {
    const outcome = await attempt(() =>
      api.request(`fhir/R4/Binary/${encodeURIComponent(id as string)}`, { accessToken, headers: { Accept: "application/fhir+json" } }),
    );
    if ("unreachable" in outcome) return result("binary", "fail", outcome.unreachable, elapsed());
    const { response } = outcome;
    if (response.status === 401) return result("binary", "fail", tokenRefused(response), elapsed());
    if (response.status !== 200) return result("binary", "fail", `Binary/${id} (verify.binaryId): ${httpProblem(response)}`, elapsed());
    const body = response.json as { contentType?: unknown; data?: unknown } | undefined;
    meta = { ...(typeof body?.contentType === "string" ? { contentType: body.contentType } : {}), inlineData: typeof body?.data === "string" };
  }

  let read;
  try {
    read = await api.readBytes(`fhir/R4/Binary/${encodeURIComponent(id)}`, { accessToken, headers: { Accept: "*/*" }, maxBytes: BINARY_READ_LIMIT_BYTES });
  } catch (error) {
    if (error instanceof UnreachableError) return result("binary", "fail", `Binary/${id}: ${error.reason}`, elapsed());
    throw error;
  }
  if (read.status === 401) return result("binary", "fail", tokenRefused(read), elapsed());
  if (read.status !== 200) {
    const storage =
      read.status >= 500
        ? "; Medplum could not read the content from binary storage: is the bucket or container in the recovery location, the object replicated there, and the server's binary storage setting (and MEDPLUM_AWS_REGION on AWS) pointing at it?"
        : "";
    return result("binary", "fail", `Binary/${id}: HTTP ${read.status}: ${describeErrorBody(read)}${storage}`, elapsed());
  }
  const size = read.truncated ? `the first ${read.bytesRead} bytes` : `${read.bytesRead} bytes`;
  const type = read.contentType || meta?.contentType || "no content type";
  if (meta?.inlineData) {
    return result(
      "binary",
      "warn",
      `Binary/${id} read back (${size} of ${type}), but its content is inline in the database (Binary.data), which proves nothing about binary storage; set verify.binaryId to a stored Binary`,
      elapsed(),
    );
  }
  return result("binary", "pass", `Binary/${id} read back through Medplum from binary storage: ${size} of ${type}`, elapsed());
}

// ---------------------------------------------------------------------------------------------------------------------
// Post-deploy data migrations (packages/server/src/admin/super.ts GET /admin/super/migrations, super admin only:
// requireSuperAdmin answers 403 otherwise) -> `{ postDeployMigrations: number[], pendingPostDeployMigration: number }`,
// pending 0 meaning none (MigrationVersion.NONE, migrations/migration-versions.ts). At start-up the server queues the
// pending one as an AsyncJob of type `data-migration` (migrations/migration-utils.ts maybeAutoRunPendingPostDeployMigration)
// and keeps serving while it runs.

export async function checkPostDeployMigrations(api: MedplumApi, accessToken: string): Promise<CheckResult> {
  const outcome = await attempt(() => api.request("admin/super/migrations", { accessToken, headers: { Accept: "application/json" } }));
  if ("unreachable" in outcome) return result("post-deploy-migrations", "fail", outcome.unreachable, 0);
  const { response } = outcome;
  if (response.status === 403) {
    return result(
      "post-deploy-migrations",
      "skip",
      "GET /admin/super/migrations needs a super admin's client (HTTP 403); check the data-migration AsyncJob in the super admin project instead",
      response.elapsedMs,
    );
  }
  if (response.status === 401) return result("post-deploy-migrations", "fail", tokenRefused(response), response.elapsedMs);
  const body = response.json as { pendingPostDeployMigration?: unknown; postDeployMigrations?: unknown } | undefined;
  if (response.status !== 200 || typeof body?.pendingPostDeployMigration !== "number") {
    return result(
      "post-deploy-migrations",
      "fail",
      `${httpProblem(response)}; expected { postDeployMigrations, pendingPostDeployMigration }`,
      response.elapsedMs,
    );
  }
  const pending = body.pendingPostDeployMigration;
  if (pending === 0) return result("post-deploy-migrations", "pass", "no post-deploy data migration pending", response.elapsedMs);
  if (pending < 0) {
    return result(
      "post-deploy-migrations",
      "warn",
      `the server cannot tell which data migration is next (pendingPostDeployMigration ${pending}); see the server log`,
      response.elapsedMs,
    );
  }
  return result(
    "post-deploy-migrations",
    "warn",
    `data migration v${pending} is pending or running (the server queued it at start-up as a data-migration AsyncJob); searches it backfills may be incomplete until it finishes`,
    response.elapsedMs,
  );
}
