"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useId, useState } from "react";
import { fetchJson } from "./fetch-json";
import { type ActionStatus, StatusLine } from "./status-line";

export interface SourceFormValues {
  name: string;
  serverUrl: string;
  authRealm: string;
  clientId: string;
  realms: string;
  syncMode: string;
}

const EMPTY: SourceFormValues = {
  name: "",
  serverUrl: "",
  authRealm: "master",
  clientId: "",
  realms: "*",
  syncMode: "auto",
};

/**
 * Adds a source, or edits one. The client secret is write-only: the form never shows it; left empty on edit it
 * keeps the stored secret, unless the URL or sign-in realm changes (the server then asks for it again).
 */
export function SourceForm({
  sourceId,
  initial,
  secretSet = false,
  onDone,
}: {
  sourceId?: string;
  initial?: SourceFormValues;
  secretSet?: boolean;
  onDone?: () => void;
}) {
  const router = useRouter();
  const uid = useId();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<ActionStatus | null>(null);
  const values = initial ?? EMPTY;
  const editing = sourceId !== undefined;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = Object.fromEntries(new FormData(form)) as Record<string, string>;
    setBusy(true);
    setMessage(null);
    const result = editing
      ? await fetchJson(`/api/sources/${sourceId}`, "PATCH", data)
      : await fetchJson("/api/sources", "POST", data);
    setBusy(false);
    if (!result.ok) {
      setMessage({ ok: false, text: result.message });
      return;
    }
    setMessage({
      ok: true,
      text: editing
        ? "Saved. The next sync uses the new settings."
        : "Source added; it syncs within the next poll.",
    });
    if (!editing) form.reset();
    router.refresh();
    onDone?.();
  }

  const field = (name: keyof SourceFormValues, label: string, hint?: string, required = true) => (
    <div className="field">
      <label htmlFor={`${uid}-${name}`}>{label}</label>
      <input
        id={`${uid}-${name}`}
        name={name}
        defaultValue={values[name]}
        required={required}
        aria-describedby={hint ? `${uid}-${name}-hint` : undefined}
      />
      {hint ? (
        <span className="hint" id={`${uid}-${name}-hint`}>
          {hint}
        </span>
      ) : null}
    </div>
  );

  return (
    <form
      className="filters"
      onSubmit={submit}
      data-testid={editing ? "edit-source-form" : "add-source-form"}
    >
      {field("name", "Name")}
      {field("serverUrl", "Keycloak URL", "e.g. https://sso.example.com (no /auth on Keycloak 17+)")}
      {field("authRealm", "Service account realm")}
      {field("clientId", "Client id", "A confidential client with Service accounts roles on")}
      <div className="field">
        <label htmlFor={`${uid}-secret`}>Client secret</label>
        <input
          id={`${uid}-secret`}
          name="clientSecret"
          type="password"
          autoComplete="off"
          required={!editing}
          aria-describedby={`${uid}-secret-hint`}
        />
        <span className="hint" id={`${uid}-secret-hint`}>
          {editing
            ? secretSet
              ? "Set. Leave empty to keep it; a new URL or sign-in realm needs it entered again."
              : "Not set."
            : "Stored encrypted; never shown again."}
        </span>
      </div>
      {field("realms", "Realms", "Comma-separated names, or * for every realm the account can see")}
      <div className="field">
        <label htmlFor={`${uid}-mode`}>Sync mode</label>
        <select id={`${uid}-mode`} name="syncMode" defaultValue={values.syncMode}>
          <option value="auto">Detect</option>
          <option value="ranged">Ranged (Keycloak 26.2+)</option>
          <option value="daily">Daily (older Keycloak)</option>
        </select>
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Saving…" : editing ? "Save changes" : "Add source"}
        </button>
        {editing && onDone ? (
          <button type="button" onClick={onDone}>
            Cancel
          </button>
        ) : null}
      </div>
      <StatusLine status={message} />
    </form>
  );
}
