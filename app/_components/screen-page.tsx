import { notFound } from "next/navigation";
import { type ReactNode, Suspense } from "react";
import type { Settled } from "@/lib/server/settle";
import { ErrorBanner } from "./error-banner";
import { LiveRefresh } from "./live-refresh";
import { TimeZoneSync } from "./time-zone-sync";

/**
 * The frame of a page that shows one loaded thing (a client, a user, a pattern): the page's body, or, when it could
 * not be loaded, its title over the reason. It is live: drawn again on the live interval (live-refresh.tsx).
 */
export function ScreenPage<T>({
  result,
  title,
  children,
}: {
  result: Settled<T>;
  title: string;
  children: (value: T) => ReactNode;
}) {
  // An unknown user, client or pattern is the route's 404 (its not-found.tsx says which, with the ways back).
  if (!result.ok && result.error.code === "not_found") notFound();
  return (
    <>
      <Suspense>
        <TimeZoneSync />
      </Suspense>
      <Suspense fallback={<div className="live-bar" />}>
        <LiveRefresh updatedAt={Date.now()} />
      </Suspense>
      {result.ok ? (
        children(result.value)
      ) : (
        <>
          <h1>{title}</h1>
          <ErrorBanner error={result.error} />
        </>
      )}
    </>
  );
}
