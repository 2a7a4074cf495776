import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PushWriter } from "@/lib/ingest/push/push-writer";
import { receivePush } from "@/lib/ingest/push/receive-push";
import { createPushSource, updatePushSettings } from "@/lib/sources/push-source";
import { bodySha256, PUSH_TIME, phaseTwoLoginError } from "@/testkit/push-payloads";
import { testDatabaseUrl, testSql } from "../../helpers/db";

/**
 * ext-event-webhook with authType "bearer": WebhookJwtSigner.sign mints, per send, a JWT signed with the realm's
 * active key (kid in the header) carrying iss (the realm's issuer), aud (the webhook's audience), iat, exp
 * (iat + 300 s) and request_body_sha256. The receiver verifies it against the realm's JWKS, served here as
 * Keycloak serves it, at {issuer}/protocol/openid-connect/certs.
 */
process.env.REALMWATCH_SECRET_KEY ??= "push-jwt-test-key-0123456789abcdef";
const sql = (() => {
  testDatabaseUrl();
  return testSql(2);
})();
const writer = new PushWriter(sql, { maxDelayMs: 1, now: () => NOW });
const NOW = PUSH_TIME + 2_000;
const AUDIENCE = "realmwatch";

let server: Server;
let issuer = "";
let sourceId = "";
let realmKey: CryptoKey;
let otherKey: CryptoKey;

beforeAll(async () => {
  const realm = await generateKeyPair("RS256", { extractable: true });
  const other = await generateKeyPair("RS256", { extractable: true });
  realmKey = realm.privateKey;
  otherKey = other.privateKey;
  const jwk = { ...(await exportJWK(realm.publicKey)), kid: "realm-key-1", alg: "RS256", use: "sig" };
  server = createServer((req, res) => {
    if (req.url === "/realms/customer-app/protocol/openid-connect/certs") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/customer-app`;
  await sql`delete from sources where name = 'push-jwt-test'`;
  const created = await createPushSource(sql, {
    name: "push-jwt-test",
    jwtIssuer: issuer,
    jwtAudience: AUDIENCE,
  });
  sourceId = created.settings.sourceId;
});

beforeEach(async () => {
  await sql`delete from user_events where source_id = ${sourceId}`;
  await updatePushSettings(sql, sourceId, { jwtIssuer: issuer, jwtAudience: AUDIENCE });
});

afterAll(async () => {
  for (const table of ["user_events", "rollup_minute", "rollup_hour", "rollup_day", "push_minutes"])
    await sql`delete from ${sql(table)} where source_id = ${sourceId}`;
  await sql`delete from sources where id = ${sourceId}`;
  await sql.end();
  await new Promise((resolve) => server.close(resolve));
});

async function token(
  body: string,
  opts: { key?: CryptoKey; aud?: string; iat?: number; exp?: number; hash?: string; iss?: string } = {},
) {
  const iat = opts.iat ?? Math.floor(NOW / 1000) - 1;
  return new SignJWT({ request_body_sha256: opts.hash ?? bodySha256(body) })
    .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: "realm-key-1" })
    .setJti("c1d2e3f4-0000-4000-8000-000000000001")
    .setIssuer(opts.iss ?? issuer)
    .setAudience(opts.aud ?? AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(opts.exp ?? iat + 300)
    .sign(opts.key ?? realmKey);
}

async function push(body: string, bearer: string) {
  return receivePush(sql, writer, {
    sourceId,
    headers: { signature: null, authorization: `Bearer ${bearer}` },
    body: Buffer.from(body),
    now: NOW,
  });
}

async function refusal(body: string, bearer: string): Promise<string> {
  try {
    await push(body, bearer);
  } catch (err) {
    return (err as { details?: { reason: string } }).details?.reason ?? String(err);
  }
  return "accepted";
}

const body = JSON.stringify(phaseTwoLoginError());
const stored = async () =>
  (await sql<{ n: number }[]>`select count(*)::int as n from user_events where source_id = ${sourceId}`)[0]!
    .n;

describe("ext-event-webhook Bearer JWT", () => {
  it("stores a push whose JWT the realm's key signed, for this audience, over this body", async () => {
    expect(await push(body, await token(body))).toMatchObject({ received: 1, stored: 1 });
    expect(await stored()).toBe(1);
  });

  it("refuses an expired JWT", async () => {
    const iat = Math.floor(NOW / 1000) - 600;
    expect(await refusal(body, await token(body, { iat, exp: iat + 300 }))).toBe("jwt_expired");
  });

  it("refuses a JWT for another audience", async () => {
    expect(await refusal(body, await token(body, { aud: "someone-else" }))).toBe("jwt_audience");
  });

  it("refuses a JWT from another issuer", async () => {
    expect(await refusal(body, await token(body, { iss: "https://other.example.com/realms/x" }))).toBe(
      "jwt_invalid",
    );
  });

  it("refuses a JWT minted for another body (request_body_sha256)", async () => {
    const other = JSON.stringify(phaseTwoLoginError({ error: "user_not_found" }));
    expect(await refusal(body, await token(other))).toBe("jwt_body_hash");
  });

  it("refuses a JWT not signed by the realm's key", async () => {
    expect(await refusal(body, await token(body, { key: otherKey }))).toBe("jwt_invalid");
    expect(await stored()).toBe(0);
  });

  it("refuses JWTs when the source has no realm issuer to verify them with", async () => {
    await updatePushSettings(sql, sourceId, { jwtIssuer: null });
    expect(await refusal(body, await token(body))).toBe("jwt_not_configured");
  });
});
