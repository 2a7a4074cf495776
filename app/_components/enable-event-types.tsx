"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { ConfirmDialog } from "./confirm-dialog";
import { fetchJson } from "./fetch-json";
import { type ActionStatus, StatusLine } from "./status-line";

/**
 * Adds the recommended 403-relevant event types to a realm's saved types, after an explicit confirmation. Only
 * enabledEventTypes is written (lib/keycloak/events-config.ts). The change needs the manage-events role; when
 * Keycloak refuses, its own sentence is shown.
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
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<ActionStatus | null>(null);

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
      <StatusLine status={status} />
      <ConfirmDialog
        dialog={dialog}
        title={<>Change the events configuration of realm “{realm}”?</>}
        actions={
          <button type="button" className="primary" onClick={confirm} data-testid="confirm-enable">
            Enable them
          </button>
        }
      >
        <p>
          Keycloak will also save these event types: <code>{missing.join(", ")}</code>. Only the list of saved
          types changes: listeners, expiration and admin-event settings are not sent. From then on the realm
          keeps an explicit list, so types a later Keycloak version saves by default are not added by
          themselves. This needs the <code>manage-events</code> role of realm-management for the service
          account; if Keycloak refuses, its own words are shown here.
        </p>
      </ConfirmDialog>
    </div>
  );
}
