import { describe, expect, it } from "vitest";
import { pushEndpoints, registerCommands } from "@/lib/ingest/push/register-commands";

const SOURCE = "5b0f7c1e-2d3a-4b4c-8d5e-6f7a8b9c0d1e";

describe("the commands that register a push source", () => {
  const endpoints = pushEndpoints("https://realmwatch.example.com/", SOURCE);
  const c = registerCommands({
    ...endpoints,
    keycloakUrl: "https://sso.example.com/",
    realm: "acme",
    jwtAudience: null,
  });

  it("names the source's URLs", () => {
    expect(endpoints).toEqual({
      webhookUrl: `https://realmwatch.example.com/api/push/events/${SOURCE}`,
      logsUrl: `https://realmwatch.example.com/api/push/logs/${SOURCE}`,
    });
  });

  it("registers Phase Two's webhook on the realm's /realms/<realm>/webhooks resource with the secret from the shell", () => {
    expect(c.kcadm).toContain("kcadm.sh create https://sso.example.com/realms/acme/webhooks");
    expect(c.kcadm).toContain(`url=${endpoints.webhookUrl}`);
    expect(c.kcadm).toContain('"secret=$WEBHOOK_SECRET"');
    expect(c.kcadm).toContain("eventsListeners=");
    expect(c.curl).toContain(`"url":"${endpoints.webhookUrl}"`);
    expect(c.kcadmBearer).toContain("authType=bearer");
    expect(c.kcadmBearer).toContain("audience=realmwatch");
  });

  it("configures Vector and Fluent Bit with the push token from the environment", () => {
    expect(c.vector).toContain(`uri: "${endpoints.logsUrl}"`);
    expect(c.vector).toContain(`token: "\${PUSH_TOKEN}"`);
    expect(c.fluentBit).toContain("Host              realmwatch.example.com");
    expect(c.fluentBit).toContain("Port              443");
    expect(c.fluentBit).toContain(`URI               /api/push/logs/${SOURCE}`);
    expect(c.fluentBit).toContain("tls               On");
  });

  it("quotes a hostile realm name so that it is data, not shell", () => {
    const hostile = registerCommands({
      ...endpoints,
      keycloakUrl: null,
      realm: "a'; rm -rf / #",
      jwtAudience: null,
    });
    expect(hostile.kcadm).toContain("-r 'a'\\''; rm -rf / #'");
    expect(hostile.kcadm).toContain(
      "kcadm.sh create 'https://keycloak.example.com/realms/a'\\''%3B%20rm%20-rf%20%2F%20%23/webhooks'",
    );
  });
});
