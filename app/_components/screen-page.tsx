import { type ReactNode, Suspense } from "react";
import type { Settled } from "@/lib/server/settle";
import { ErrorBanner } from "./error-banner";
import { TimeZoneSync } from "./time-zone-sync";

/**
 * The frame of a page that shows one loaded thing (a client, a user, a pattern): the page's body, or, when it could
 * not be loaded, its title over the reason.
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
  return (
    <>
      <Suspense>
        <TimeZoneSync />
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
