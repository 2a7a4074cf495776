"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { fetchJson } from "./fetch-json";
import { type ActionStatus, StatusLine } from "./status-line";

/** Runs pattern detection now instead of waiting for the next scheduled run. */
export function DetectPatterns() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<ActionStatus | null>(null);
  async function detect() {
    setBusy(true);
    const r = await fetchJson<{
      result: { skipped: boolean; created: number; updated: number; resolved: number };
    }>("/api/patterns/refresh", "POST", { tz: Intl.DateTimeFormat().resolvedOptions().timeZone });
    setBusy(false);
    if (!r.ok) setStatus({ ok: false, text: r.message });
    else if (r.data.result.skipped)
      setStatus({ ok: true, text: "Detection is already running; try again shortly." });
    else {
      const { created, updated, resolved } = r.data.result;
      setStatus({ ok: true, text: `${created} new, ${updated} updated, ${resolved} resolved.` });
    }
    router.refresh();
  }
  return (
    <div>
      <button type="button" onClick={detect} disabled={busy} data-testid="detect-patterns">
        {busy ? "Detecting…" : "Detect now"}
      </button>
      <StatusLine status={status} />
    </div>
  );
}
