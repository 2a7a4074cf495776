import type { Metadata } from "next";
import { connection } from "next/server";
import { DataTable, num } from "@/app/_components/data-table";
import { EnableEventTypes } from "@/app/_components/enable-event-types";
import { SourceActions } from "@/app/_components/source-actions";
import { SourceForm } from "@/app/_components/source-form";
import { getSql } from "@/lib/db/sql";
import { listSourceStatus, type SourceStatus } from "@/lib/sources/list-source-status";
import { formatCount } from "@/lib/time/format";
import { formatLag } from "@/lib/time/format-lag";

export const metadata: Metadata = { title: "Sources" };

export default async function SourcesPage() {
  await connection();
  const sources = await listSourceStatus(getSql());
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
        sources.map((s) => <SourceCard key={s.id} source={s} />)
      )}
      <section className="card" aria-labelledby="add-title">
        <h2 id="add-title">Add a source</h2>
        <SourceForm />
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

function SourceCard({ source: s }: { source: SourceStatus }) {
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
        <dd>{s.serverUrl ?? "— (import only)"}</dd>
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
    </section>
  );
}
