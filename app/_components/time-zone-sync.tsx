"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect } from "react";

/**
 * Pages draw times in the `tz` URL parameter's zone. When a URL has none, this puts the browser's zone there
 * (replacing the history entry), so links and shared URLs carry the zone the viewer actually saw.
 */
export function TimeZoneSync() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  useEffect(() => {
    if (params.has("tz")) return;
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!tz || tz === "UTC") return;
    const next = new URLSearchParams(params.toString());
    next.set("tz", tz);
    router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  }, [params, pathname, router]);
  return null;
}
