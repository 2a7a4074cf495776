import { describe, expect, it } from "vitest";
import { diagnoseEvidence } from "@/lib/classify/evidence/diagnose-evidence";
import { removeTokens } from "@/lib/logs/evidence/find-tokens";
import { parseChallenge, readStatusMention } from "@/lib/logs/evidence/http-evidence";
import { joinWrappedEventLine } from "@/lib/logs/evidence/join-wrapped-lines";
import { EvidenceInputError, MAX_EVIDENCE_CHARS, readEvidence } from "@/lib/logs/evidence/read-evidence";
import { accessToken, jwt, NOW } from "@/testkit/test-jwt";

const LINE =
  'WARN  [org.keycloak.events] (executor-thread-2) type="LOGIN_ERROR", realmId="r", clientId="shop", userId="null", ipAddress="10.0.0.2", error="cookie_not_found"';

/** Runs `fn` and returns how long it took, in ms (a budget check, not a clock-dependent result). */
function timed(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

describe("readEvidence: the forms", () => {
  it("keeps lines around an event apart from it (not joined, listed as skipped with their numbers)", () => {
    const reading = readEvidence(`Hello, this is what I see:\n\n${LINE}\nAny idea?`);
    expect(reading.pieces.map((p) => p.kind)).toEqual(["event"]);
    expect(reading.pieces[0]?.lines).toEqual({ from: 3, to: 3 });
    expect(reading.skipped).toEqual([
      { from: 1, to: 1, reason: "not-understood" },
      { from: 4, to: 4, reason: "not-understood" },
    ]);
  });

  it("reads two events on consecutive lines as two pieces, not one wrapped line", () => {
    const reading = readEvidence(`${LINE}\n${LINE.replace("cookie_not_found", "expired_code")}`);
    expect(reading.pieces.map((p) => (p.kind === "event" ? p.event.error : null))).toEqual([
      "cookie_not_found",
      "expired_code",
    ]);
  });

  it("joins a line cut in the middle of a key and of a quoted value", () => {
    const joined = joinWrappedEventLine(
      [
        'type="LOGIN_ERROR", realmId="r", ipAdd',
        'ress="10.0.0.2", error="cookie_not_',
        'found"',
        "next line",
      ],
      0,
    );
    expect(joined.text).toBe(
      'type="LOGIN_ERROR", realmId="r", ipAddress="10.0.0.2", error="cookie_not_found"',
    );
    expect(joined.end).toBe(3);
  });

  it("reads a Bearer challenge with escaped quotes", () => {
    expect(
      parseChallenge(
        'Bearer realm="a\\"b", error="invalid_token", error_description="Token verification failed"',
      ),
    ).toEqual({
      scheme: "Bearer",
      realm: 'a"b',
      error: "invalid_token",
      errorDescription: "Token verification failed",
    });
  });

  it("reads the URL and status of exceptions as libraries print them", () => {
    expect(
      readStatusMention(
        "WebClientResponseException$Unauthorized: 401 Unauthorized from POST https://a.example/realms/x/protocol/openid-connect/token",
      ),
    ).toMatchObject({ status: 401, method: "POST", path: "/realms/x/protocol/openid-connect/token" });
    expect(
      readStatusMention("403 Client Error: Forbidden for url: https://a.example/admin/realms/x/users?max=1"),
    ).toMatchObject({ status: 403, path: "/admin/realms/x/users" });
    expect(readStatusMention("everything is fine, 200 OK")).toBeNull();
  });

  it("drops the query of every URL it keeps (codes and tokens travel there)", () => {
    const reading = readEvidence(
      "java.io.IOException: Server returned HTTP response code: 400 for URL: https://a.example/realms/x/protocol/openid-connect/auth?code=secret-code&state=s",
    );
    expect(JSON.stringify(reading)).not.toContain("secret-code");
  });
});

describe("readEvidence: tokens", () => {
  const token = jwt(accessToken({ scope: "profile" }));

  it("replaces every token before reading, decodes it into claims, and keeps neither the token nor its payload", () => {
    const removed = removeTokens(`a ${token} b ${token}`);
    expect(removed.text).toBe("a [token 1] b [token 1]");
    const reading = readEvidence(`Authorization: Bearer ${token}`);
    const [piece] = reading.pieces;
    expect(piece?.kind === "token" && piece.claims?.scope).toBe("profile");
    const shown = JSON.stringify(diagnoseEvidence(reading, { now: NOW }));
    expect(shown).not.toContain(token);
    expect(shown).not.toContain(token.split(".")[1]);
  });

  it("takes tokens the browser decoded, by placeholder", () => {
    const reading = readEvidence("Authorization: Bearer [token 1]", {
      decodedTokens: [{ n: 1, claims: { iss: "https://a.example/realms/x", scope: "openid" } }],
    });
    expect(reading.pieces).toMatchObject([{ kind: "token", n: 1, lines: { from: 1, to: 1 } }]);
  });

  it("says why a token with a 5 MB payload is not read, without failing the rest", () => {
    const big = jwt({ iss: "https://a.example/realms/x", pad: "x".repeat(700_000) });
    const reading = readEvidence(`${LINE}\n${big}`);
    expect(reading.pieces.map((p) => p.kind)).toEqual(["event", "token"]);
    const piece = reading.pieces[1];
    expect(piece?.kind === "token" && piece.problem).toMatch(/characters long; the limit is/);
  });
});

describe("readEvidence: bad input gets a clear answer, loses nothing, and stays fast", () => {
  it("refuses 10 MB whole, with the size and the limit, at once", () => {
    const text = `${LINE}\n`.repeat(Math.ceil(10_000_000 / (LINE.length + 1)));
    let error: unknown;
    const ms = timed(() => {
      try {
        readEvidence(text);
      } catch (e) {
        error = e;
      }
    });
    expect(error).toBeInstanceOf(EvidenceInputError);
    expect((error as Error).message).toMatch(
      /characters; the limit is 1,000,000\. Paste the lines around the failure/,
    );
    expect(ms).toBeLessThan(2000);
  });

  it("refuses a JWT with a 5 MB payload as too large, in the same words", () => {
    const token = jwt({ iss: "https://a.example/realms/x", pad: "x".repeat(5_000_000) });
    expect(() => readEvidence(token)).toThrow(/the limit is 1,000,000/);
  });

  it("skips lines with NUL bytes or binary, lists them by number, and reads the rest", () => {
    const reading = readEvidence(`\u0000\u0001\u0002PK\u0003\u0004\n${LINE}\nabc\u0000def`);
    expect(reading.pieces.map((p) => p.kind)).toEqual(["event"]);
    expect(reading.skipped).toEqual([
      { from: 1, to: 1, reason: "binary" },
      { from: 3, to: 3, reason: "binary" },
    ]);
    expect(reading.notes.join(" ")).toMatch(/2 line\(s\) hold NUL bytes or other binary characters/);
  });

  it("reads text decoded from invalid UTF-8 and says so", () => {
    const bytes = new Uint8Array([...new TextEncoder().encode(`${LINE} `), 0xc3, 0x28, 0xff]);
    const text = new TextDecoder("utf-8").decode(bytes);
    const reading = readEvidence(text);
    expect(reading.pieces.map((p) => p.kind)).toEqual(["event"]);
    expect(reading.notes.join(" ")).toMatch(/not valid UTF-8/);
  });

  it("answers 100,000 one-character lines within two seconds, as one skipped run", () => {
    const text = "x\n".repeat(100_000);
    let reading: ReturnType<typeof readEvidence> | undefined;
    const ms = timed(() => {
      reading = readEvidence(text);
    });
    expect(ms).toBeLessThan(2000);
    expect(reading?.skipped).toEqual([{ from: 1, to: 100_000, reason: "not-understood" }]);
  });

  it("reads evidence just under the limit within two seconds", () => {
    const text = `${LINE}\n`.repeat(Math.floor((MAX_EVIDENCE_CHARS - 1) / (LINE.length + 1)));
    let count = 0;
    const ms = timed(() => {
      const reading = readEvidence(text);
      count = reading.pieces.length + reading.piecesDropped;
    });
    expect(count).toBe(Math.floor((MAX_EVIDENCE_CHARS - 1) / (LINE.length + 1)));
    expect(ms).toBeLessThan(2000);
  });

  it("reads lines built to make its patterns backtrack within two seconds in all", () => {
    const hostile = [
      "GET / ".repeat(10_000),
      "403 Forbidden ".repeat(4_000),
      "403 Client Error: ".repeat(3_000),
      "HTTP 403 Forbidden aaaa ".repeat(2_500),
      `type="${'\\"'.repeat(30_000)}`,
      `error=a, reason='${"', x".repeat(15_000)}`,
      `WWW-Authenticate: Bearer ${'a="b", '.repeat(8_000)}`,
      Array.from({ length: 2_000 }, () => 'type="LOGIN_ERROR", error="x_').join("\n"),
      `{${'"a":['.repeat(20_000)}`,
    ].join("\n");
    const ms = timed(() => readEvidence(hostile));
    expect(ms).toBeLessThan(2000);
  });

  it("refuses what is not text", () => {
    expect(() => readEvidence(42 as unknown as string)).toThrow(EvidenceInputError);
  });
});
