import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readAuthConfig } from "@/lib/auth/config";

/**
 * Docker cannot run here, so the compose stack is checked by reading it. The compose file is YAML in flow
 * style only (JSON plus the trailing commas Biome's YAML formatter writes), so it parses without a YAML library.
 */
function parseFlowYaml(text: string): unknown {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? "";
    if (inString) {
      out += c;
      if (c === "\\") out += text[++i] ?? "";
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === "," && /^\s*[\]}]/.test(text.slice(i + 1))) {
      // a trailing comma: valid in YAML flow collections, not in JSON
    } else {
      out += c;
    }
  }
  return JSON.parse(out);
}

const compose = parseFlowYaml(readFileSync("docker-compose.yml", "utf8")) as {
  services: Record<string, Record<string, unknown>>;
};
const service = (name: string) => compose.services[name] ?? {};
const realm = (file: string) => JSON.parse(readFileSync(file, "utf8"));
const acme = realm("docker/realm-acme.json");
const script = readFileSync("docker/produce-403s.sh", "utf8");

describe("docker-compose.yml", () => {
  it("runs PostgreSQL, Keycloak 26 in dev mode importing the demo realms, and realmwatch", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["keycloak", "postgres", "realmwatch"]);
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
    const env = app.environment as Record<string, string>;
    expect(readAuthConfig(env).mode).toBe("oidc");
    expect(env.REALMWATCH_OIDC_ISSUER).toBe(`${env.KEYCLOAK_URL}/realms/${acme.realm}`);
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

  it("has a user per realmwatch role, holding that realm role", () => {
    for (const role of ["viewer", "analyst", "admin"]) {
      const user = acme.users.find((u: { username: string }) => u.username === role);
      expect(user?.realmRoles).toEqual([role]);
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
    expect(dockerfile).toContain("REALMWATCH_STANDALONE=1 npx next build");
    expect(dockerfile).toContain("/app/.next/standalone");
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toContain('CMD ["sh", "-c", "node prepare.mjs && exec node server.js"]');
    expect(existsSync("docker/prepare.ts")).toBe(true);
  });
});
