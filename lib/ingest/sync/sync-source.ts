import type postgres from "postgres";
import type { ClassifyContext } from "@/lib/classify/types";
import type { UserEventRow } from "@/lib/keycloak/event-rows";
import { assessEventsConfig, type EventsHealth } from "@/lib/keycloak/events-config";
import type { EventKind, KeycloakSession } from "@/lib/keycloak/session";
import { AppError, isAppError } from "@/lib/server/errors";
import type { SourceRow } from "@/lib/sources/read-sources";
import { recordEventsConfig } from "@/lib/sources/record-events-config";
import { recordDetectedVersion, recordSourceStatus } from "@/lib/sources/save-source";
import { type SessionOptions, sessionFor } from "@/lib/sources/source-session";
import { detectSyncMode } from "./detect-mode";
import { streamClassifier } from "./stream-classifier";
import { withStreamLock } from "./stream-lock";
import { type StreamProgress, type StreamResult, type SyncMode, syncStream } from "./sync-stream";

export interface SyncOptions {
  overlapMs: number;
  /** Each run re-reads this much before the cursor, and the stretch that has just become an overlap old (sync-stream.ts, agedRead); unset, every run re-reads overlapMs. */
  shortOverlapMs?: number;
  settleMs: number;
  pageSize: number;
  classify?: (row: UserEventRow, ctx?: ClassifyContext) => void;
  onPage?: (p: StreamProgress) => void;
  signal?: AbortSignal;
  /** Session options for tests (fast retries). */
  session?: SessionOptions;
  /** realmwatch's clock (tests simulate it); Keycloak's is read from its answers. */
  now?: () => number;
}

export interface StreamOutcome {
  realm: string;
  kind: EventKind;
  status: "ok" | "busy" | "error";
  message?: string;
  result?: StreamResult;
}

export interface SourceOutcome {
  sourceId: string;
  name: string;
  status: "ok" | "partial" | "error";
  message?: string;
  mode?: SyncMode;
  version?: string | null;
  streams: StreamOutcome[];
  health: Record<string, EventsHealth | { error: string }>;
}

async function resolveRealms(
  sql: postgres.Sql,
  session: KeycloakSession,
  source: SourceRow,
): Promise<string[]> {
  if (!source.realms.includes("*")) return source.realms;
  const realms = await session.listRealms({ brief: true });
  const named = realms.filter((r): r is typeof r & { realm: string } => typeof r.realm === "string");
  for (const r of named) {
    // Events carry the realm's id, log lines often only that: keep the id-to-name map.
    await sql`
      insert into realms (source_id, name, keycloak_id) values (${source.id}, ${r.realm}, ${r.id ?? null})
      on conflict (source_id, name) do update set keycloak_id = coalesce(excluded.keycloak_id, realms.keycloak_id)`;
  }
  return named.map((r) => r.realm);
}

/** Syncs every stream of one source: realms, mode, events-configuration health, user and admin events. */
export async function syncSource(
  sql: postgres.Sql,
  source: SourceRow,
  opts: SyncOptions,
): Promise<SourceOutcome> {
  const outcome: SourceOutcome = {
    sourceId: source.id,
    name: source.name,
    status: "ok",
    streams: [],
    health: {},
  };
  try {
    const session = sessionFor(source, { ...opts.session, ...(opts.now ? { now: opts.now } : {}) });
    const realms = await resolveRealms(sql, session, source);
    if (realms.length === 0) throw new AppError("keycloak_error", "The service account sees no realm.");
    let mode: SyncMode;
    if (source.sync_mode === "ranged" || source.sync_mode === "daily") mode = source.sync_mode;
    else {
      const detected = await detectSyncMode(session, realms[0]!);
      mode = detected.mode;
      outcome.version = detected.version;
      await recordDetectedVersion(
        sql,
        source.id,
        detected.version ?? detected.how,
        new Date(opts.now?.() ?? Date.now()),
        detected.version,
      );
    }
    outcome.mode = mode;

    for (const realm of realms) {
      await recordRealmConfig(sql, session, source.id, realm, outcome);
      for (const kind of ["user", "admin"] as const) {
        outcome.streams.push(await runStream(sql, session, source.id, realm, kind, mode, opts));
      }
    }
    // Realms named explicitly: learn their ids from the events themselves.
    await sql`
      update realms r set keycloak_id = (select e.realm_id from user_events e
        where e.source_id = r.source_id and e.realm = r.name and e.realm_id is not null and e.origin = 'api' limit 1)
      where r.source_id = ${source.id} and r.keycloak_id is null`;
    const failed = outcome.streams.filter((s) => s.status === "error");
    if (failed.length > 0) {
      outcome.status = failed.length === outcome.streams.length ? "error" : "partial";
      outcome.message = failed[0]?.message;
    }
  } catch (err) {
    outcome.status = "error";
    outcome.message = isAppError(err) ? err.message : `Sync failed: ${(err as Error).message}`;
  }
  try {
    await recordSourceStatus(sql, source.id, outcome.status, outcome.message ?? null);
  } catch (err) {
    // The database went away: nothing was half-written (every page commits with its cursor); the next
    // sync resumes from the last committed page.
    outcome.status = "error";
    outcome.message = `The database is unavailable (${(err as Error).message}); the sync resumes from the last committed page once it is back.`;
  }
  return outcome;
}

async function runStream(
  sql: postgres.Sql,
  session: KeycloakSession,
  sourceId: string,
  realm: string,
  kind: EventKind,
  mode: SyncMode,
  opts: SyncOptions,
): Promise<StreamOutcome> {
  const key = { sourceId, realm, kind };
  await sql`
    insert into sync_streams (source_id, realm, kind, mode, status, last_attempt_at)
    values (${sourceId}, ${realm}, ${kind}, ${mode}, 'running', now())
    on conflict (source_id, realm, kind) do update set last_attempt_at = now(), mode = excluded.mode`;
  try {
    const locked = await withStreamLock(sql, `realmwatch:sync:${sourceId}:${realm}:${kind}`, async () => {
      await sql`update sync_streams set status = 'running' where source_id = ${sourceId} and realm = ${realm} and kind = ${kind}`;
      return syncStream(session, sql, key, mode, {
        overlapMs: opts.overlapMs,
        shortOverlapMs: opts.shortOverlapMs,
        settleMs: opts.settleMs,
        pageSize: opts.pageSize,
        classify: opts.classify
          ? await streamClassifier(sql, sourceId, realm, opts.classify, session)
          : undefined,
        onPage: opts.onPage,
        signal: opts.signal,
        now: opts.now,
      });
    });
    if (!locked.locked)
      return { realm, kind, status: "busy", message: "another worker is syncing this stream" };
    const r = locked.value;
    const notes = [
      r.rejected > 0
        ? `${r.rejected} events without a usable time or type were skipped (e.g. ${r.rejectedSamples[0]})`
        : null,
      clockNote(r.clockSkewMs, opts.overlapMs),
    ].filter((n): n is string => n !== null);
    const note = notes.length > 0 ? notes.join("; ") : null;
    await sql`
      update sync_streams set status = 'ok', status_message = ${note}, clock_skew_ms = ${r.clockSkewMs},
        last_success_at = now(), updated_at = now()
      where source_id = ${sourceId} and realm = ${realm} and kind = ${kind}`;
    return { realm, kind, status: "ok", result: r, message: note ?? undefined };
  } catch (err) {
    const message = isAppError(err) ? err.message : `${kind} events of ${realm}: ${(err as Error).message}`;
    await sql`
      update sync_streams set status = 'error', status_message = ${message}, updated_at = now()
      where source_id = ${sourceId} and realm = ${realm} and kind = ${kind}`.catch(() => {});
    return { realm, kind, status: "error", message };
  }
}

/**
 * A warning when Keycloak's clock and ours differ by more than a third of the overlap. Windows end on
 * Keycloak's clock, so nothing is lost, but the clocks of the nodes of a cluster may differ as much, and
 * the overlap is all that covers that.
 */
export function clockNote(skewMs: number | null, overlapMs: number): string | null {
  if (skewMs === null || Math.abs(skewMs) <= overlapMs / 3) return null;
  const s = Math.round(Math.abs(skewMs) / 1000);
  const amount = s >= 120 ? `${Math.round(s / 60)} min` : `${s} s`;
  return `Keycloak's clock runs ${amount} ${skewMs > 0 ? "ahead of" : "behind"} realmwatch's (more than a third of the ${Math.round(overlapMs / 1000)} s overlap): sync windows follow Keycloak's clock, but check time synchronisation (NTP) on both machines`;
}

async function recordRealmConfig(
  sql: postgres.Sql,
  session: KeycloakSession,
  sourceId: string,
  realm: string,
  outcome: SourceOutcome,
): Promise<void> {
  try {
    const config = await session.getEventsConfig(realm);
    const [lag] = await sql<{ lag: number | null }[]>`
      select extract(epoch from now() - min(last_success_at))::float8 as lag from sync_streams
      where source_id = ${sourceId} and realm = ${realm}`;
    outcome.health[realm] = assessEventsConfig(config, lag?.lag ?? null);
    await recordEventsConfig(sql, sourceId, realm, config);
    await recordExpiryGap(sql, sourceId, realm, config.eventsExpiration ?? null);
  } catch (err) {
    const message = isAppError(err) ? err.message : (err as Error).message;
    outcome.health[realm] = { error: message };
    await sql`
      insert into realms (source_id, name, config_checked_at, config_error) values (${sourceId}, ${realm}, now(), ${message})
      on conflict (source_id, name) do update set config_checked_at = now(), config_error = excluded.config_error`;
  }
}

/**
 * A gap: events between the stream's cursor and (now - eventsExpiration) were purged by Keycloak before
 * realmwatch read them. "Now" is Keycloak's (ours plus the skew last measured): the cursor and the purge
 * (JpaEventStoreProvider#clearExpiredEvents) are on its clock. Recorded once per stretch (a new gap starts where the last recorded one ended).
 */
async function recordExpiryGap(
  sql: postgres.Sql,
  sourceId: string,
  realm: string,
  expirationSec: number | null,
) {
  if (!expirationSec || expirationSec <= 0) return;
  await sql`
    insert into event_gaps (source_id, realm, kind, from_time, to_time, reason)
    select s.source_id, s.realm, s.kind,
           greatest(s.cursor_time, coalesce((select max(g.to_time) from event_gaps g
                    where g.source_id = s.source_id and g.realm = s.realm and g.kind = s.kind), s.cursor_time)),
           now() + make_interval(secs => coalesce(s.clock_skew_ms, 0) / 1000.0 - ${expirationSec}),
           ${`events expired (eventsExpiration = ${expirationSec} s) before they were read`}
    from sync_streams s
    where s.source_id = ${sourceId} and s.realm = ${realm} and s.kind = 'user' and s.cursor_time is not null
      and s.cursor_time < now() + make_interval(secs => coalesce(s.clock_skew_ms, 0) / 1000.0 - ${expirationSec})
      and greatest(s.cursor_time, coalesce((select max(g.to_time) from event_gaps g
                   where g.source_id = s.source_id and g.realm = s.realm and g.kind = s.kind), s.cursor_time))
          < now() + make_interval(secs => coalesce(s.clock_skew_ms, 0) / 1000.0 - ${expirationSec})`;
}
