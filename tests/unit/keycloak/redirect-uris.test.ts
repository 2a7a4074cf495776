import { describe, expect, it } from "vitest";
import {
  AUTH_BASE_URL,
  matchRedirectUri,
  olderRulesMatch,
  responseParamsIn,
  wildcardOf,
} from "@/lib/keycloak/redirect-uris";

/**
 * Each row is what Keycloak's RedirectUtils.verifyRedirectUri answers for a requested URI and a client's Valid
 * redirect URIs: `path` = 26.6.3+ and 26.4.13+ (checkValidRedirectWildcard, keycloak#48430), `host` = the
 * rules before (matchesRedirects with a plain startsWith).
 */
const CASES: {
  name: string;
  requested: string;
  entries: string[];
  path: boolean;
  host: boolean;
  rootUrl?: string;
}[] = [
  // matchesRedirects: equality for entries without a trailing *
  { name: "exact", requested: "https://app/cb", entries: ["https://app/cb"], path: true, host: true },
  {
    name: "exact is case- and slash-sensitive",
    requested: "https://app/cb/",
    entries: ["https://app/cb"],
    path: false,
    host: false,
  },
  {
    name: "exact entry compares the query too",
    requested: "https://app/cb?x=1",
    entries: ["https://app/cb"],
    path: false,
    host: false,
  },
  // wildcard: prefix after stripping *, then equality without the trailing /
  { name: "path wildcard", requested: "https://app/a/b", entries: ["https://app/*"], path: true, host: true },
  {
    name: "https://app/* accepts https://app (trailing / dropped)",
    requested: "https://app",
    entries: ["https://app/*"],
    path: true,
    host: true,
  },
  {
    name: "wildcard ignores the query",
    requested: "https://app/cb?next=/x",
    entries: ["https://app/cb*"],
    path: true,
    host: true,
  },
  {
    name: "wildcard ignores the fragment when there is no query",
    requested: "https://app/cb#state",
    entries: ["https://app/cb/*"],
    path: true,
    host: true,
  },
  {
    name: "? makes the entry exact: not a wildcard",
    requested: "https://app/cb?x=1",
    entries: ["https://app/cb?x=*"],
    path: false,
    host: false,
  },
  {
    name: "? entry still equals itself",
    requested: "https://app/cb?x=*",
    entries: ["https://app/cb?x=*"],
    path: true,
    host: true,
  },
  {
    name: "* alone accepts any https URI",
    requested: "https://x.example/cb",
    entries: ["*"],
    path: true,
    host: true,
  },
  {
    name: "* alone does not open a custom scheme",
    requested: "myapp://cb",
    entries: ["*"],
    path: false,
    host: false,
  },
  {
    name: "custom scheme through an entry naming it",
    requested: "myapp://cb/done",
    entries: ["myapp://cb/*"],
    path: true,
    host: true,
  },
  // #48430: a wildcard right after the host
  {
    name: "host wildcard reaches another domain only before 26.6.3",
    requested: "https://app.example.com.evil.example/cb",
    entries: ["https://app.example.com*"],
    path: false,
    host: true,
  },
  {
    name: "host wildcard covers a sibling host only before 26.6.3",
    requested: "https://app-staging.example.com/cb",
    entries: ["https://app*"],
    path: false,
    host: true,
  },
  {
    name: "host wildcard is read as host/* since 26.6.3",
    requested: "https://app.example.com/cb",
    entries: ["https://app.example.com*"],
    path: true,
    host: true,
  },
  {
    name: "host wildcard still accepts the bare host",
    requested: "https://app.example.com",
    entries: ["https://app.example.com*"],
    path: true,
    host: true,
  },
  {
    name: "port wildcard keeps working",
    requested: "https://app:8443/cb",
    entries: ["https://app:*"],
    path: true,
    host: true,
  },
  {
    name: "# makes an entry exact since 26.6.3",
    requested: "https://app/cb/x",
    entries: ["https://app/cb#*"],
    path: false,
    host: false,
  },
  {
    name: "# entry never matched a fragment: the requested fragment is cut before comparing",
    requested: "https://app/cb#x",
    entries: ["https://app/cb#*"],
    path: false,
    host: false,
  },
  // areWildcardsAllowed
  {
    name: "no wildcard for user info",
    requested: "https://app@evil.example/cb",
    entries: ["https://app*"],
    path: false,
    host: false,
  },
  {
    name: "no wildcard through a .. segment",
    requested: "https://app/cb/../admin",
    entries: ["https://app/cb/*"],
    path: false,
    host: false,
  },
  {
    name: "no wildcard through an encoded .. segment",
    requested: "https://app/cb/%2e%2e/admin",
    entries: ["https://app/cb/*"],
    path: false,
    host: false,
  },
  // relative entries and the Root URL
  {
    name: "relative entry resolved against the Root URL",
    requested: "https://shop.example/callback",
    entries: ["/callback"],
    rootUrl: "https://shop.example",
    path: true,
    host: true,
  },
  {
    name: "relative entry does not match another host",
    requested: "https://other.example/callback",
    entries: ["/callback"],
    rootUrl: "https://shop.example",
    path: false,
    host: false,
  },
  {
    name: "relative wildcard entry",
    requested: "https://shop.example/app/x",
    entries: ["/app/*"],
    rootUrl: "https://shop.example",
    path: true,
    host: true,
  },
  // loopback (RFC 8252)
  {
    name: "loopback: any port against an entry without one",
    requested: "http://127.0.0.1:51234/cb",
    entries: ["http://127.0.0.1/cb"],
    path: true,
    host: true,
  },
  {
    name: "loopback retry is only for http",
    requested: "https://localhost:8443/cb",
    entries: ["https://localhost/cb"],
    path: false,
    host: false,
  },
  // URI.create refuses these
  { name: "a space is no URI", requested: "https://app/c b", entries: ["*"], path: false, host: false },
  { name: "bad percent escape", requested: "https://app/%zz", entries: ["*"], path: false, host: false },
];

describe("matchRedirectUri (RedirectUtils.verifyRedirectUri)", () => {
  for (const c of CASES) {
    it(`${c.name}: 26.6.3+ ${c.path ? "accepts" : "refuses"}, older ${c.host ? "accepts" : "refuses"}`, () => {
      const opts = { rootUrl: c.rootUrl ?? null };
      expect(matchRedirectUri(c.requested, c.entries, { ...opts, rules: "path" }) !== null).toBe(c.path);
      expect(matchRedirectUri(c.requested, c.entries, { ...opts, rules: "host" }) !== null).toBe(c.host);
    });
  }

  it("names the entry and how it matched, the longest entry first", () => {
    const m = matchRedirectUri("https://app/a/b", ["https://app/*", "https://app/a/*"], { rules: "path" });
    expect(m).toEqual({ entry: "https://app/a/*", comparedAs: "https://app/a/*", how: "wildcard" });
    expect(
      matchRedirectUri("http://localhost:3000/cb", ["http://localhost/cb"], { rules: "path" })?.how,
    ).toBe("loopback-port");
  });

  it("resolves a relative entry against Keycloak's origin when the client has no Root URL", () => {
    const opts = { rules: "path" as const, keycloakOrigin: "https://sso.example" };
    expect(matchRedirectUri("https://sso.example/cb", ["/cb"], opts)?.entry).toBe("/cb");
    expect(matchRedirectUri("https://sso.example/cb", ["/cb"], { rules: "path" })).toBeNull();
    expect(
      matchRedirectUri("https://sso.example/x/cb", ["/cb"], {
        ...opts,
        rootUrl: `${AUTH_BASE_URL}/x`,
      })?.entry,
    ).toBe("/cb");
  });

  it("reads the wildcard of an entry as checkValidRedirectWildcard does", () => {
    expect(wildcardOf("https://app*", "path")).toBe("https://app/*");
    expect(wildcardOf("https://app*", "host")).toBe("https://app*");
    expect(wildcardOf("https://*", "path")).toBe("https://*");
    expect(wildcardOf("https://app:*", "path")).toBe("https://app:*");
    expect(wildcardOf("https://app/x*", "path")).toBe("https://app/x*");
    expect(wildcardOf("myapp:*", "path")).toBe("myapp:*");
    expect(wildcardOf("https://app/x?y=*", "path")).toBeNull();
    expect(wildcardOf("https://app/x#*", "path")).toBeNull();
    expect(wildcardOf("https://app/x", "path")).toBeNull();
  });

  it("olderRulesMatch names only what the older rules alone accept", () => {
    expect(olderRulesMatch("https://app-b.example/cb", ["https://app*"], {})?.entry).toBe("https://app*");
    expect(olderRulesMatch("https://app/cb", ["https://app*"], {})).toBeNull();
    expect(olderRulesMatch("https://other/cb", ["https://app*"], {})).toBeNull();
  });
});

describe("OIDC response parameters in the redirect URI (FORBIDDEN_OIDC_PARAMS)", () => {
  const entries = ["https://app/*"];
  it("refuses state, code, iss... in the query, without case, when the server checks them", () => {
    for (const uri of ["https://app/cb?state=x", "https://app/cb?a=1&CODE=2", "https://app/cb?i%73s=x"]) {
      expect(matchRedirectUri(uri, entries, { rules: "path", responseParams: "query" }), uri).toBeNull();
      expect(matchRedirectUri(uri, entries, { rules: "path" }), uri).not.toBeNull();
    }
    expect(
      matchRedirectUri("https://app/cb?next=/x", entries, { rules: "path", responseParams: "query" }),
    ).not.toBeNull();
  });

  it("looks into the fragment only under the later rule", () => {
    const uri = "https://app/cb#state=x";
    expect(matchRedirectUri(uri, entries, { rules: "path", responseParams: "query" })).not.toBeNull();
    expect(
      matchRedirectUri(uri, entries, { rules: "path", responseParams: "query-and-fragment" }),
    ).toBeNull();
    expect(responseParamsIn("https://app/cb?x=1#session_state=2&kc_action=y", "query-and-fragment")).toEqual([
      "session_state",
      "kc_action",
    ]);
  });
});
