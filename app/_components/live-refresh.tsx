"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { formatClock } from "@/lib/time/format";
import { DEFAULT_LIVE, LIVE_CHOICES, liveIntervalMs } from "@/lib/time/live-interval";
import { isTimeZone } from "@/lib/time/zoned-time";

/**
 * Why a refresh would disturb the person now, or null: new data must not move a row they are reading, a field they
 * are typing in or text they are selecting, and a hidden tab needs no data.
 */
function pauseReason(own: Element | null): string | null {
  if (document.hidden) return "tab hidden";
  const active = document.activeElement;
  if (active?.closest("form") && active.matches("input, select, textarea") && !own?.contains(active)) {
    return "editing a form";
  }
  const selection = window.getSelection();
  if (selection && !selection.isCollapsed && selection.toString().trim() !== "") return "text selected";
  if (document.querySelector('main [aria-expanded="true"]')) return "a row is open";
  return null;
}

/**
 * Live mode: the page's server components are fetched again every `live` interval (off, 10 s, 30 s by default,
 * 1 min; kept in the URL) without a reload, so the page keeps its scroll and the layout does not jump.
 * `updatedAt` is when the server drew the data shown, printed in the page's zone.
 */
export function LiveRefresh({ updatedAt }: { updatedAt: number }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const choice = params.get("live") ?? DEFAULT_LIVE;
  const interval = liveIntervalMs(choice);
  const tzParam = params.get("tz");
  const timeZone = tzParam && isTimeZone(tzParam) ? tzParam : "UTC";
  const own = useRef<HTMLDivElement>(null);
  const lastRefresh = useRef(0);
  const [paused, setPaused] = useState<string | null>(null);
  const [refreshing, startTransition] = useTransition();

  useEffect(() => {
    if (interval === null) {
      setPaused(null);
      return;
    }
    lastRefresh.current = Date.now();
    const tick = setInterval(
      () => {
        const reason = pauseReason(own.current);
        setPaused(reason);
        if (reason !== null || Date.now() - lastRefresh.current < interval) return;
        lastRefresh.current = Date.now();
        startTransition(() => router.refresh());
      },
      Math.min(1000, interval),
    );
    return () => clearInterval(tick);
  }, [interval, router]);

  function choose(value: string) {
    const next = new URLSearchParams(params.toString());
    if (value === DEFAULT_LIVE) next.delete("live");
    else next.set("live", value);
    const q = next.toString();
    router.replace(q ? `${pathname}?${q}` : pathname, { scroll: false });
  }

  const standard = LIVE_CHOICES.some((c) => c.value === choice);
  return (
    <div className="live-bar" ref={own} data-testid="live-bar">
      <label>
        Live{" "}
        <select value={choice} onChange={(e) => choose(e.target.value)} data-testid="live-choice">
          {standard ? null : <option value={choice}>every {choice}</option>}
          {LIVE_CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <span data-testid="live-updated">
        updated <time dateTime={new Date(updatedAt).toISOString()}>{formatClock(updatedAt, timeZone)}</time>
      </span>
      <span className="live-state muted" data-testid="live-state">
        {interval === null ? "" : refreshing ? "refreshing…" : paused ? `paused: ${paused}` : ""}
      </span>
    </div>
  );
}
