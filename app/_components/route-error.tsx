"use client";

/**
 * The error boundary of a dashboard route: an unexpected failure (expected ones are shown in place as banners).
 * The details went to the server log; the digest lets an operator find them.
 */
export function RouteError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="banner error" role="alert" data-testid="route-error">
      <strong>This page failed to load.</strong> The error was logged on the server
      {error.digest ? (
        <>
          {" "}
          (reference <code>{error.digest}</code>)
        </>
      ) : null}
      .{" "}
      <button type="button" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
