/** The theme cookie: the layout reads it on the server, the theme switch writes it in the browser. */
export const THEME_COOKIE = "realmwatch-theme";
export type ThemeChoice = "system" | "light" | "dark";

/** Anything else than light or dark follows the system's preference. */
export function themeChoice(value: string | undefined): ThemeChoice {
  return value === "light" || value === "dark" ? value : "system";
}
