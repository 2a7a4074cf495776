import type { ReactNode } from "react";

/** What a 404 says: which thing is unknown, why that may be, and the ways back. */
export function NotFoundState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="card" data-testid="not-found">
      <h1>{title}</h1>
      <p>{children}</p>
      <p>
        <a href="/">Back to the overview</a> · <a href="/events">Search the events</a> ·{" "}
        <a href="/patterns">All patterns</a>
      </p>
    </section>
  );
}
