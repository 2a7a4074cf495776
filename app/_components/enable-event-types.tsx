"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { fetchJson } from "./fetch-json";

/**
 * Adds the recommended 403-relevant event types to a realm's saved types, after an explicit confirmation. The
 * change needs the manage-events role; when Keycloak refuses, its answer is shown as it came.
 */
export function EnableEventTypes({
  sourceId,
  realm,
  missing,
}: {
  sourceId: string;
  realm: string;
  missing: string[];
}) {
  const router = useRouter();
  const uid = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);

  async function confirm() {
    dialog.current?.close();
    setBusy(true);
    const r = await fetchJson<{ added: string[] }>(`/api/sources/${sourceId}/events-config`, "POST", {
      realm,
      confirm: true,
    });
    setBusy(false);
    setStatus(
      r.ok
        ? {
            ok: true,
            text: r.data.added.length > 0 ? `Enabled ${r.data.added.join(", ")}.` : "Already enabled.",
          }
        : { ok: false, text: r.message },
    );
    router.refresh();
  }

  return (
    <div>
      <button
        type="button"
        onClick={() => dialog.current?.showModal()}
        disabled={busy}
        data-testid="enable-event-types"
      >
        {busy ? "Enabling…" : "Enable recommended event types"}
      </button>
      <p role="status" className={status ? (status.ok ? "status-ok" : "status-error") : undefined}>
        {status?.text ?? ""}
      </p>
      <dialog ref={dialog} aria-labelledby={`${uid}-title`}>
        <h2 id={`${uid}-title`}>Change the events configuration of realm “{realm}”?</h2>
        <p>
          Keycloak will also save these event types: <code>{missing.join(", ")}</code>. Nothing else in the
          configuration changes. This needs the <code>manage-events</code> role of realm-management for the
          service account.
        </p>
        <div className="actions">
          <button type="button" className="primary" onClick={confirm} data-testid="confirm-enable">
            Enable them
          </button>
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </dialog>
    </div>
  );
}
