import type { AppError } from "@/lib/server/errors";

/** An expected failure (a bad filter, Keycloak or the database unreachable) in words, instead of a crash. */
export function ErrorBanner({
  error,
  title = "This could not be shown",
}: {
  error: AppError;
  title?: string;
}) {
  return (
    <div className="banner error" role="alert" data-testid="error-banner">
      <strong>{title}.</strong> {error.message}
    </div>
  );
}
