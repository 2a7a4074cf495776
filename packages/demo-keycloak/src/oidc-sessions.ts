/** User sessions and authorization codes of the demo's OIDC endpoints. */
export interface UserSession {
  id: string;
  realm: string;
  userId: string;
  started: number;
  lastRefresh: number;
}

export interface AuthCode {
  realm: string;
  clientId: string;
  redirectUri: string;
  userId: string;
  sessionId: string;
  scope: string | null;
  nonce: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  expires: number;
}

export class OidcSessions {
  readonly sessions = new Map<string, UserSession>();
  readonly codes = new Map<string, AuthCode>();
  /** Pending login forms by auth session id. */
  readonly authSessions = new Map<
    string,
    { realm: string; params: Record<string, string>; expires: number }
  >();

  /** Starts a user session (as a successful login or a password grant does) and returns its id. */
  start(id: string, realm: string, userId: string, now: number): string {
    this.sessions.set(id, { id, realm, userId, started: now, lastRefresh: now });
    return id;
  }

  /** A session is active until idle longer than the realm's SSO Session Idle or older than its max. */
  isActive(s: UserSession | undefined, now: number, idleSec: number, maxSec: number): boolean {
    return !!s && now - s.lastRefresh <= idleSec * 1000 && now - s.started <= maxSec * 1000;
  }
}
