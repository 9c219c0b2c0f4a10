/**
 * Where verify and redeploy-bots get a Medplum ClientApplication's id and secret. Never from the config in clear: the
 * config only names where they are. Today that is two environment variables; reading them from the recovery
 * location's secret store (Secrets Manager, Secret Manager, Key Vault) is another implementation of the same interface.
 */
import { MedplumApi, describeErrorBody, UnreachableError } from "./medplum-api";

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface CredentialSource {
  /** Where the credentials come from, for messages; never the values. */
  readonly description: string;
  /** The credentials, or a {@link CredentialsUnavailableError} saying what is missing. */
  resolve(): Promise<ClientCredentials>;
}

export class CredentialsUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CredentialsUnavailableError";
  }
}

export class EnvironmentCredentialSource implements CredentialSource {
  readonly description: string;

  constructor(
    private readonly names: { readonly clientIdEnv: string; readonly clientSecretEnv: string },
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.description = `environment variables ${names.clientIdEnv} and ${names.clientSecretEnv}`;
  }

  async resolve(): Promise<ClientCredentials> {
    const missing = [this.names.clientIdEnv, this.names.clientSecretEnv].filter((name) => (this.env[name] ?? "").trim() === "");
    if (missing.length > 0) {
      throw new CredentialsUnavailableError(
        `${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} not set; export the id and secret of a Medplum ClientApplication ` +
          `(a project admin's, to read every type and redeploy Bots), or name other variables in verify.credentials`,
      );
    }
    return { clientId: (this.env[this.names.clientIdEnv] as string).trim(), clientSecret: this.env[this.names.clientSecretEnv] as string };
  }
}

export interface AccessToken {
  readonly accessToken: string;
  readonly expiresInSeconds?: number;
  /** `Project/<id>` the client belongs to, as Medplum reports it. */
  readonly project?: string;
}

export type TokenOutcome = { readonly ok: true; readonly token: AccessToken; readonly elapsedMs: number } | { readonly ok: false; readonly reason: string };

/**
 * OAuth 2.0 client credentials grant at `POST /oauth2/token` (packages/server/src/oauth/token.ts,
 * handleClientCredentials): a form-encoded body (anything else is refused with 400 "Unsupported content type") with
 * grant_type, client_id and client_secret. Medplum answers 200 `{ token_type, expires_in, access_token, project, ... }`
 * or 400 `{ error: "invalid_request", error_description: "Invalid client" | "Invalid secret" | ... }`.
 */
export async function clientCredentialsToken(api: MedplumApi, credentials: ClientCredentials): Promise<TokenOutcome> {
  const body = new URLSearchParams({ grant_type: "client_credentials", client_id: credentials.clientId, client_secret: credentials.clientSecret });
  let response;
  try {
    response = await api.request("oauth2/token", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: body.toString(),
    });
  } catch (error) {
    if (error instanceof UnreachableError) return { ok: false, reason: error.reason };
    throw error;
  }
  const json = response.json as { access_token?: unknown; expires_in?: unknown; project?: { reference?: unknown } } | undefined;
  if (response.status !== 200 || typeof json?.access_token !== "string" || json.access_token === "") {
    return { ok: false, reason: `HTTP ${response.status}: ${describeErrorBody(response)}` };
  }
  return {
    ok: true,
    elapsedMs: response.elapsedMs,
    token: {
      accessToken: json.access_token,
      ...(typeof json.expires_in === "number" ? { expiresInSeconds: json.expires_in } : {}),
      ...(typeof json.project?.reference === "string" ? { project: json.project.reference } : {}),
    },
  };
}
