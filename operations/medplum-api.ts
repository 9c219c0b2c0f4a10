/**
 * The few calls verify and redeploy-bots make to a Medplum server, over its public HTTP API. Every request is
 * asynchronous and gives up after `timeoutMs`; nothing here retries. Shapes follow Medplum's server source at v5.0.10
 * (github.com/medplum/medplum, packages/server/src/...), cited where each call is made.
 *
 * Medplum writes its configured `baseUrl` into every link it returns (search paging links, Location headers). In a
 * drill, or before DNS is switched, that is the *production* URL, not the environment being checked, so links are
 * re-rooted on the base URL this client was given ({@link MedplumApi.followLink}) instead of being followed as they are.
 */

export interface MedplumApiOptions {
  /** Base URL of the Medplum API, e.g. `https://api.medplum.example.com/`; a missing trailing slash is added. */
  readonly baseUrl: string;
  /** Each request (connect, headers and body) gives up after this long. */
  readonly timeoutMs: number;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** A request that got no HTTP answer: refused, unresolvable, TLS failure, timed out. */
export class UnreachableError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`${url}: ${reason}`);
    this.name = "UnreachableError";
  }
}

export interface ApiResponse {
  readonly status: number;
  readonly contentType: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  readonly json: unknown;
  /** The body as text, cut at {@link MAX_BODY_BYTES}. */
  readonly text: string;
  readonly elapsedMs: number;
}

export interface BytesResponse extends Omit<ApiResponse, "text"> {
  readonly bytesRead: number;
  /** True when the body was longer than `maxBytes` and reading stopped there. */
  readonly truncated: boolean;
  /** The body as text for error answers (status >= 400), else empty. */
  readonly text: string;
}

export interface RequestOptions {
  readonly method?: "GET" | "POST";
  readonly accessToken?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** Large enough for Medplum's CapabilityStatement (every resource type, search parameter and operation). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export class MedplumApi {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: MedplumApiOptions) {
    this.baseUrl = options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`;
    this.timeoutMs = options.timeoutMs;
    this.fetchImpl = options.fetch ?? globalThis.fetch;
  }

  /** `path` is relative to the base URL, e.g. `fhir/R4/metadata`. */
  url(path: string): string {
    return new URL(path.replace(/^\//, ""), this.baseUrl).toString();
  }

  async request(path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const { url, response, started } = await this.send(path, options);
    let bytes: Uint8Array;
    try {
      bytes = (await readBody(response, MAX_BODY_BYTES)).bytes;
    } catch (error) {
      throw new UnreachableError(url, `answered HTTP ${response.status} but the body did not arrive: ${describeFetchError(error, this.timeoutMs)}`);
    }
    const text = new TextDecoder().decode(bytes);
    return { status: response.status, contentType: response.headers.get("content-type") ?? "", json: parseJson(text), text, elapsedMs: Date.now() - started };
  }

  /**
   * Reads at most `maxBytes` of a body and stops there, so reading back a multi-gigabyte Binary costs no more than
   * proving its first bytes arrive. Error bodies (status >= 400) are parsed as JSON.
   */
  async readBytes(path: string, options: RequestOptions & { readonly maxBytes: number }): Promise<BytesResponse> {
    const { url, response, started } = await this.send(path, options);
    try {
      const { bytes, truncated } = await readBody(response, options.maxBytes);
      const text = response.status >= 400 ? new TextDecoder().decode(bytes) : "";
      return {
        status: response.status,
        contentType: response.headers.get("content-type") ?? "",
        bytesRead: bytes.byteLength,
        truncated,
        json: parseJson(text),
        text,
        elapsedMs: Date.now() - started,
      };
    } catch (error) {
      throw new UnreachableError(url, `answered HTTP ${response.status} but the body broke off: ${describeFetchError(error, this.timeoutMs)}`);
    }
  }

  /** The timeout signal also bounds reading the body, so a server that stalls mid-body is cut off too. */
  private async send(path: string, options: RequestOptions): Promise<{ url: string; response: Response; started: number }> {
    const url = this.url(path);
    const started = Date.now();
    try {
      const response = await this.fetchImpl(url, {
        method: options.method ?? "GET",
        headers: { ...(options.accessToken ? { Authorization: `Bearer ${options.accessToken}` } : {}), ...options.headers },
        ...(options.body !== undefined ? { body: options.body } : {}),
        redirect: "manual",
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      return { url, response, started };
    } catch (error) {
      throw new UnreachableError(url, describeFetchError(error, this.timeoutMs));
    }
  }

  /**
   * A link Medplum returned (a Bundle's `next`), re-rooted on this client's base URL: Medplum builds it from its own
   * `baseUrl` (packages/server/src/fhir/search.ts getSearchUrl: `${baseUrl}fhir/R4/${resourceType}?...`), which in a
   * drill names production. Returns the path relative to the base URL.
   */
  followLink(link: string): string {
    let parsed: URL;
    try {
      parsed = new URL(link);
    } catch {
      throw new Error(`Medplum returned a paging link that is not a URL: ${JSON.stringify(link)}`);
    }
    const at = parsed.pathname.indexOf("/fhir/R4/");
    if (at < 0) throw new Error(`Medplum returned a paging link outside fhir/R4/: ${JSON.stringify(link)}`);
    return `${parsed.pathname.slice(at + 1)}${parsed.search}`;
  }
}

async function readBody(response: Response, maxBytes: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  if (!response.body) return { bytes: new Uint8Array(0), truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = maxBytes - total;
    chunks.push(value.byteLength > room ? value.subarray(0, room) : value);
    total += Math.min(value.byteLength, room);
    if (total >= maxBytes) {
      truncated = true;
      await reader.cancel();
      break;
    }
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes, truncated };
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** undici wraps the socket error in `cause`; name the one a person can act on. */
export function describeFetchError(error: unknown, timeoutMs: number): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === "TimeoutError" || err?.name === "AbortError") return `no answer within ${timeoutMs / 1000} s (timed out)`;
  const code = err?.cause?.code;
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused (nothing listens there: is the load balancer or the server up?)";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "host name does not resolve (DNS)";
    case "ECONNRESET":
      return "connection reset by the server";
    case "ETIMEDOUT":
    case "UND_ERR_CONNECT_TIMEOUT":
      return "connection timed out";
    default:
      break;
  }
  if (code?.startsWith("ERR_TLS") || code?.includes("CERT") || code?.startsWith("UNABLE_TO")) return `TLS failure (${code}: ${err.cause?.message ?? ""})`;
  const detail = err?.cause?.message ?? err?.message ?? String(error);
  return code ? `${code}: ${detail}` : detail;
}

/**
 * One line for an error body as Medplum sends them: an OperationOutcome (`sendOutcome` in
 * packages/server/src/fhir/outcomes.ts), an OAuth error (`sendTokenError` in packages/server/src/oauth/token.ts:
 * `{ error, error_description }`), or the global error handler's `{ msg: "Internal Server Error" }` (app.ts).
 */
export function describeErrorBody(response: Pick<ApiResponse, "json" | "text">): string {
  const body = response.json as Record<string, unknown> | undefined;
  if (body && typeof body === "object") {
    if (body.resourceType === "OperationOutcome" && Array.isArray(body.issue)) {
      const texts = (body.issue as Array<{ details?: { text?: string }; diagnostics?: string; code?: string }>)
        .map((issue) => issue.details?.text ?? issue.diagnostics ?? issue.code)
        .filter((text): text is string => typeof text === "string" && text !== "");
      if (texts.length > 0) return texts.join("; ");
    }
    if (typeof body.error === "string") return typeof body.error_description === "string" ? `${body.error}: ${body.error_description}` : body.error;
    if (typeof body.msg === "string") return body.msg;
  }
  const text = response.text.trim().replace(/\s+/g, " ");
  if (text === "") return "(empty body)";
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** A loopback host may be spoken to over plain http (a local test double, a port-forward); anything else needs https. */
export function isLoopbackUrl(url: URL): boolean {
  return url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]";
}
