import { describe, expect, it } from "vitest";
import { classifyUserEvent } from "@/lib/classify/classify";
import type { ClassifyContext } from "@/lib/classify/types";
import type { KeycloakUserEvent } from "@/lib/keycloak/types";
import { parseEventJsonDocument } from "@/lib/logs/parse-event-json";
import { type ParsedEventLine, parseKeycloakEventLine } from "@/lib/logs/parse-keycloak-event-line";
import { type KeycloakSample, readKeycloakSamples } from "@/testkit/read-samples";

const samples: KeycloakSample[] = readKeycloakSamples();

function sample(issue: string): KeycloakSample {
  const found = samples.find((s) => s.source_url.includes(issue));
  if (found === undefined) throw new Error(`no sample from ${issue}`);
  return found;
}

function line(issue: string): ParsedEventLine {
  const parsed = parseKeycloakEventLine(sample(issue).raw, { defaultDate: "2024-01-02", timeZone: "UTC" });
  if (parsed === null) throw new Error(`sample ${issue} did not parse`);
  return parsed;
}

function userEvent(issue: string): KeycloakUserEvent {
  const parsed = line(issue);
  if (parsed.kind !== "user") throw new Error(`sample ${issue} is not a user event`);
  return parsed.event;
}

function verdict(issue: string, ctx?: ClassifyContext) {
  const s = sample(issue);
  if (s.format === "rest-json") {
    const [first] = parseEventJsonDocument(s.raw);
    if (!first?.ok || first.kind !== "user") throw new Error(`sample ${issue} is not a REST user event`);
    return classifyUserEvent(first.event, "api", ctx);
  }
  return classifyUserEvent(userEvent(issue), "log", ctx);
}

describe("the ten public samples", () => {
  it("all parse", () => {
    expect(samples).toHaveLength(10);
    for (const s of samples) {
      const parsed =
        s.format === "rest-json" ? parseEventJsonDocument(s.raw)[0] : parseKeycloakEventLine(s.raw);
      expect(parsed, s.source_url).toBeTruthy();
    }
  });

  it("keycloak#43095, 26.4 quoted line, 'Invalid refresh token': session-invalid, because the thread shows the admin console posting refresh_token=undefined, which Keycloak cannot read", () => {
    const event = userEvent("keycloak/issues/43095");
    expect(event).toMatchObject({ realmName: "master", clientId: "security-admin-console", userId: null });
    expect(verdict("keycloak/issues/43095")).toMatchObject({
      cause: "session-invalid",
      ruleId: "refresh-token-unreadable",
    });
  });

  it("shanoir-ng#72, WildFly time-only line behind docker-compose, expired_code + restart_after_timeout=true: session-invalid, the login timeout", () => {
    const parsed = line("shanoir-ng/issues/72");
    expect(parsed.timeAssumption).toBe("date-assumed");
    expect(parsed.loggedAt).toBe(Date.UTC(2024, 0, 2, 8, 12, 20, 561));
    expect(verdict("shanoir-ng/issues/72")).toMatchObject({
      cause: "session-invalid",
      ruleId: "login-timeout",
    });
  });

  it("keycloak#22571, 22.0.1 userinfo invalid_token without a reason: token-expired at low confidence, because servers before 25 wrote no reason and expiry is the usual failed check; the evidence names the hostname alternative", () => {
    const legacy = verdict("keycloak/issues/22571", { keycloakVersion: "22.0.1" });
    expect(legacy).toMatchObject({ cause: "token-expired", ruleId: "userinfo-invalid-token-legacy" });
    expect(legacy?.confidence).toBeLessThan(0.6);
    expect(legacy?.evidence).toContain("another hostname");
    // On 26.x the same bare signal can only come from the session lookup.
    expect(verdict("keycloak/issues/22571", { keycloakVersion: "26.4.2" })?.cause).toBe("session-invalid");
  });

  it("keycloak#16257, REST JSON invalid_redirect_uri https://localhost:8080/...: redirect-uri, unless the client registered the same URI over http, which makes it a proxy/scheme problem", () => {
    expect(verdict("keycloak/issues/16257")).toMatchObject({
      cause: "redirect-uri",
      ruleId: "redirect-uri-not-registered",
    });
    const behindProxy = verdict("keycloak/issues/16257", {
      registeredRedirectUris: ["http://localhost:8080/auth/realms/default/account/*"],
    });
    expect(behindProxy).toMatchObject({
      cause: "proxy-misconfig",
      ruleId: "redirect-uri-rewritten-by-proxy",
    });
    expect(behindProxy?.evidence).toContain("scheme");
  });

  it("keycloak#27397, 23.0.7 quoted line, CODE_TO_TOKEN_ERROR invalid_code: session-invalid, a code already exchanged or unknown to the node", () => {
    const parsed = line("keycloak/issues/27397");
    expect(parsed.event).toMatchObject({ realmId: "Shiny Applications", clientId: "shiny-proxy-p1" });
    expect(parsed.timeAssumption).toBe("zone-assumed");
    expect(verdict("keycloak/issues/27397")).toMatchObject({
      cause: "session-invalid",
      ruleId: "code-reused-or-unknown",
    });
  });

  it("springseeds FAQ, embedded Keycloak (logback prefix), invalid_redirect_uri http://localhost:4200/: redirect-uri, the Angular dev server URL is not registered", () => {
    const parsed = line("springseeds");
    expect(parsed.loggedAt).toBe(Date.UTC(2022, 3, 23, 18, 46, 16, 347));
    expect(parsed.logger).toBe("org.keycloak.events");
    const result = verdict("springseeds");
    expect(result).toMatchObject({ cause: "redirect-uri", ruleId: "redirect-uri-not-registered" });
    expect(result?.evidence).toContain("http://localhost:4200/");
  });

  it("meshcloud docs, admin event line: parses as an admin event with its auth details and resource path", () => {
    const parsed = line("meshcloud-docs");
    expect(parsed.kind).toBe("admin");
    if (parsed.kind !== "admin") return;
    expect(parsed.event).toMatchObject({
      operationType: "UPDATE",
      authDetails: {
        realmId: "master",
        clientId: "200c6050-d7d1-4430-914a-f45ab139e494",
        ipAddress: "11.12.13.14",
      },
      resourcePath: "clients/f99f22d7-87d7-4f4e-8235-23e07f58974e/roles/my-workspace|my-project-noadmin",
    });
    expect(parsed.level).toBe("DEBUG");
  });

  it("BodhiApp, abbreviated [events] logger, REFRESH_TOKEN_ERROR 'Token is not active': token-expired, the refresh token outlived SSO Session Idle/Max", () => {
    expect(line("BodhiApp").logger).toBe("events");
    expect(verdict("BodhiApp")).toMatchObject({ cause: "token-expired", ruleId: "refresh-token-expired" });
  });

  it("keycloak#45418, JSON console fragment, IDENTITY_PROVIDER_LOGIN_ERROR cookie_not_found: proxy-misconfig (cookies lost between the IdP round trip)", () => {
    const parsed = line("keycloak/issues/45418");
    expect(parsed.fragment).toBe(true);
    expect(parsed.event).toMatchObject({ type: "IDENTITY_PROVIDER_LOGIN_ERROR", error: "cookie_not_found" });
    expect(verdict("keycloak/issues/45418")).toMatchObject({
      cause: "proxy-misconfig",
      ruleId: "cookie-not-found",
    });
  });

  it("keycloak-api-key-demo#10, 19.0.2 behind docker-compose, CODE_TO_TOKEN_ERROR invalid_client_credentials: client-auth, a wrong client secret typed by the grant", () => {
    const result = verdict("keycloak-api-key-demo/issues/10");
    expect(result).toMatchObject({ cause: "client-auth", ruleId: "client-secret-wrong" });
    expect(result?.evidence).toContain("dashboard-client");
  });
});
