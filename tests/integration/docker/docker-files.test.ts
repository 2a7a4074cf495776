import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { assertAuthConfigured } from "@/lib/auth/assert-auth-configured";
import { readAuthConfig } from "@/lib/auth/config";

/** Docker cannot run here, so the compose stack is checked by reading it, parsed as the YAML it is. */
const compose = parseYaml(readFileSync("docker-compose.yml", "utf8")) as {
  services: Record<string, Record<string, unknown>>;
};
/** A service's environment as compose would pass it, with the operator's exported secret key filled in. */
const KEY = "k3Y8vQ2mR7xN4bW9cT1zP5sK8dW2qL7mX3vR9";
const environment = (name: string) =>
  Object.fromEntries(
    Object.entries((compose.services[name]?.environment ?? {}) as Record<string, string>).map(([k, v]) => [
      k,
      v.startsWith("${REALMWATCH_SECRET_KEY:?") ? KEY : v,
    ]),
  );
const service = (name: string) => compose.services[name] ?? {};
const realm = (file: string) => JSON.parse(readFileSync(file, "utf8"));
const acme = realm("docker/realm-acme.json");
const script = readFileSync("docker/produce-403s.sh", "utf8");

describe("docker-compose.yml", () => {
  it("is block YAML, not JSON in YAML's clothing", () => {
    const text = readFileSync("docker-compose.yml", "utf8");
    expect(text.trimStart().startsWith("{")).toBe(false);
    expect(text).toMatch(/^services:$/m);
    expect(text).not.toMatch(/:\s*[[{]/); // no flow collections: every list and map in block style
  });

  it("runs PostgreSQL, Keycloak 26 in dev mode importing the demo realms, and realmwatch", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["import", "keycloak", "postgres", "realmwatch"]);
    expect(service("import").profiles).toEqual(["tools"]); // run on demand only
    const kc = service("keycloak");
    expect(kc.image).toMatch(/^quay\.io\/keycloak\/keycloak:26\./);
    expect(kc.command).toEqual(["start-dev", "--import-realm"]);
    for (const volume of kc.volumes as string[]) {
      const [host = "", container = ""] = volume.split(":");
      expect(existsSync(host), host).toBe(true);
      expect(container.startsWith("/opt/keycloak/data/import/")).toBe(true);
    }
  });

  it("starts realmwatch only after its database and Keycloak are healthy, with sign-in configured", () => {
    const app = service("realmwatch");
    expect(app.depends_on).toEqual({
      postgres: { condition: "service_healthy" },
      keycloak: { condition: "service_healthy" },
    });
    const env = environment("realmwatch");
    expect(readAuthConfig(env).mode).toBe("oidc");
    expect(() => assertAuthConfigured(env)).not.toThrow();
    expect(new URL(env.DATABASE_URL ?? "").hostname).toBe("postgres");
    for (const name of ["postgres", "keycloak"]) expect(service(name).healthcheck).toBeTruthy();
  });

  it("gives realmwatch the credentials of clients the realm defines", () => {
    const env = service("realmwatch").environment as Record<string, string>;
    const client = (id: string | undefined) =>
      acme.clients.find((c: { clientId: string }) => c.clientId === id);
    expect(client(env.KEYCLOAK_CLIENT_ID)?.secret).toBe(env.KEYCLOAK_CLIENT_SECRET);
    expect(client(env.REALMWATCH_OIDC_CLIENT_ID)?.secret).toBe(env.REALMWATCH_OIDC_CLIENT_SECRET);
    expect(client(env.REALMWATCH_OIDC_CLIENT_ID)?.redirectUris).toContain(
      `${env.REALMWATCH_PUBLIC_URL}/api/auth/callback`,
    );
  });
});

describe("compose secrets and exposure", () => {
  it("asks the operator for the secret key instead of shipping one anyone could use to forge a session", () => {
    for (const name of ["realmwatch", "import"]) {
      const env = service(name).environment as Record<string, string>;
      expect(env.REALMWATCH_SECRET_KEY).toMatch(/^\$\{REALMWATCH_SECRET_KEY:\?.+\}$/);
    }
    expect(readFileSync("docker-compose.yml", "utf8")).not.toMatch(/change-me/i);
  });

  it("publishes its ports on the host's loopback only", () => {
    for (const name of Object.keys(compose.services)) {
      for (const port of (service(name).ports ?? []) as string[])
        expect(port, name).toMatch(/^127\.0\.0\.1:/);
    }
  });
});

describe("Keycloak in the compose stack", () => {
  const kc = service("keycloak").environment as Record<string, string>;
  const app = service("realmwatch").environment as Record<string, string>;

  it("writes the HTTP access log (HttpAccessLogOptions http-access-log-enabled), which the import service reads", () => {
    expect(kc.KC_HTTP_ACCESS_LOG_ENABLED).toBe("true");
    const importer = service("import");
    expect(importer.command).toEqual(["npx", "tsx", "scripts/import.ts", "-"]);
    expect((importer.build as { target?: string }).target).toBe("build");
    expect((importer.environment as Record<string, string>).DATABASE_URL).toBe(app.DATABASE_URL);
    expect(readFileSync("Dockerfile", "utf8")).toMatch(/^FROM .* AS build$/m);
  });

  it("logs successes and lockouts too (JBossLoggingEventListenerProviderFactory success-level)", () => {
    expect(kc.KC_SPI_EVENTS_LISTENER_JBOSS_LOGGING_SUCCESS_LEVEL).toBe("info");
  });

  it("names an issuer the host's browser can reach, and lets realmwatch use the service name for the rest", () => {
    const frontend = new URL(kc.KC_HOSTNAME ?? "");
    expect(frontend.hostname).toBe("localhost");
    expect(service("keycloak").ports).toContain(`127.0.0.1:${frontend.port}:8080`);
    expect(kc.KC_HOSTNAME_BACKCHANNEL_DYNAMIC).toBe("true");
    // realmwatch reads the discovery document over the container network; the issuer in it (and in tokens) is
    // the frontend one, which openid-client accepts when given the document's URL.
    const discovery = new URL(app.REALMWATCH_OIDC_ISSUER ?? "");
    expect(discovery.pathname).toBe(`/realms/${acme.realm}/.well-known/openid-configuration`);
    expect(discovery.origin).toBe(app.KEYCLOAK_URL);
    expect(Object.keys(compose.services)).toContain(new URL(app.KEYCLOAK_URL ?? "").hostname);
    expect(new URL(app.REALMWATCH_PUBLIC_URL ?? "").hostname).toBe("localhost");
  });
});

describe("demo realm", () => {
  it("saves user and admin events, including the 403 types Keycloak does not save by default", () => {
    expect(acme.eventsEnabled).toBe(true);
    expect(acme.adminEventsEnabled).toBe(true);
    expect(acme.adminEventsDetailsEnabled).toBe(true);
    expect(acme.enabledEventTypes).toEqual(
      expect.arrayContaining([
        "LOGIN_ERROR",
        "CODE_TO_TOKEN_ERROR",
        "USER_INFO_REQUEST_ERROR",
        "INTROSPECT_TOKEN_ERROR",
        "TOKEN_EXCHANGE_ERROR",
        "PERMISSION_TOKEN_ERROR",
        "REFRESH_TOKEN_ERROR",
      ]),
    );
  });

  it("lets realmwatch's service account read events and configuration", () => {
    const sa = acme.users.find(
      (u: { serviceAccountClientId?: string }) => u.serviceAccountClientId === "realmwatch",
    );
    expect(sa?.clientRoles?.["realm-management"]).toEqual(
      expect.arrayContaining(["view-events", "view-realm"]),
    );
  });

  it("has a user per realmwatch role, holding that client role of realmwatch's sign-in client", () => {
    const client = service("realmwatch").environment as Record<string, string>;
    const signIn = client.REALMWATCH_OIDC_CLIENT_ID ?? "";
    const defined = (acme.roles.client[signIn] ?? []).map((r: { name: string }) => r.name);
    for (const role of ["viewer", "analyst", "admin"]) {
      expect(defined).toContain(role);
      const user = acme.users.find((u: { username: string }) => u.username === role);
      expect(user?.clientRoles?.[signIn]).toEqual([role]);
      // A realm role of that name would grant nothing in realmwatch (lib/auth/roles-from-claims.ts).
      expect(user?.realmRoles ?? []).not.toContain(role);
    }
  });

  it("defines every client and realm the 403 script uses", () => {
    const realms = new Map(
      ["docker/realm-acme.json", "docker/realm-secure.json"].map((f) => [realm(f).realm, realm(f)] as const),
    );
    const used = [...script.matchAll(/client_id=([a-z-]+)/g)].map((m) => m[1]);
    used.push(...[...script.matchAll(/password_token ([a-z-]+)/g)].map((m) => m[1]));
    const defined = new Set(
      [...realms.values()].flatMap((r) => r.clients.map((c: { clientId: string }) => c.clientId)),
    );
    expect(used.length).toBeGreaterThan(4);
    for (const id of used) expect(defined.has(id), id).toBe(true);
    expect(realms.get("secure")?.sslRequired).toBe("all");
  });
});

describe("produce-403s.sh", () => {
  it("is valid bash", () => {
    expect(spawnSync("bash", ["-n", "docker/produce-403s.sh"]).status).toBe(0);
  });
});

describe("Dockerfile", () => {
  const dockerfile = readFileSync("Dockerfile", "utf8");
  it("builds Next's standalone output and runs it as a non-root user after the prepare step", () => {
    expect(dockerfile).toMatch(/^RUN npm ci /m); // the lock as committed, as users' CI installs it
    expect(dockerfile).toContain("REALMWATCH_STANDALONE=1 npx next build");
    expect(dockerfile).toContain("/app/.next/standalone");
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toContain('CMD ["sh", "-c", "node prepare.mjs && exec node server.js"]');
    expect(existsSync("docker/prepare.ts")).toBe(true);
  });
});
