import type { DemoState } from "./demo-state";
import type { Prng } from "./prng";
import {
  type ClientModel,
  findClient,
  findUserByUsername,
  type RealmModel,
  type UserModel,
} from "./realm-model";
import type { NewUserEvent } from "./record-events";
import type { TrafficSink } from "./traffic-sink";
import { activity, type RealmWorld } from "./traffic-world";

/** What an active incident keeps from happening normally, e.g. "login:retail-shop". */
export type Blocked = (key: string, t: number) => boolean;

export interface BackgroundContext {
  state: DemoState;
  sink: TrafficSink;
  prng: Prng;
  blocked: Blocked;
}

/** Average user events per sign-in interaction (login, code exchange, refreshes, userinfo, logout). */
const EVENTS_PER_INTERACTION = 4;

function poisson(prng: Prng, lambda: number): number {
  if (lambda > 30)
    return Math.max(
      0,
      Math.round(lambda + Math.sqrt(lambda) * (prng.next() + prng.next() + prng.next() - 1.5) * 2),
    );
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = prng.next();
  while (p > limit) {
    k++;
    p *= prng.next();
  }
  return k;
}

/** A few users are very active, most are occasional. */
const pickUser = (prng: Prng, world: RealmWorld): UserModel =>
  world.users[Math.floor(world.users.length * prng.next() ** 2)]!;

function callbackOf(ctx: BackgroundContext, world: RealmWorld, client: ClientModel): string {
  const app = ctx.state.apps.get(world.realm.name, client.clientId);
  return app?.redirectUri ?? client.redirectUris[0]!.replace(/\*$/, "callback");
}

function scopeOf(ctx: BackgroundContext, world: RealmWorld, client: ClientModel): string {
  const requested =
    ctx.state.apps.get(world.realm.name, client.clientId)?.requestedScope ?? "openid profile email";
  return requested.split(" ").includes("openid") ? "openid profile email" : "profile email";
}

function emit(ctx: BackgroundContext, world: RealmWorld, e: NewUserEvent): void {
  ctx.sink.userEvent(world.realm, e);
}

/** Sign-in through the browser, code exchange, refreshes, userinfo, sometimes logout. */
function signIn(
  ctx: BackgroundContext,
  world: RealmWorld,
  t: number,
  client: ClientModel,
  user: UserModel,
): void {
  const { prng } = ctx;
  if (ctx.blocked(`login:${client.clientId}`, t)) return;
  const ip = world.ipOf(user);
  const sessionId = prng.uuid();
  const redirect = callbackOf(ctx, world, client);
  const scope = scopeOf(ctx, world, client);
  const base = { clientId: client.clientId, userId: user.id, ipAddress: ip };
  emit(ctx, world, {
    ...base,
    time: t,
    type: "LOGIN",
    sessionId,
    details: {
      auth_method: "openid-connect",
      auth_type: "code",
      redirect_uri: redirect,
      consent: "no_consent_required",
      code_id: sessionId,
      username: user.username,
    },
  });
  let at = t + 300 + prng.int(1200);
  let refreshId = prng.uuid();
  emit(ctx, world, {
    ...base,
    time: at,
    type: "CODE_TO_TOKEN",
    sessionId,
    details: {
      token_id: prng.uuid(),
      grant_type: "authorization_code",
      refresh_token_type: "Refresh",
      scope,
      refresh_token_id: refreshId,
      code_id: sessionId,
      client_auth_method: client.publicClient ? "" : "client-secret",
    },
  });
  if (scope.includes("openid") && !ctx.blocked(`userinfo:${client.clientId}`, at) && prng.chance(0.5)) {
    emit(ctx, world, {
      ...base,
      time: at + 150 + prng.int(400),
      type: "USER_INFO_REQUEST",
      sessionId,
      details: { auth_method: "validate_access_token", signature_required: "false" },
    });
  }
  const interval = (ctx.state.apps.get(world.realm.name, client.clientId)?.refreshIntervalSec ?? 240) * 1000;
  const refreshes = prng.int(5);
  for (let i = 0; i < refreshes; i++) {
    at += interval + prng.int(20_000);
    if (ctx.blocked(`refresh:${client.clientId}`, at)) return;
    const next = prng.uuid();
    emit(ctx, world, {
      ...base,
      time: at,
      type: "REFRESH_TOKEN",
      sessionId,
      details: {
        token_id: prng.uuid(),
        grant_type: "refresh_token",
        refresh_token_id: refreshId,
        updated_refresh_token_id: next,
        refresh_token_type: "Refresh",
        scope,
        refresh_token_sub: user.id,
      },
    });
    refreshId = next;
  }
  if (prng.chance(0.25)) {
    emit(ctx, world, {
      ...base,
      time: at + 60_000 + prng.int(600_000),
      type: "LOGOUT",
      sessionId,
      details: { redirect_uri: redirect },
    });
  }
}

const typo = (prng: Prng, s: string) => {
  const i = prng.int(s.length);
  return s.slice(0, i) + s.slice(i + 1);
};

/** The everyday failures every realm has. [weight, producer] */
const ORDINARY: ReadonlyArray<
  readonly [number, (ctx: BackgroundContext, w: RealmWorld, t: number, c: ClientModel, u: UserModel) => void]
> = [
  [80, signIn],
  [
    6,
    (ctx, w, t, c, u) => {
      if (ctx.blocked(`login:${c.clientId}`, t)) return;
      const code = ctx.prng.uuid();
      emit(ctx, w, {
        time: t,
        type: "LOGIN_ERROR",
        clientId: c.clientId,
        userId: u.id,
        ipAddress: w.ipOf(u),
        error: "invalid_user_credentials",
        details: {
          auth_method: "openid-connect",
          auth_type: "code",
          redirect_uri: callbackOf(ctx, w, c),
          code_id: code,
          username: u.username,
        },
      });
      if (ctx.prng.chance(0.7)) signIn(ctx, w, t + 15_000 + ctx.prng.int(30_000), c, u);
    },
  ],
  [
    1.5,
    (ctx, w, t, c, u) =>
      emit(ctx, w, {
        time: t,
        type: "LOGIN_ERROR",
        clientId: c.clientId,
        userId: null,
        ipAddress: w.ipOf(u),
        error: "user_not_found",
        details: {
          auth_method: "openid-connect",
          auth_type: "code",
          redirect_uri: callbackOf(ctx, w, c),
          code_id: ctx.prng.uuid(),
          username: typo(ctx.prng, u.username),
        },
      }),
  ],
  [
    0.8,
    (ctx, w, t, c, u) =>
      emit(ctx, w, {
        time: t,
        type: "LOGIN_ERROR",
        clientId: c.clientId,
        userId: null,
        ipAddress: w.ipOf(u),
        error: "expired_code",
        details: { restart_after_timeout: "true" },
      }),
  ],
  [
    0.5,
    (ctx, w, t, _c, u) =>
      emit(ctx, w, {
        time: t,
        type: "LOGIN_ERROR",
        clientId: null,
        userId: null,
        ipAddress: w.ipOf(u),
        error: "cookie_not_found",
      }),
  ],
  [
    0.5,
    (ctx, w, t, c, u) =>
      emit(ctx, w, {
        time: t,
        type: "CODE_TO_TOKEN_ERROR",
        clientId: c.clientId,
        userId: null,
        ipAddress: w.ipOf(u),
        error: "invalid_code",
        details: { grant_type: "authorization_code", code_id: ctx.prng.uuid() },
      }),
  ],
  [
    0.8,
    (ctx, w, t, c, u) =>
      emit(ctx, w, {
        time: t,
        type: "REFRESH_TOKEN_ERROR",
        clientId: c.clientId,
        userId: u.id,
        ipAddress: w.ipOf(u),
        error: "invalid_token",
        details: {
          grant_type: "refresh_token",
          reason: "Session not active",
          client_auth_method: c.publicClient ? "" : "client-secret",
        },
      }),
  ],
];
const ORDINARY_WEIGHTS = ORDINARY.map((o) => o[0]);

/** A realm's ordinary traffic in [t0, t0 + spanMs). */
export function backgroundSpan(
  ctx: BackgroundContext,
  world: RealmWorld,
  t0: number,
  spanMs: number,
  eventsPerDay: number,
): void {
  const { prng } = ctx;
  const shape = activity(world, t0);
  const lambda = (eventsPerDay / EVENTS_PER_INTERACTION / 86_400_000) * spanMs * shape;
  const n = world.interactive.length === 0 || world.users.length === 0 ? 0 : poisson(prng, lambda);
  for (let i = 0; i < n; i++) {
    const t = t0 + prng.int(spanMs);
    const [, produce] = prng.weighted(ORDINARY, ORDINARY_WEIGHTS);
    produce(ctx, world, t, prng.pick(world.interactive), pickUser(prng, world));
  }
  // Service accounts log in every five minutes, day and night, each at its own minute.
  for (const [i, client] of world.services.entries()) {
    const period = 300_000;
    const offset = 60_000 * i + 7_000;
    for (let t = Math.ceil((t0 - offset) / period) * period + offset; t < t0 + spanMs; t += period) {
      serviceAccountCall(ctx, world, t, client);
    }
  }
  if (prng.chance((6 / 86_400_000) * spanMs * shape)) adminConsoleChange(ctx, world, t0 + prng.int(spanMs));
}

export { poisson };

function serviceAccountCall(ctx: BackgroundContext, world: RealmWorld, t: number, client: ClientModel): void {
  if (ctx.blocked(`client-login:${client.clientId}`, t)) return;
  const sa = [...world.realm.users.values()].find((u) => u.serviceAccountClientId === client.id);
  const ip = `10.20.${world.services.indexOf(client) + 1}.15`;
  emit(ctx, world, {
    time: t,
    type: "CLIENT_LOGIN",
    clientId: client.clientId,
    userId: sa?.id ?? null,
    ipAddress: ip,
    details: {
      token_id: ctx.prng.uuid(),
      grant_type: "client_credentials",
      scope: "email profile",
      client_auth_method: "client-secret",
      username: sa?.username ?? "",
    },
  });
  if (client.clientId === "acme-reporting" && !ctx.blocked("users-api:acme-reporting", t)) {
    ctx.sink.accessLine({
      time: t + 400,
      ip,
      user: client.clientId,
      method: "GET",
      target: `/admin/realms/${world.realm.name}/users?first=0&max=100&briefRepresentation=true`,
      status: 200,
      bytes: 14_000 + ctx.prng.int(3000),
      referer: null,
      userAgent: "acme-reporting/2.4 node",
    });
  }
}

/** The realm administrator's LOGIN to the admin console, before a change made there. */
export function adminConsoleLogin(
  realm: RealmModel,
  console_: ClientModel,
  admin: UserModel,
  time: number,
  sessionId: string,
): NewUserEvent {
  return {
    time,
    type: "LOGIN",
    clientId: console_.clientId,
    userId: admin.id,
    sessionId,
    ipAddress: "192.0.2.10",
    details: {
      auth_method: "openid-connect",
      auth_type: "code",
      redirect_uri: `https://keycloak.demo.example/admin/${realm.name}/console/`,
      username: "admin",
    },
  };
}

/** An administrator changing something in the admin console: a LOGIN there, then an admin event. */
function adminConsoleChange(ctx: BackgroundContext, world: RealmWorld, t: number): void {
  const realm = world.realm;
  const console_ = findClient(realm, "security-admin-console");
  const admin = findUserByUsername(realm, "admin");
  if (!console_ || !admin || world.users.length === 0) return;
  const target = ctx.prng.pick(world.users);
  emit(ctx, world, adminConsoleLogin(realm, console_, admin, t, ctx.prng.uuid()));
  const [operationType, resourcePath, representation] = ctx.prng.pick([
    [
      "UPDATE",
      `users/${target.id}`,
      JSON.stringify({ id: target.id, username: target.username, enabled: true, emailVerified: true }),
    ],
    ["ACTION", `users/${target.id}/reset-password`, undefined],
    ["UPDATE", `users/${target.id}`, JSON.stringify({ id: target.id, email: target.email })],
    ["ACTION", `users/${target.id}/logout`, undefined],
  ] as const);
  ctx.sink.adminEvent(realm, {
    time: t + 20_000 + ctx.prng.int(20_000),
    authDetails: { realmId: realm.id, clientId: console_.id, userId: admin.id, ipAddress: "192.0.2.10" },
    operationType,
    resourceType: "USER",
    resourcePath,
    representation: representation ?? null,
  });
}
