/** What a route shows while its data loads. */
export function LoadingState({ what }: { what: string }) {
  return (
    <p className="card empty" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}
