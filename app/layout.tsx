import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "realmwatch", template: "%s · realmwatch" },
  description: "Why is this request getting 403 (or 401), for whom, since when, and what do I fix?",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
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
            <a href="/sources">Sources</a>
            <a href="/token">Token analyzer</a>
          </nav>
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
