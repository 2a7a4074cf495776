"use client";

import { useEffect, useRef } from "react";

/**
 * Keeps a filter form equal to its page's URL after Back and Forward. The form's fields are drawn from the URL;
 * a page the browser restores from its back-forward cache still holds what was typed before leaving it (the
 * newer filters), so on such a return the form is reset to the values drawn from its own URL. (The form's
 * autocomplete="off" stops the browser restoring typed values into a freshly loaded page.)
 */
export function FormFollowsUrl() {
  const marker = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const onShow = (e: PageTransitionEvent) => {
      if (e.persisted) marker.current?.closest("form")?.reset();
    };
    window.addEventListener("pageshow", onShow);
    return () => window.removeEventListener("pageshow", onShow);
  }, []);
  return <span ref={marker} hidden />;
}
