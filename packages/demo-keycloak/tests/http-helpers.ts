import type { DemoKeycloak } from "../src";

/** A client-credentials token from the demo server. */
export async function clientToken(
  demo: DemoKeycloak,
  realm: string,
  clientId: string,
  secret: string,
): Promise<string> {
  const res = await fetch(`${demo.url}/realms/${realm}/protocol/openid-connect/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: secret,
    }),
  });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

export const serviceToken = (demo: DemoKeycloak) =>
  clientToken(demo, "master", "realmwatch", "realmwatch-demo-secret");

export async function call(
  demo: DemoKeycloak,
  method: string,
  path: string,
  opts: { token?: string; json?: unknown; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: unknown; text: string; headers: Headers }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined = opts.body;
  if (opts.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(opts.json);
  }
  const res = await fetch(`${demo.url}${path}`, { method, headers, body, redirect: "manual" });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.status, body: parsed, text, headers: res.headers };
}

/** A clock tests move by hand. */
export function manualClock(start: number) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}
