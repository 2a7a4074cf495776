"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useId, useState } from "react";
import { isTimeZone } from "@/lib/time/zoned-time";

/**
 * The zone every time on the page is drawn in, as the `tz` URL parameter: UTC, the browser's, or any IANA zone
 * typed or picked from the list. A zone that is not one leaves the page as it is.
 */
export function TimeZonePicker() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const current = params.get("tz") ?? "UTC";
  const [text, setText] = useState(current);
  // The browser's zone and the full list exist only in the browser: filled in after the first drawing, so the
  // server's and the browser's first drawings agree.
  const [zones, setZones] = useState<{ browser: string; all: string[] }>({ browser: "", all: [] });
  const listId = useId();

  useEffect(() => setText(current), [current]);
  useEffect(() => {
    setZones({
      browser: Intl.DateTimeFormat().resolvedOptions().timeZone,
      all: typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [],
    });
  }, []);

  function go(zone: string) {
    const tz = zone.trim();
    if (!isTimeZone(tz) || tz === current) return;
    const next = new URLSearchParams(params.toString());
    next.set("tz", tz);
    router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  }

  return (
    <form
      className="tz-picker"
      data-testid="tz-picker"
      onSubmit={(e) => {
        e.preventDefault();
        go(text);
      }}
    >
      <label htmlFor={`${listId}-tz`}>Time zone</label>
      <input
        id={`${listId}-tz`}
        list={listId}
        value={text}
        size={16}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => {
          setText(e.target.value);
          // A pick from the list is a whole zone: applied at once. Typing is applied on Enter or on leaving.
          if (zones.all.includes(e.target.value)) go(e.target.value);
        }}
        onBlur={() => go(text)}
        data-testid="tz-input"
      />
      <datalist id={listId}>
        <option value="UTC" />
        {zones.browser && zones.browser !== "UTC" ? (
          <option value={zones.browser}>browser's zone</option>
        ) : null}
        {zones.all.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      {zones.browser && zones.browser !== current ? (
        <button type="button" onClick={() => go(zones.browser)} data-testid="tz-browser">
          Browser's
        </button>
      ) : null}
      {current !== "UTC" ? (
        <button type="button" onClick={() => go("UTC")} data-testid="tz-utc">
          UTC
        </button>
      ) : null}
    </form>
  );
}
