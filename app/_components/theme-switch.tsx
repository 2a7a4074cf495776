"use client";

import { useState } from "react";
import { THEME_COOKIE, type ThemeChoice } from "./format/theme-choice";

const NEXT: Record<ThemeChoice, ThemeChoice> = { system: "light", light: "dark", dark: "system" };
const TEXT: Record<ThemeChoice, string> = { system: "System", light: "Light", dark: "Dark" };

/**
 * The theme switch of the top bar: the system's preference, light, or dark, in turn. The choice is kept in a
 * cookie, which the layout reads to set data-theme on <html> in the server's answer, so a page never flashes
 * in the other theme.
 */
export function ThemeSwitch({ initial }: { initial: ThemeChoice }) {
  const [choice, setChoice] = useState(initial);
  const change = () => {
    const next = NEXT[choice];
    setChoice(next);
    const root = document.documentElement;
    if (next === "system") {
      root.removeAttribute("data-theme");
      // biome-ignore lint/suspicious/noDocumentCookie: the layout reads this cookie on the server, before painting
      document.cookie = `${THEME_COOKIE}=; path=/; max-age=0; samesite=lax`;
    } else {
      root.setAttribute("data-theme", next);
      // biome-ignore lint/suspicious/noDocumentCookie: the layout reads this cookie on the server, before painting
      document.cookie = `${THEME_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
    }
  };
  return (
    <button
      type="button"
      className="theme-switch"
      onClick={change}
      data-testid="theme-switch"
      title={`Theme: ${TEXT[choice]}. Choose ${TEXT[NEXT[choice]].toLowerCase()} next.`}
    >
      Theme: {TEXT[choice]}
    </button>
  );
}
