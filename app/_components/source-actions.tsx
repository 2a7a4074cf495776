"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import type { SourceTestResult } from "@/lib/sources/test-source";
import { ConfirmDialog } from "./confirm-dialog";
import { fetchJson } from "./fetch-json";
import { SourceForm, type SourceFormValues } from "./source-form";
import { type ActionStatus, StatusLine } from "./status-line";

/** Test, sync now, edit and remove one source. Results and Keycloak's errors are announced in a status region. */
export function SourceActions({
  sourceId,
  name,
  initial,
  secretSet,
}: {
  sourceId: string;
  name: string;
  initial: SourceFormValues;
  secretSet: boolean;
}) {
  const router = useRouter();
  const [busy, setBusy] = useState<string | null>(null);
  const [status, setStatus] = useState<ActionStatus | null>(null);
  const [test, setTest] = useState<SourceTestResult | null>(null);
  const [editing, setEditing] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);

  async function run(label: string, action: () => Promise<ActionStatus>) {
    setBusy(label);
    setStatus(null);
    const result = await action();
    setBusy(null);
    setStatus(result);
    router.refresh();
  }

  const testNow = () =>
    run("test", async () => {
      const r = await fetchJson<{ result: SourceTestResult }>(`/api/sources/${sourceId}/test`, "POST");
      if (!r.ok) return { ok: false, text: r.message };
      setTest(r.data.result);
      return { ok: r.data.result.ok, text: r.data.result.message };
    });

  const syncNow = () =>
    run("sync", async () => {
      const r = await fetchJson<{
        outcomes: { status: string; message: string | null; streams: { stored: number }[] }[];
      }>("/api/sync", "POST", { sourceId });
      if (!r.ok) return { ok: false, text: r.message };
      const o = r.data.outcomes[0];
      if (!o) return { ok: false, text: "The source is disabled or not synced through the API." };
      const stored = o.streams.reduce((n, s) => n + s.stored, 0);
      return {
        ok: o.status === "ok",
        text: `Sync ${o.status}: ${stored} new events stored.${o.message ? ` ${o.message}` : ""}`,
      };
    });

  async function remove(withEvents: boolean) {
    dialog.current?.close();
    await run("remove", async () => {
      const r = await fetchJson(
        `/api/sources/${sourceId}?events=${withEvents ? "delete" : "keep"}`,
        "DELETE",
      );
      return r.ok ? { ok: true, text: `Removed "${name}".` } : { ok: false, text: r.message };
    });
  }

  return (
    <div>
      <div className="actions">
        <button type="button" onClick={testNow} disabled={busy !== null} data-testid="test-source">
          {busy === "test" ? "Testing…" : "Test connection"}
        </button>
        <button type="button" onClick={syncNow} disabled={busy !== null} data-testid="sync-now">
          {busy === "sync" ? "Syncing…" : "Sync now"}
        </button>
        <button type="button" onClick={() => setEditing((e) => !e)} aria-expanded={editing}>
          Edit
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => dialog.current?.showModal()}
          disabled={busy !== null}
        >
          Remove
        </button>
      </div>
      <StatusLine status={status} testId="source-status" />
      {test && test.realms.length > 0 ? (
        <ul data-testid="test-result">
          {test.realms.map((r) => (
            <li key={r.realm}>
              <strong>{r.realm}</strong>:{" "}
              {r.error ? (
                <span className="status-error">{r.error}</span>
              ) : r.health && r.health.findings.length > 0 ? (
                r.health.findings.join(" ")
              ) : (
                <span className="status-ok">events configuration readable, nothing missing</span>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {editing ? (
        <SourceForm
          sourceId={sourceId}
          initial={initial}
          secretSet={secretSet}
          onDone={() => setEditing(false)}
        />
      ) : null}
      <ConfirmDialog
        dialog={dialog}
        title={<>Remove “{name}”?</>}
        actions={
          <>
            <button type="button" className="danger" onClick={() => remove(false)}>
              Remove, keep events
            </button>
            <button type="button" className="danger" onClick={() => remove(true)}>
              Remove and delete its events
            </button>
          </>
        }
      >
        <p>realmwatch stops syncing it. Its stored events stay searchable unless you delete them too.</p>
      </ConfirmDialog>
    </div>
  );
}
