import { adminConsoleLogin, type BackgroundContext, backgroundSpan, poisson } from "./background-traffic";
import { DEMO_INCIDENTS, type DemoIncident } from "./demo-incidents";
import type { DemoState } from "./demo-state";
import { INCIDENT_BEHAVIOURS, type IncidentBehaviour, type IncidentContext } from "./incident-behaviours";
import { createPrng, type Prng } from "./prng";
import { findClient, findUserByUsername, type RealmModel } from "./realm-model";
import { TrafficSink } from "./traffic-sink";
import { activity, buildWorld, type RealmWorld } from "./traffic-world";

export interface TrafficOptions {
  days: number;
  eventsPerDay: number;
  live: boolean;
  seed: number;
}

const MINUTE = 60_000;
/** How long after its `time` a live success may become visible (its transaction's commit). */
const LIVE_COMMIT_LAG_MS = 1500;

/** DEMO_INCIDENTS placed in time (minutes before `end`), with the planted admin event's concrete path. */
export function resolveIncidents(
  state: DemoState,
  end: number,
  historyStart: number,
  prng: Prng,
): DemoIncident[] {
  const out: DemoIncident[] = [];
  const anchor = Math.floor(end / MINUTE) * MINUTE;
  for (const spec of DEMO_INCIDENTS) {
    const realm = state.realms.get(spec.realm);
    if (!realm || !findClient(realm, spec.client)) continue;
    const start = anchor - spec.startAgoMinutes * MINUTE;
    const stop = spec.durationMinutes === null ? null : start + spec.durationMinutes * MINUTE;
    if ((stop ?? end) < historyStart) continue;
    const user = spec.user ? findUserByUsername(realm, spec.user) : undefined;
    const template = spec.adminEvent?.resourcePath ?? null;
    const path =
      template === null
        ? null
        : template
            .replace(/\{client:([^}]+)\}/g, (_, c: string) => findClient(realm, c)?.id ?? c)
            .replace("{user}", user?.id ?? "")
            .replace("{id}", () => prng.uuid());
    out.push({
      ...spec,
      start,
      end: stop,
      userId: user?.id ?? null,
      adminEventResourcePath: path,
      adminEventTime: spec.adminEvent ? start - spec.adminEvent.leadMinutes * MINUTE : null,
    });
  }
  return out;
}

function plantAdminEvent(
  state: DemoState,
  sink: TrafficSink,
  realm: RealmModel,
  incident: DemoIncident,
): void {
  const a = incident.adminEvent;
  if (!a || incident.adminEventTime === null) return;
  // The realm's own administrator signs in to the admin console and makes the change, as in the background's
  // everyday console changes: the console LOGIN is how realmwatch learns the admin's name.
  const console_ = findClient(realm, "security-admin-console")!;
  const admin = findUserByUsername(realm, "admin")!;
  sink.userEvent(
    realm,
    adminConsoleLogin(realm, console_, admin, incident.adminEventTime - 90_000, state.prng.uuid()),
  );
  sink.adminEvent(realm, {
    time: incident.adminEventTime,
    authDetails: { realmId: realm.id, clientId: console_.id, userId: admin.id, ipAddress: "192.0.2.10" },
    operationType: a.operationType,
    resourceType: a.resourceType,
    resourcePath: incident.adminEventResourcePath,
    representation: a.representation ?? null,
  });
}

/** Failures of one incident in [from, to) at its rate. */
function incidentSpan(ctx: IncidentContext, b: IncidentBehaviour, from: number, to: number): void {
  const step = Math.min(MINUTE, to - from);
  for (let t0 = from; t0 < to; t0 += step) {
    const span = Math.min(step, to - t0);
    const shape = b.constant ? 1 : activity(ctx.world, t0);
    const lambda = (ctx.incident.perHour / 3_600_000) * span * shape * (b.decay?.(ctx.incident, t0) ?? 1);
    const n = poisson(ctx.prng, lambda);
    for (let i = 0; i < n; i++) b.emit(ctx, t0 + ctx.prng.int(span));
  }
}

/** Data a UI must escape: an HTML username and a `<script>` detail value. */
function plantHostileData(state: DemoState, sink: TrafficSink, world: RealmWorld, t: number): void {
  const realm = world.realm;
  const user = findUserByUsername(realm, "<img src=x onerror=alert(1)>");
  if (!user) return;
  const ip = "203.0.113.66";
  const sessionId = state.prng.uuid();
  const base = {
    auth_method: "openid-connect",
    auth_type: "code",
    redirect_uri: "https://www.acme.example/callback",
  };
  sink.userEvent(realm, {
    time: t,
    type: "LOGIN_ERROR",
    clientId: "acme-spa",
    userId: user.id,
    ipAddress: ip,
    error: "invalid_user_credentials",
    details: { ...base, code_id: state.prng.uuid(), username: user.username },
  });
  sink.userEvent(realm, {
    time: t + 20_000,
    type: "LOGIN",
    clientId: "acme-spa",
    userId: user.id,
    sessionId,
    ipAddress: ip,
    details: { ...base, code_id: sessionId, username: user.username },
  });
  sink.userEvent(realm, {
    time: t + 60_000,
    type: "LOGIN_ERROR",
    clientId: "acme-spa",
    userId: null,
    ipAddress: ip,
    error: "user_not_found",
    details: { ...base, code_id: state.prng.uuid(), username: '<script>alert("realmwatch")</script>' },
  });
}

/**
 * Generates the history (background traffic, planted incidents and their admin events) and, when live,
 * keeps producing traffic every second. Live incidents follow the realm's state: fixing the
 * misconfiguration through the admin endpoints stops them.
 */
export function startTraffic(
  state: DemoState,
  opts: TrafficOptions,
): { incidents: DemoIncident[]; tick: () => void; stop: () => void } {
  const prng = createPrng(opts.seed ^ 0x7aff1c);
  const end = state.now();
  const historyStart = end - opts.days * 86_400_000;
  const worlds = new Map<string, RealmWorld>();
  for (const realm of state.realms.values())
    if (realm.name !== "master") worlds.set(realm.name, buildWorld(realm));
  const incidents = resolveIncidents(state, end, historyStart, prng);
  const behaviour = (i: DemoIncident) => INCIDENT_BEHAVIOURS[i.id]!;
  const sink = new TrafficSink(state);

  const inWindow = (i: DemoIncident, t: number) => t >= i.start && t < (i.end ?? Number.POSITIVE_INFINITY);
  const history: BackgroundContext = {
    state,
    sink,
    prng,
    blocked: (key, t) => incidents.some((i) => behaviour(i).blocks?.includes(key) && inWindow(i, t)),
  };
  const contexts = new Map<DemoIncident, IncidentContext>();
  for (const incident of incidents) {
    const world = worlds.get(incident.realm)!;
    contexts.set(incident, { state, sink, prng, incident, realm: world.realm, world });
    if (incident.adminEventTime !== null && incident.adminEventTime >= historyStart)
      plantAdminEvent(state, sink, world.realm, incident);
  }
  const acme = worlds.get("acme");
  const hostileAt = end - 2 * 86_400_000 + 3_600_000;
  // A day at a time, so what is collected before a flush stays small.
  for (let day = historyStart; day < end; day += 86_400_000) {
    const dayEnd = Math.min(day + 86_400_000, end);
    for (const world of worlds.values()) {
      for (let t = day; t < dayEnd; t += MINUTE)
        backgroundSpan(history, world, t, Math.min(MINUTE, dayEnd - t), opts.eventsPerDay);
    }
    for (const incident of incidents) {
      const b = behaviour(incident);
      const from = Math.max(incident.start, day);
      const to = Math.min(incident.end ?? end, dayEnd);
      if (from >= to) continue;
      if (b.schedule) b.schedule(contexts.get(incident)!, from, to);
      else incidentSpan(contexts.get(incident)!, b, from, to);
    }
    if (acme && hostileAt >= day && hostileAt < dayEnd) plantHostileData(state, sink, acme, hostileAt);
    sink.flush(dayEnd);
  }
  // What the history's sessions would do after `end` (refreshes, logouts) stays in the sink: live
  // traffic writes it when its time comes, and without live traffic it is dropped.
  if (!opts.live) return { incidents, tick: () => {}, stop: () => {} };

  let last = end;
  let lastPurge = end;
  const tick = () => {
    const now = state.now();
    if (now <= last) return;
    const live: BackgroundContext = {
      state,
      sink,
      prng,
      blocked: (key, t) =>
        incidents.some((i) => behaviour(i).blocks?.includes(key) && i.end === null && t >= i.start),
    };
    for (const incident of incidents) {
      const b = behaviour(incident);
      if (!b.stillBroken || (incident.end !== null && incident.end <= last)) continue;
      if (b.stillBroken(state)) incident.end = null;
      else if (incident.end === null) incident.end = now;
    }
    for (const world of worlds.values()) backgroundSpan(live, world, last, now - last, opts.eventsPerDay);
    for (const incident of incidents) {
      const b = behaviour(incident);
      if (incident.end === null && b.stillBroken && !b.schedule)
        incidentSpan(contexts.get(incident)!, b, last, now);
    }
    sink.flush(now + 1, { successCommitLagMs: LIVE_COMMIT_LAG_MS });
    if (now - lastPurge >= MINUTE) {
      purgeExpired(state, now);
      lastPurge = now;
    }
    last = now;
  };
  const timer = setInterval(tick, 1000);
  timer.unref();
  return { incidents, tick, stop: () => clearInterval(timer) };
}

/** JpaEventStoreProvider#clearExpiredEvents and clearExpiredAdminEvents, run once a minute. */
function purgeExpired(state: DemoState, now: number): void {
  for (const realm of state.realms.values()) {
    if (realm.events.eventsExpiration > 0) {
      state.store.expireBefore(now - realm.events.eventsExpiration * 1000, {
        realm: realm.name,
        kind: "user",
      });
    }
    const adminExpiration = Number(realm.attributes.adminEventsExpiration ?? "0");
    if (adminExpiration > 0)
      state.store.expireBefore(now - adminExpiration * 1000, { realm: realm.name, kind: "admin" });
  }
}
