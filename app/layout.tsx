import type { Metadata } from "next";
import { cookies } from "next/headers";
import { type ReactNode, Suspense } from "react";
import { THEME_COOKIE, themeChoice } from "@/app/_components/format/theme-choice";
import { TableCardLabels } from "@/app/_components/table-card-labels";
import { ThemeSwitch } from "@/app/_components/theme-switch";
import { TimeZonePicker } from "@/app/_components/time-zone-picker";
import { getViewer } from "@/lib/auth/get-viewer";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "realmwatch", template: "%s · realmwatch" },
  description: "Why is this request getting 403 (or 401), for whom, since when, and what do I fix?",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const viewer = await getViewer();
  const theme = themeChoice((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" data-theme={theme === "system" ? undefined : theme}>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="topbar">
          <a href="/" className="brand">
            realmwatch
          </a>
          <nav aria-label="Main">
            <a href="/">Overview</a>
            <a href="/events">Events</a>
            <a href="/patterns">Patterns</a>
            <a href="/clients">Clients</a>
            <a href="/sources">Sources</a>
            <a href="/import">Import</a>
            <a href="/diagnose">Diagnose</a>
            <a href="/token">Token analyzer</a>
          </nav>
          <Suspense>
            <TimeZonePicker />
          </Suspense>
          {/* Who is signed in and the theme stay together when the bar wraps. */}
          <div className="topbar-end">
            <div className="viewer" data-testid="viewer">
              {viewer?.anonymous ? (
                <span title="Bound to loopback without sign-in">local mode</span>
              ) : viewer ? (
                <form method="post" action="/api/auth/logout">
                  <span>
                    {viewer.name} ({viewer.role})
                  </span>{" "}
                  <button type="submit">Sign out</button>
                </form>
              ) : (
                <a href="/signin">Sign in</a>
              )}
            </div>
            <ThemeSwitch initial={theme} />
          </div>
        </header>
        <main id="main">{children}</main>
        <TableCardLabels />
      </body>
    </html>
  );
}
