import { describe, expect, it } from "vitest";
import { classify } from "@/lib/classify/classify";
import {
  explainRedirectMiss,
  redirectMissText,
  redirectUriDifference,
  wildcardRulesFor,
} from "@/lib/classify/redirect-uri-difference";
import { runLiveChecks } from "@/lib/diagnose/run-live-checks";
import { acmeRealm } from "@/testkit/acme-realm";
import { createFakeAdminApi, type FakeRealm } from "@/testkit/fake-admin-api";

async function redirectCheck(redirectUris: string[], realm: FakeRealm = acmeRealm()) {
  const { api } = createFakeAdminApi(realm);
  const [result] = await runLiveChecks(api, { realm: "acme", clientId: "spa", redirectUris }, [
    "redirect-uris",
  ]);
  return result!;
}

function withSpa(patch: { rootUrl?: string; redirectUris: string[] }): FakeRealm {
  const realm = acmeRealm();
  const spa = realm.clients.find((c) => c.clientId === "spa")!;
  Object.assign(spa, patch);
  if (patch.rootUrl === undefined) delete spa.rootUrl;
  return realm;
}

describe("the redirect-uris live check (RedirectUtils rules)", () => {
  it("accepts https://app for a registered https://app/*", async () => {
    const r = await redirectCheck(["https://www.acme.example"]);
    expect(r.status).toBe("pass");
  });

  it("names a host-wildcard registration that 26.6.3 and 26.4.13 refuse", async () => {
    const realm = withSpa({ redirectUris: ["https://shop*"] });
    const r = await redirectCheck(["https://shop-eu.acme.example/cb"], realm);
    expect(r.status).toBe("fail");
    expect(r.cause).toBeUndefined();
    expect(r.evidence).toContain(
      "matches the registered https://shop* only because its * reaches into the host",
    );
    expect(r.evidence).toContain("26.6.3 and 26.4.13");
    expect(r.evidence).toContain("read as https://shop/*");
  });

  it("says a ? entry is exact rather than a wildcard", async () => {
    const realm = withSpa({
      rootUrl: "https://www.acme.example",
      redirectUris: ["https://www.acme.example/cb?lang=*"],
    });
    const r = await redirectCheck(["https://www.acme.example/cb?lang=de"], realm);
    expect(r.status).toBe("fail");
    expect(r.evidence).toContain("an entry holding ? is compared character for character");
  });

  it("resolves a relative entry against the issuer's origin when the client has no Root URL", async () => {
    const realm = withSpa({ redirectUris: ["/app/*"] });
    const origin = new URL(realm.advertisedIssuer).origin;
    expect((await redirectCheck([`${origin}/app/home`], realm)).status).toBe("pass");
    const other = await redirectCheck(["https://elsewhere.example/app/home"], realm);
    expect(other.status).toBe("fail");
  });

  it("a registered URI that carries state is refused for it, and says so", async () => {
    const r = await redirectCheck(["https://www.acme.example/cb?state=abc"]);
    expect(r.status).toBe("fail");
    expect(r.evidence).toMatch(/^https:\/\/www\.acme\.example\/cb\?state=abc matches the registered/);
    expect(r.evidence).toContain("already carries state");
  });

  it("still blames a proxy for a lost https", async () => {
    const r = await redirectCheck(["http://www.acme.example/cb"]);
    expect(r).toMatchObject({ status: "fail", cause: "proxy-misconfig" });
    // The URI is quoted as it was sent, not capitalised as the start of a sentence.
    expect(r.evidence).toMatch(/^http:\/\/www\.acme\.example\/cb differs from the registered/);
  });
});

describe("redirectUriDifference with Keycloak's matcher", () => {
  it("finds a scheme/port difference through a wildcard entry", () => {
    expect(redirectUriDifference("http://app.example:8080/cb", ["https://app.example/*"])).toEqual({
      registered: "https://app.example/*",
      parts: ["scheme", "port"],
    });
  });

  it("is null when the URI matches as it is, or differs in the path as well", () => {
    expect(redirectUriDifference("https://app.example/cb", ["https://app.example/*"])).toBeNull();
    expect(redirectUriDifference("http://app.example/other", ["https://app.example/cb"])).toBeNull();
  });

  it("treats ? entries as exact, like Keycloak", () => {
    expect(redirectUriDifference("http://app.example/cb?x=1", ["https://app.example/cb?x=*"])).toBeNull();
    expect(redirectUriDifference("http://app.example/cb?x=*", ["https://app.example/cb?x=*"])?.parts).toEqual(
      ["scheme"],
    );
  });

  it("resolves relative entries with the Root URL", () => {
    expect(
      redirectUriDifference("http://shop.example/cb", ["/cb"], { rootUrl: "https://shop.example" })?.parts,
    ).toEqual(["scheme"]);
  });
});

describe("wildcardRulesFor", () => {
  it("follows the 26.6.3 and 26.4.13 releases of keycloak#48430", () => {
    expect(wildcardRulesFor("26.6.3")).toBe("path");
    expect(wildcardRulesFor("26.7.0")).toBe("path");
    expect(wildcardRulesFor("26.6.2")).toBe("host");
    expect(wildcardRulesFor("26.5.7")).toBe("host");
    expect(wildcardRulesFor("26.4.13")).toBe("path");
    expect(wildcardRulesFor("26.4.12")).toBe("host");
    expect(wildcardRulesFor("25.0.6")).toBe("host");
    expect(wildcardRulesFor(null)).toBeNull();
    expect(wildcardRulesFor("nightly")).toBeNull();
  });
});

describe("explainRedirectMiss", () => {
  it("is null for a plain missing registration", () => {
    expect(explainRedirectMiss("https://evil.example/cb", ["https://app.example/*"])).toBeNull();
  });

  it("writes the host-wildcard sentence with the new reading", () => {
    const miss = explainRedirectMiss("https://app.example.com.evil.example/cb", ["https://app.example.com*"]);
    expect(miss).toEqual({
      kind: "host-wildcard",
      entry: "https://app.example.com*",
      comparedAs: "https://app.example.com/*",
    });
    expect(redirectMissText("X", miss!)).toMatch(/^X matches the registered https:\/\/app\.example\.com\*/);
  });
});

describe("the classifier's redirect text uses the same matcher", () => {
  const refused = (redirect_uri: string) => ({
    origin: "api" as const,
    type: "LOGIN_ERROR",
    error: "invalid_redirect_uri",
    clientId: "shop",
    details: { redirect_uri },
  });

  it("names a host-wildcard registration in the evidence", () => {
    const c = classify(refused("https://shop-eu.example/cb"), { registeredRedirectUris: ["https://shop*"] });
    expect(c).toMatchObject({ cause: "redirect-uri", ruleId: "redirect-uri-not-registered" });
    expect(c.evidence).toContain("only because its * reaches into the host name");
  });

  it("sees a lost https through a path wildcard, as before", () => {
    const c = classify(refused("http://shop.example/cb"), {
      registeredRedirectUris: ["https://shop.example/*"],
    });
    expect(c).toMatchObject({ cause: "proxy-misconfig", ruleId: "redirect-uri-rewritten-by-proxy" });
  });
});
