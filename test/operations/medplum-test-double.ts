/**
 * A TEST DOUBLE of a Medplum server: a node:http server on 127.0.0.1 (an ephemeral port) that answers the few
 * endpoints verify and redeploy-bots call, the way Medplum 5.0.10 answers them (github.com/medplum/medplum,
 * packages/server/src/...: healthcheck.ts, fhir/routes.ts + metadata.ts, oauth/token.ts, fhir/search.ts,
 * fhir/binary.ts + response.ts, fhir/operations/deploy.ts, admin/super.ts). It is not Medplum: it holds a few
 * resources in memory and implements only the search parameters the tests use. Each difference from the real server
 * that a test relies on is written next to the handler.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FhirResource {
  resourceType: string;
  id: string;
  meta: { lastUpdated: string; versionId?: string };
  [key: string]: unknown;
}

export interface TestDoubleState {
  /** What `/healthcheck` reports: Medplum's MEDPLUM_VERSION, `<version>-<git hash>`. */
  version: string;
  /**
   * ok: 200 with postgres and redis true. redis-error: the Redis PING throws, so the global error handler answers 500
   * `{ msg: "Internal Server Error" }`. redis-hang: ioredis queues the PING while reconnecting; no answer for `hangMs`.
   */
  health: "ok" | "redis-error" | "redis-hang";
  hangMs: number;
  /** ClientApplication id -> secret, and whether its project is the super admin project. */
  clients: Map<string, { secret: string; superAdmin: boolean }>;
  /** valid: issued tokens are accepted. rejected: issued, then refused with 401 (expired, or signed with an unknown key). */
  tokens: "valid" | "rejected";
  resources: FhirResource[];
  /** Binary id -> content in binary storage; a Binary without an entry here (and without `data`) is missing from storage. */
  storage: Map<string, Buffer>;
  /** Medplum's configured `baseUrl`, which it writes into paging links; in a drill that names production, not this server. */
  linkBaseUrl: string;
  /** Project feature `bots` (deploy.ts isBotEnabled). */
  botsEnabled: boolean;
  /** Bots whose deployment to the cloud fails (e.g. no Lambda layer in the region): deploy.ts returns the error as a 400 outcome. */
  failingDeploys: Map<string, string>;
  pendingPostDeployMigration: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

export class MedplumTestDouble {
  readonly state: TestDoubleState;
  readonly requests: RecordedRequest[] = [];
  readonly deployed: string[] = [];
  cronReloads = 0;
  private server: Server | undefined;
  private issued = new Map<string, string>();
  private url = "";

  constructor(state: Partial<TestDoubleState> = {}) {
    this.state = {
      version: "5.0.10-3b9c1e2",
      health: "ok",
      hangMs: 3_000,
      clients: new Map([["client-1", { secret: "s3cret", superAdmin: false }]]),
      tokens: "valid",
      resources: [],
      storage: new Map(),
      linkBaseUrl: "https://api.medplum.example.com/",
      botsEnabled: true,
      failingDeploys: new Map(),
      pendingPostDeployMigration: 0,
      ...state,
    };
  }

  get baseUrl(): string {
    return this.url;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, { msg: "Internal Server Error" });
        else res.destroy(error as Error);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  add(...resources: FhirResource[]): this {
    this.state.resources.push(...resources);
    return this;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readAll(req);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    this.requests.push({ method: req.method ?? "GET", path: `${url.pathname}${url.search}`, headers: req.headers, body });
    const path = decodeURIComponent(url.pathname);

    if (req.method === "GET" && path === "/healthcheck") return this.healthcheck(res);
    if (req.method === "GET" && path === "/fhir/R4/metadata") {
      // routes.ts publicRoutes: no authentication; res.json, so application/json.
      return send(res, 200, {
        resourceType: "CapabilityStatement",
        id: "medplum-server",
        version: this.state.version,
        status: "active",
        kind: "instance",
        fhirVersion: "4.0.1",
        format: ["json"],
        rest: [{ mode: "server" }],
      });
    }
    if (req.method === "POST" && path === "/oauth2/token") return this.token(req, res, body);

    const client = this.authenticate(req);
    if (path.startsWith("/fhir/R4/") || path.startsWith("/admin/")) {
      if (client === undefined) return sendOutcome(res, 401, "unauthorized", "login", "Unauthorized");
    }
    if (req.method === "GET" && path === "/admin/super/migrations") {
      // super.ts requireSuperAdmin: 403 forbidden unless the client's project is the super admin project.
      if (!this.state.clients.get(client as string)?.superAdmin) return sendOutcome(res, 403, "forbidden", "forbidden", "Forbidden");
      return send(res, 200, { postDeployMigrations: [1, 2, 3], pendingPostDeployMigration: this.state.pendingPostDeployMigration });
    }
    if (req.method === "POST" && path === "/admin/super/reloadcron") {
      // super.ts: requireSuperAdmin, then requireAsync (400 without Prefer: respond-async), then a 202 async job.
      if (!this.state.clients.get(client as string)?.superAdmin) return sendOutcome(res, 403, "forbidden", "forbidden", "Forbidden");
      if (req.headers.prefer !== "respond-async") return sendOutcome(res, 400, undefined, "invalid", 'Operation requires "Prefer: respond-async"');
      this.cronReloads += 1;
      res.setHeader("Content-Location", `${this.state.linkBaseUrl}fhir/R4/job/j1/status`);
      return sendOutcome(res, 202, "accepted", "informational", "Accepted", "information");
    }
    const deploy = /^\/fhir\/R4\/Bot\/([^/]+)\/\$deploy$/.exec(path);
    if (req.method === "POST" && deploy) return this.deploy(req, res, deploy[1] as string, body);
    const read = /^\/fhir\/R4\/([A-Za-z]+)\/([^/]+)$/.exec(path);
    if (req.method === "GET" && read) return this.read(req, res, read[1] as string, read[2] as string);
    const search = /^\/fhir\/R4\/([A-Za-z]+)$/.exec(path);
    if (req.method === "GET" && search) return this.search(res, search[1] as string, url.searchParams);
    return sendOutcome(res, 404, "not-found", "not-found", "Not found");
  }

  private async healthcheck(res: ServerResponse): Promise<void> {
    if (this.state.health === "redis-error") return send(res, 500, { msg: "Internal Server Error" });
    if (this.state.health === "redis-hang") await new Promise((resolve) => setTimeout(resolve, this.state.hangMs));
    send(res, 200, { ok: true, version: this.state.version, platform: "linux", runtime: "v22.12.0", postgres: true, redis: true });
  }

  /** token.ts: form-encoded only; client_id/client_secret from the body; errors are 400 { error, error_description }. */
  private token(req: IncomingMessage, res: ServerResponse, body: string): void {
    if (!(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
      res.writeHead(400, { "Content-Type": "text/html; charset=utf-8" }).end("Unsupported content type");
      return;
    }
    const form = new URLSearchParams(body);
    if (form.get("grant_type") !== "client_credentials") return send(res, 400, { error: "invalid_request", error_description: "Unsupported grant_type" });
    const id = form.get("client_id") ?? "";
    const client = this.state.clients.get(id);
    if (!client) return send(res, 400, { error: "invalid_request", error_description: "Invalid client" });
    if (client.secret !== form.get("client_secret")) return send(res, 400, { error: "invalid_request", error_description: "Invalid secret" });
    const token = `token-${this.issued.size + 1}`;
    this.issued.set(token, id);
    send(res, 200, {
      token_type: "Bearer",
      expires_in: 3600,
      scope: "openid",
      access_token: token,
      project: { reference: "Project/p1" },
      profile: { reference: `ClientApplication/${id}` },
    });
  }

  private authenticate(req: IncomingMessage): string | undefined {
    const [scheme, token] = (req.headers.authorization ?? "").split(" ");
    if (scheme !== "Bearer" || token === undefined || this.state.tokens === "rejected") return undefined;
    return this.issued.get(token);
  }

  /**
   * search.ts, for what the tests use: `_sort` on `_lastUpdated` (either way) or `_id`, `_count`, `_offset`,
   * `_lastUpdated=le<instant>`, `identifier=<system>|<value>`. Offset paging links built from `linkBaseUrl`, as
   * getSearchUrl builds them from Medplum's baseUrl. (Medplum uses cursor links for ascending `_lastUpdated` sorts;
   * the tests page with `_sort=_id`, which uses offsets there too.)
   */
  private search(res: ServerResponse, resourceType: string, params: URLSearchParams): void {
    let matches = this.state.resources.filter((resource) => resource.resourceType === resourceType);
    const lastUpdated = params.get("_lastUpdated");
    if (lastUpdated?.startsWith("le")) matches = matches.filter((resource) => Date.parse(resource.meta.lastUpdated) <= Date.parse(lastUpdated.slice(2)));
    const identifier = params.get("identifier");
    if (identifier !== null) {
      const [system, value] = identifier.includes("|") ? identifier.split("|") : [undefined, identifier];
      matches = matches.filter((resource) =>
        ((resource.identifier as Array<{ system?: string; value?: string }> | undefined) ?? []).some(
          (id) => id.value === value && (system === undefined || id.system === system),
        ),
      );
    }
    const sort = params.get("_sort");
    if (sort === "-_lastUpdated" || sort === "_lastUpdated") {
      matches = [...matches].sort((a, b) => Date.parse(a.meta.lastUpdated) - Date.parse(b.meta.lastUpdated));
      if (sort.startsWith("-")) matches.reverse();
    } else if (sort === "_id") {
      matches = [...matches].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    }
    const count = Math.min(Number(params.get("_count") ?? 20), 1000);
    const offset = Number(params.get("_offset") ?? 0);
    const page = matches.slice(offset, offset + count);
    const link = [{ relation: "self", url: `${this.state.linkBaseUrl}fhir/R4/${resourceType}?${params.toString()}` }];
    if (offset + count < matches.length) {
      const next = new URLSearchParams(params);
      next.set("_offset", String(offset + count));
      link.push({ relation: "next", url: `${this.state.linkBaseUrl}fhir/R4/${resourceType}?${next.toString()}` });
    }
    send(
      res,
      200,
      {
        resourceType: "Bundle",
        type: "searchset",
        entry: page.map((resource) => ({ fullUrl: `${this.state.linkBaseUrl}fhir/R4/${resource.resourceType}/${resource.id}`, resource })),
        link,
      },
      "application/fhir+json",
    );
  }

  /** binary.ts + response.ts: a Binary read with Accept other than application/fhir+json streams its content. */
  private read(req: IncomingMessage, res: ServerResponse, resourceType: string, id: string): void {
    const resource = this.state.resources.find((candidate) => candidate.resourceType === resourceType && candidate.id === id);
    if (!resource) return sendOutcome(res, 404, "not-found", "not-found", "Not found");
    if (resourceType === "Binary" && !(req.headers.accept ?? "").startsWith("application/fhir+json")) {
      if (typeof resource.data === "string") {
        res.writeHead(200, { "Content-Type": resource.contentType as string }).end(Buffer.from(resource.data, "base64"));
        return;
      }
      const content = this.state.storage.get(id);
      // The storage read (e.g. S3 GetObject NoSuchKey) throws before anything is sent: the global error handler's 500.
      if (!content) return send(res, 500, { msg: "Internal Server Error" });
      res.writeHead(200, { "Content-Type": resource.contentType as string }).end(content);
      return;
    }
    send(res, 200, resource, "application/fhir+json");
  }

  /** deploy.ts deployHandler: read the Bot, then deployBot; errors come back as an OperationOutcome (400 for badRequest). */
  private deploy(req: IncomingMessage, res: ServerResponse, id: string, body: string): void {
    const bot = this.state.resources.find((candidate) => candidate.resourceType === "Bot" && candidate.id === id);
    if (!bot) return sendOutcome(res, 404, "not-found", "not-found", "Not found");
    const json = (req.headers["content-type"] ?? "").includes("json") && body !== "" ? (JSON.parse(body) as { code?: string }) : {};
    if (!json.code && !(bot.executableCode as { url?: string } | undefined)?.url)
      return sendOutcome(res, 400, undefined, "invalid", "Bot missing executable code");
    if (!this.state.botsEnabled) return sendOutcome(res, 400, undefined, "invalid", "Bots not enabled");
    const failure = this.state.failingDeploys.get(id);
    if (failure) return sendOutcome(res, 400, undefined, "invalid", failure);
    this.deployed.push(id);
    sendOutcome(res, 200, "ok", "informational", "All OK", "information");
  }
}

function send(res: ServerResponse, status: number, body: unknown, contentType = "application/json"): void {
  res.writeHead(status, { "Content-Type": `${contentType}; charset=utf-8` }).end(JSON.stringify(body));
}

/** fhir/outcomes.ts sendOutcome: status from the outcome, content type application/fhir+json. */
function sendOutcome(res: ServerResponse, status: number, id: string | undefined, code: string, text: string, severity = "error"): void {
  send(res, status, { resourceType: "OperationOutcome", ...(id ? { id } : {}), issue: [{ severity, code, details: { text } }] }, "application/fhir+json");
}

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** A port on 127.0.0.1 where nothing listens: bound, then released. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}

export const resource = (resourceType: string, id: string, lastUpdated: string, extra: Record<string, unknown> = {}): FhirResource => ({
  resourceType,
  id,
  meta: { lastUpdated, versionId: `${id}-v1` },
  ...extra,
});
