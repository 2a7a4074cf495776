import KcAdminClient from "@keycloak/keycloak-admin-client";
import { AppError } from "@/lib/server/errors";

/**
 * A connection to one Keycloak server through @keycloak/keycloak-admin-client, as a service account
 * (client-credentials grant):
 * - client-credentials tokens carry no refresh token, so the admin client cannot refresh them itself: this
 *   session authenticates again shortly before expiry, and once more on a 401;
 * - 5xx, 429, timeouts and network errors are retried with exponential backoff and full jitter;
 * - everything else becomes an AppError whose message says what to fix (a 403 names the missing
 *   realm-management role).
 * The secret stays in this object; it is never logged or put in an error message.
 */
export interface SessionOptions {
  serverUrl: string;
  authRealm: string;
  clientId: string;
  clientSecret: string;
  /** Per-request timeout. */
  timeoutMs?: number;
  retries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

type Admin = InstanceType<typeof KcAdminClient>;

interface HttpLikeError {
  response?: { status?: number };
  responseData?: unknown;
  name?: string;
  message?: string;
  cause?: { code?: string };
}

export class KeycloakSession {
  readonly admin: Admin;
  private readonly opts: Required<SessionOptions>;
  private token: string | undefined;
  private tokenExpiresAt = 0;
  private authInFlight: Promise<string> | undefined;

  constructor(opts: SessionOptions) {
    this.opts = {
      timeoutMs: 30_000,
      retries: 5,
      backoffBaseMs: 250,
      backoffMaxMs: 10_000,
      ...opts,
      serverUrl: opts.serverUrl.replace(/\/+$/, ""),
    };
    this.admin = new KcAdminClient({
      baseUrl: this.opts.serverUrl,
      realmName: this.opts.authRealm,
      timeout: this.opts.timeoutMs,
    });
    this.admin.registerTokenProvider({ getAccessToken: () => this.accessToken() });
  }

  get serverUrl(): string {
    return this.opts.serverUrl;
  }

  get clientId(): string {
    return this.opts.clientId;
  }

  /** A valid access token, authenticating again when the current one has under 30 s (or a third) left. */
  async accessToken(): Promise<string> {
    if (this.token && Date.now() < this.tokenExpiresAt) return this.token;
    this.authInFlight ??= this.authenticate().finally(() => {
      this.authInFlight = undefined;
    });
    return this.authInFlight;
  }

  invalidateToken(): void {
    this.token = undefined;
    this.tokenExpiresAt = 0;
  }

  private async authenticate(): Promise<string> {
    const authClient = new KcAdminClient({
      baseUrl: this.opts.serverUrl,
      realmName: this.opts.authRealm,
      timeout: this.opts.timeoutMs,
    });
    await this.withRetry(async () => {
      try {
        await authClient.auth({
          grantType: "client_credentials",
          clientId: this.opts.clientId,
          clientSecret: this.opts.clientSecret,
        });
      } catch (err) {
        const status = (err as HttpLikeError).response?.status;
        if (status === 400 || status === 401) {
          const data = (err as HttpLikeError).responseData as { error?: string; error_description?: string };
          throw new AppError(
            "keycloak_auth_failed",
            `Keycloak at ${this.opts.serverUrl} rejected the service account "${this.opts.clientId}" in realm "${this.opts.authRealm}" (${data?.error ?? status}${data?.error_description ? `: ${data.error_description}` : ""}). Check the client secret, that the client has Client authentication on and Service accounts roles enabled, and KEYCLOAK_AUTH_REALM.`,
            { status, keycloakError: data?.error },
          );
        }
        if (status === 404) {
          throw new AppError(
            "keycloak_error",
            `Keycloak at ${this.opts.serverUrl} has no realm "${this.opts.authRealm}" (token endpoint 404). Check KEYCLOAK_URL (no /auth suffix on Keycloak 17+ unless configured) and KEYCLOAK_AUTH_REALM.`,
          );
        }
        throw err;
      }
    });
    const token = authClient.accessToken;
    if (!token) throw new AppError("keycloak_auth_failed", "Keycloak returned no access token.");
    const now = Date.now();
    const exp = decodeExp(token);
    const lifetime = exp ? exp * 1000 - now : 60_000;
    // Renew with a margin: 30 s, or a third of a short lifetime.
    this.tokenExpiresAt = now + Math.max(1_000, lifetime - Math.min(30_000, lifetime / 3));
    this.token = token;
    return token;
  }

  /**
   * Runs one Admin REST call with retries. `what` names the call in errors; `realm` lets a 403 name the role.
   * `role` is the realm-management role the call needs.
   */
  async call<T>(
    what: string,
    fn: (admin: Admin) => Promise<T>,
    ctx: { realm?: string; role?: string } = {},
  ): Promise<T> {
    let reauthenticated = false;
    return this.withRetry(async () => {
      try {
        return await fn(this.admin);
      } catch (err) {
        const status = (err as HttpLikeError).response?.status;
        if (status === 401 && !reauthenticated) {
          // The token expired or was revoked mid-paging: authenticate again once, then repeat the call.
          reauthenticated = true;
          this.invalidateToken();
          return await fn(this.admin);
        }
        throw err;
      }
    }).catch((err) => {
      throw this.describe(err, what, ctx);
    });
  }

  private describe(err: unknown, what: string, ctx: { realm?: string; role?: string }): Error {
    if (err instanceof AppError) return err;
    const e = err as HttpLikeError;
    const status = e.response?.status;
    if (status === 403) {
      const role = ctx.role ?? "view-events";
      const where =
        this.opts.authRealm === "master" && ctx.realm && ctx.realm !== "master"
          ? `the "${role}" role of the "${ctx.realm}-realm" client in master (or of "realm-management" in "${ctx.realm}" for an account of that realm)`
          : `the "${role}" role of the "realm-management" client${ctx.realm ? ` in realm "${ctx.realm}"` : ""}`;
      return new AppError(
        "keycloak_forbidden",
        `Keycloak answered 403 to ${what}: the service account "service-account-${this.opts.clientId}" lacks ${where}. Assign it under Clients > ${this.opts.clientId} > Service accounts roles > Assign role > Filter by clients.`,
        { status, role, realm: ctx.realm },
      );
    }
    if (status === 401) {
      return new AppError(
        "keycloak_auth_failed",
        `Keycloak answered 401 to ${what} even with a fresh token: the token is not accepted for the admin API (check that KEYCLOAK_AUTH_REALM is the realm of the service account and that the hostname configuration gives one issuer).`,
        { status },
      );
    }
    if (status === 404) {
      return new AppError(
        "not_found",
        `Keycloak answered 404 to ${what}${ctx.realm ? `: realm "${ctx.realm}" may not exist` : ""}.`,
        { status },
      );
    }
    if (status !== undefined) {
      const body = typeof e.responseData === "string" ? e.responseData : JSON.stringify(e.responseData ?? "");
      return new AppError("keycloak_error", `Keycloak answered ${status} to ${what}: ${body.slice(0, 300)}`, {
        status,
      });
    }
    return new AppError(
      "keycloak_unreachable",
      `Keycloak at ${this.opts.serverUrl} is unreachable (${what}): ${networkReason(e)}. realmwatch retries on the next poll.`,
    );
  }

  private async withRetry<T>(fn: () => Promise<T>): Promise<T> {
    let attempt = 0;
    for (;;) {
      try {
        return await fn();
      } catch (err) {
        if (!isRetryable(err) || attempt >= this.opts.retries) throw err;
        const cap = Math.min(this.opts.backoffMaxMs, this.opts.backoffBaseMs * 2 ** attempt);
        await new Promise((r) => setTimeout(r, Math.random() * cap));
        attempt++;
      }
    }
  }
}

function isRetryable(err: unknown): boolean {
  if (err instanceof AppError) return false;
  const e = err as HttpLikeError;
  const status = e.response?.status;
  if (status !== undefined) return status >= 500 || status === 429 || status === 408;
  return true; // network errors, resets, timeouts
}

function networkReason(e: HttpLikeError): string {
  if (e.name === "TimeoutError" || e.name === "AbortError") return "the request timed out";
  const code = e.cause?.code;
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ENOTFOUND") return "host not found";
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "connection reset";
  return code ?? e.message ?? "network error";
}

function decodeExp(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
    return typeof payload.exp === "number" ? payload.exp : undefined;
  } catch {
    return undefined;
  }
}
