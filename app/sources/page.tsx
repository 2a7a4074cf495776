import type { Metadata } from "next";
import { headers } from "next/headers";
import { connection } from "next/server";
import { DataTable, num } from "@/app/_components/data-table";
import { EnableEventTypes } from "@/app/_components/enable-event-types";
import { PushPanel, PushSourceForm } from "@/app/_components/push-panel";
import { SourceActions } from "@/app/_components/source-actions";
import { SourceForm } from "@/app/_components/source-form";
import { getAuthConfig } from "@/lib/auth/config";
import { publicOrigin } from "@/lib/auth/public-origin";
import { getSql } from "@/lib/db/sql";
import { type PushActivity, readPushActivity } from "@/lib/ingest/push/push-stats";
import { pushEndpoints, registerCommands } from "@/lib/ingest/push/register-commands";
import { listSourceStatus, type SourceStatus } from "@/lib/sources/list-source-status";
import { listPushSettings, type PushSettings } from "@/lib/sources/push-source";
import { formatCount } from "@/lib/time/format";
import { formatLag } from "@/lib/time/format-lag";

export const metadata: Metadata = { title: "Sources" };

export default async function SourcesPage() {
  await connection();
  const sql = getSql();
  const now = Date.now();
  const [sources, push, activity] = await Promise.all([
    listSourceStatus(sql),
    listPushSettings(sql),
    readPushActivity(sql, now),
  ]);
  const requestHeaders = await headers();
  const origin = publicOrigin(getAuthConfig(), {
    url: `http://${requestHeaders.get("host") ?? "localhost"}/sources`,
    headers: requestHeaders,
  }).origin;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Sources</h1>
          <p className="muted">
            The Keycloak servers realmwatch reads events from, how their sync is going, and what their realms
            save.
          </p>
        </div>
      </div>
      {sources.length === 0 ? (
        <p className="card empty" data-testid="empty-state">
          No source yet. Add a Keycloak server below: a confidential client with service-account roles
          view-events and view-realm (manage-events to enable event types from here; view-clients and
          view-users for the live checks of fix pages, whose example token needs both).
        </p>
      ) : (
        sources.map((s) => (
          <SourceCard
            key={s.id}
            source={s}
            push={push.get(s.id)}
            activity={activity.get(s.id)}
            origin={origin}
            now={now}
          />
        ))
      )}
      <section className="card" aria-labelledby="add-title">
        <h2 id="add-title">Add a source</h2>
        <SourceForm />
      </section>
      <section className="card" aria-labelledby="add-push-title">
        <h2 id="add-push-title">Add a push source</h2>
        <p className="muted">
          For realms that save no events: a Keycloak event listener (Phase Two's ext-event-webhook or
          ext-event-http) or a log shipper (Vector, Fluent Bit, Logstash) sends them as they happen. To take
          pushes from a server that is also synced, use "Take pushes" on its card instead: each event is then
          stored once, whichever way it comes first.
        </p>
        <PushSourceForm />
      </section>
    </>
  );
}

/** Keycloak's clock against realmwatch's, as the last sync measured it from the `Date` header. */
function formatSkew(ms: number | null): string {
  if (ms === null) return "unknown";
  if (Math.abs(ms) < 2_000) return "in step";
  return `${formatLag(Math.abs(ms) / 1000)} ${ms > 0 ? "ahead" : "behind"}`;
}

const STATUS_CLASS: Record<string, string> = {
  ok: "status-ok",
  partial: "status-warn",
  error: "status-error",
};

function SourceCard({
  source: s,
  push,
  activity,
  origin,
  now,
}: {
  source: SourceStatus;
  push: PushSettings | undefined;
  activity: PushActivity | undefined;
  origin: string;
  now: number;
}) {
  const endpoints = pushEndpoints(origin, s.id);
  return (
    <section className="card" aria-labelledby={`src-${s.id}`} data-testid="source-card">
      <div className="page-head">
        <h2 id={`src-${s.id}`}>{s.name}</h2>
        <span className={STATUS_CLASS[s.status] ?? "muted"}>
          {s.enabled ? `Status: ${s.status}` : "Disabled"}
        </span>
      </div>
      {s.statusMessage ? <p className="banner error">{s.statusMessage}</p> : null}
      <dl className="kv">
        <dt>Keycloak URL</dt>
        <dd>{s.serverUrl ?? (s.kind === "push" ? "— (pushes only)" : "— (import only)")}</dd>
        {s.kind === "push" ? null : (
          <>
            <dt>Service account</dt>
            <dd>
              {s.clientId ?? "—"} in realm {s.authRealm}
            </dd>
            <dt>Client secret</dt>
            <dd data-testid="secret-state">{s.secretSet ? "set" : "not set"}</dd>
            <dt>Realms</dt>
            <dd>{s.realms.includes("*") ? "every realm the account can see" : s.realms.join(", ")}</dd>
            <dt>Sync mode</dt>
            <dd>
              {s.syncMode}
              {s.detectedVersion ? ` (detected: ${s.detectedVersion})` : ""}
            </dd>
          </>
        )}
      </dl>
      {s.kind === "api" ? (
        <SourceActions
          sourceId={s.id}
          name={s.name}
          secretSet={s.secretSet}
          initial={{
            name: s.name,
            serverUrl: s.serverUrl ?? "",
            authRealm: s.authRealm,
            clientId: s.clientId ?? "",
            realms: s.realms.join(", "),
            syncMode: s.syncMode,
          }}
        />
      ) : null}
      {push ? (
        <PushPanel
          sourceId={s.id}
          pushEnabled={push.pushEnabled}
          acceptUnsigned={push.acceptUnsigned}
          jwtIssuer={push.jwtIssuer}
          jwtAudience={push.jwtAudience}
          {...endpoints}
          commands={registerCommands({
            ...endpoints,
            keycloakUrl: s.serverUrl,
            realm: s.realms.find((r) => r !== "*") ?? null,
            jwtAudience: push.jwtAudience,
          })}
          activity={{
            lastEvent:
              activity?.lastEventAt != null
                ? `${formatLag((now - activity.lastEventAt) / 1000)} ago`
                : "never",
            eventsPerMinute: activity?.eventsPerMinute ?? 0,
            rejected24h: activity?.rejected24h ?? 0,
            lastRejection: activity?.lastRejectReason ?? null,
          }}
        />
      ) : null}
      {s.kind === "push" ? null : (
        <>
          <h3>Sync streams</h3>
          {s.streams.length === 0 ? (
            <p className="empty">Not synced yet.</p>
          ) : (
            <DataTable
              columns={[
                "Realm",
                "Events",
                "Status",
                "Last success",
                num("Stored"),
                "Keycloak clock",
                "Last error",
              ]}
              caption={<>Sync streams of {s.name}</>}
              testId="sync-streams"
              wrap
            >
              {s.streams.map((t) => (
                <tr key={`${t.realm}/${t.kind}`}>
                  <td>{t.realm}</td>
                  <td>{t.kind === "admin" ? "admin events" : "user events"}</td>
                  <td className={STATUS_CLASS[t.status] ?? undefined}>{t.status}</td>
                  <td>{t.lagSec === null ? "never" : `${formatLag(t.lagSec)} ago`}</td>
                  <td className="num">{formatCount(t.eventsTotal)}</td>
                  <td>{formatSkew(t.clockSkewMs)}</td>
                  <td>{t.message ?? ""}</td>
                </tr>
              ))}
            </DataTable>
          )}
          <h3>Events configuration</h3>
          {s.realmHealth.length === 0 ? (
            <p className="empty">Not read yet: it is read on every sync.</p>
          ) : (
            <ul className="timeline" data-testid="realm-health">
              {s.realmHealth.map((r) => (
                <li
                  key={r.realm}
                  className={r.error || (r.health && r.health.findings.length > 0) ? "lockout" : undefined}
                >
                  <strong>{r.realm}</strong>:{" "}
                  {r.error ? (
                    <span className="status-error">{r.error}</span>
                  ) : !r.health ? (
                    <span className="muted">not read yet</span>
                  ) : r.health.findings.length === 0 ? (
                    <span className="status-ok">
                      user and admin events saved, every 403-relevant type enabled
                    </span>
                  ) : (
                    <ul>
                      {r.health.findings.map((f) => (
                        <li key={f}>{f}</li>
                      ))}
                    </ul>
                  )}
                  {r.health && r.health.missingTypes.length > 0 && s.kind === "api" ? (
                    <EnableEventTypes sourceId={s.id} realm={r.realm} missing={r.health.missingTypes} />
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
