import { describe, expect, it } from "vitest";
import { matchesRedirectUri, wildcardsStopAtHost } from "../src/redirect-uris";

/** RedirectUtils#verifyRedirectUri and #matchesRedirects, as the demo ports them. */
const on = (version: string, rootUrl = "") => ({ version, rootUrl, serverOrigin: "http://kc.test:8080" });
const modern = on("26.6.3");

describe("RedirectUtils#matchesRedirects", () => {
  it("matches an entry ending in * by prefix, and by equality once the entry's trailing / is dropped", () => {
    expect(matchesRedirectUri(["https://app/*"], "https://app/cb", modern)).toBe(true);
    expect(matchesRedirectUri(["https://app/*"], "https://app", modern)).toBe(true);
    expect(matchesRedirectUri(["https://app/*"], "https://apps/cb", modern)).toBe(false);
    expect(matchesRedirectUri(["https://app/cb"], "https://app/cb/", modern)).toBe(false);
  });

  it("ignores the requested URI's query and fragment for a wildcard, not for an exact entry", () => {
    expect(matchesRedirectUri(["https://app/cb*"], "https://app/cb?x=1#f", modern)).toBe(true);
    expect(matchesRedirectUri(["https://app/cb"], "https://app/cb?x=1", modern)).toBe(false);
    expect(matchesRedirectUri(["https://app/cb?x=1"], "https://app/cb?x=1", modern)).toBe(true);
  });

  it("reads an entry holding ? or # as an exact value, not a wildcard", () => {
    expect(matchesRedirectUri(["https://app/cb?x=*"], "https://app/cb?x=1", modern)).toBe(false);
    expect(matchesRedirectUri(["https://app/cb#*"], "https://app/cb#a", modern)).toBe(false);
  });

  it("lets * alone match any http(s) URI", () => {
    expect(matchesRedirectUri(["*"], "http://localhost:3000/cb", modern)).toBe(true);
    expect(matchesRedirectUri(["*"], "myapp://cb", modern)).toBe(false);
  });

  it("decodes the path, removes dot segments and lower-cases the host before comparing", () => {
    expect(matchesRedirectUri(["http://app/cb"], "http://APP/c%62", modern)).toBe(true);
    expect(matchesRedirectUri(["https://app/cb/*"], "https://app/cb/../admin", modern)).toBe(false);
    expect(matchesRedirectUri(["https://app/*"], "https://app/a/../cb", modern)).toBe(true);
    expect(matchesRedirectUri(["https://app/*"], "https://app/%E0%A4%A", modern)).toBe(false);
  });

  it("resolves a relative entry against the client's root URL, else the server's origin", () => {
    expect(matchesRedirectUri(["/cb"], "https://shop.test/cb", on("26.6.3", "https://shop.test"))).toBe(true);
    expect(matchesRedirectUri(["/cb"], "http://kc.test:8080/cb", modern)).toBe(true);
  });

  it("lets a native app's loopback redirect carry any port (RFC 8252)", () => {
    expect(matchesRedirectUri(["http://127.0.0.1/cb"], "http://127.0.0.1:51004/cb", modern)).toBe(true);
    expect(matchesRedirectUri(["http://localhost/*"], "http://localhost:3000/x", modern)).toBe(true);
    expect(matchesRedirectUri(["http://example.test/cb"], "http://example.test:81/cb", modern)).toBe(false);
  });
});

describe("wildcards and the hostname (keycloak #48430: 26.6.3 and 26.4.13)", () => {
  it("no longer lets a wildcard right after the host match another host", () => {
    expect(matchesRedirectUri(["https://app.test*"], "https://app.test.evil.example/cb", modern)).toBe(false);
    expect(matchesRedirectUri(["https://app.test*"], "https://app.test/cb", modern)).toBe(true);
    expect(matchesRedirectUri(["https://app.test*"], "https://app.test", modern)).toBe(true);
    expect(matchesRedirectUri(["https://*"], "https://anything.example/cb", modern)).toBe(true);
  });

  it("still did on 26.6.2 and 26.4.12", () => {
    for (const v of ["26.6.2", "26.4.12", "26.1.3"]) {
      expect(matchesRedirectUri(["https://app.test*"], "https://app.test.evil.example/cb", on(v)), v).toBe(
        true,
      );
    }
    expect(["26.6.3", "26.7.0", "26.4.13"].map(wildcardsStopAtHost)).toEqual([true, true, true]);
    expect(["26.6.2", "26.5.7", "26.4.12"].map(wildcardsStopAtHost)).toEqual([false, false, false]);
  });
});
