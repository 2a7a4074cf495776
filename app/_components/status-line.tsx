/** What an action answered: `ok` shows it as done, otherwise as the reason it failed. */
export interface ActionStatus {
  ok: boolean;
  text: string;
}

/** The answer of the last action, announced to screen readers; empty until there is one. */
export function StatusLine({ status, testId }: { status: ActionStatus | null; testId?: string }) {
  return (
    <p
      role="status"
      className={status ? (status.ok ? "status-ok" : "status-error") : undefined}
      data-testid={testId}
    >
      {status?.text ?? ""}
    </p>
  );
}
