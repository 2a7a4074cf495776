import { createHash, createHmac, createSecretKey, type KeyObject, timingSafeEqual } from "node:crypto";
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from "jose";
import { openSecret } from "@/lib/server/secret-box";
import { hashPushToken, type PushCredentials } from "@/lib/sources/push-source";

/**
 * Who sent a push, checked before its body is parsed. The three ways Phase Two's senders authenticate
 * (p2-inc/keycloak-events):
 *
 * - `X-Keycloak-Signature`: HttpSenderEventListenerProvider.hmacFor / calculateHmacSha, an RFC 2104 HMAC of the
 *   serialized event (the exact body it posts) keyed with the shared secret, as lowercase hex; HmacSHA256 by
 *   default, HmacSHA1 when `hmacAlgorithm` says so (told apart here by the digest's length: 64 or 40 digits).
 * - `Authorization: Bearer <JWT>`: WebhookJwtSigner.sign, a JWT signed with the realm's active key (kid in the
 *   header), iss = the realm's issuer, aud = the webhook's audience when set, exp = iat + 300 s by default, and
 *   `request_body_sha256` = lowercase hex SHA-256 of the body: verified against the realm's JWKS.
 * - nothing: refused unless the source accepts unsigned pushes.
 *
 * A Bearer that is not a JWT is compared with the source's push token (log shippers, plain senders).
 */
export type PushAuth =
  | { ok: true; mode: "hmac-sha256" | "hmac-sha1" | "jwt" | "token" | "unsigned" }
  | { ok: false; status: 401 | 403; reason: PushRefusal; message: string };

export type PushRefusal =
  | "push_disabled"
  | "unsigned"
  | "bad_signature"
  | "bad_token"
  | "jwt_not_configured"
  | "jwt_invalid"
  | "jwt_expired"
  | "jwt_audience"
  | "jwt_body_hash";

export interface PushHeaders {
  signature: string | null;
  authorization: string | null;
}

/** Allowed difference between Keycloak's clock and ours when checking exp / iat / nbf (seconds). */
const CLOCK_TOLERANCE_SEC = 30;

const refuse = (reason: PushRefusal, message: string, status: 401 | 403 = 401): PushAuth => ({
  ok: false,
  status,
  reason,
  message,
});

export async function authenticatePush(
  source: PushCredentials,
  headers: PushHeaders,
  rawBody: Buffer,
  now: number,
): Promise<PushAuth> {
  if (!source.pushEnabled || !source.secretCipher || !source.enabled)
    return refuse("push_disabled", "Pushes are not enabled for this source.", 403);

  const signature = headers.signature?.trim();
  if (signature) {
    const hex = signature.toLowerCase();
    const algorithm = hex.length === 40 ? "sha1" : "sha256";
    const expected = createHmac(algorithm, webhookKey(source.secretCipher)).update(rawBody).digest("hex");
    return /^[0-9a-f]+$/.test(hex) && safeEqual(hex, expected)
      ? { ok: true, mode: algorithm === "sha1" ? "hmac-sha1" : "hmac-sha256" }
      : refuse(
          "bad_signature",
          "X-Keycloak-Signature does not match the body and the source's webhook secret.",
        );
  }

  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? "")?.[1];
  if (bearer) {
    if (bearer.split(".").length !== 3) {
      return source.tokenHash && safeEqual(hashPushToken(bearer), source.tokenHash)
        ? { ok: true, mode: "token" }
        : refuse("bad_token", "The Bearer token is not this source's push token.");
    }
    return verifyJwt(source, bearer, rawBody, now);
  }

  return source.acceptUnsigned
    ? { ok: true, mode: "unsigned" }
    : refuse(
        "unsigned",
        "Unsigned push refused: set the webhook secret (X-Keycloak-Signature) or send a Bearer token.",
      );
}

/**
 * The webhook secret as an HMAC key, opened once per sealed value rather than per push (measured: opening it
 * took 5% of the receiver's CPU under load). Renewed secrets are sealed anew, so a changed secret is a new entry.
 */
const webhookKeys = new Map<string, KeyObject>();

function webhookKey(secretCipher: string): KeyObject {
  let key = webhookKeys.get(secretCipher);
  if (!key) {
    key = createSecretKey(Buffer.from(openSecret(secretCipher, "push-secret"), "utf8"));
    if (webhookKeys.size >= 1_000) webhookKeys.clear();
    webhookKeys.set(secretCipher, key);
  }
  return key;
}

async function verifyJwt(
  source: PushCredentials,
  token: string,
  rawBody: Buffer,
  now: number,
): Promise<PushAuth> {
  if (!source.jwtIssuer)
    return refuse(
      "jwt_not_configured",
      "This source has no realm issuer set, so Bearer JWTs cannot be verified.",
    );
  try {
    const { payload } = await jwtVerify(token, jwksFor(source.jwtIssuer), {
      issuer: source.jwtIssuer,
      audience: source.jwtAudience ?? undefined,
      currentDate: new Date(now),
      clockTolerance: CLOCK_TOLERANCE_SEC,
      requiredClaims: ["exp"],
    });
    const bodyHash = createHash("sha256").update(rawBody).digest("hex");
    const claimed = payload.request_body_sha256;
    if (typeof claimed !== "string" || !safeEqual(claimed.toLowerCase(), bodyHash))
      return refuse("jwt_body_hash", "The JWT's request_body_sha256 does not match the body.");
    return { ok: true, mode: "jwt" };
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) return refuse("jwt_expired", "The JWT has expired.");
    if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === "aud")
      return refuse("jwt_audience", "The JWT's audience is not the one this source expects.");
    if (err instanceof joseErrors.JWTClaimValidationFailed)
      return refuse("jwt_invalid", `The JWT's ${err.claim} claim is not accepted.`);
    return refuse("jwt_invalid", "The JWT's signature could not be verified against the realm's keys.");
  }
}

/** One key set per issuer: jose fetches it on first use, caches it, and refetches on an unknown kid. */
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function jwksFor(issuer: string): ReturnType<typeof createRemoteJWKSet> {
  let set = keySets.get(issuer);
  if (!set) {
    // Keycloak serves a realm's keys at {issuer}/protocol/openid-connect/certs.
    set = createRemoteJWKSet(new URL(`${issuer}/protocol/openid-connect/certs`), {
      timeoutDuration: 5_000,
      cooldownDuration: 30_000,
      cacheMaxAge: 600_000,
    });
    if (keySets.size > 100) keySets.clear();
    keySets.set(issuer, set);
  }
  return set;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
