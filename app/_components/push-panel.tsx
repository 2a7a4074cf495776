"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useId, useState } from "react";
import type { RegisterCommands } from "@/lib/ingest/push/register-commands";
import { fetchJson } from "./fetch-json";
import { type ActionStatus, StatusLine } from "./status-line";

interface Secrets {
  webhookSecret: string;
  pushToken: string;
}

export interface PushPanelProps {
  sourceId: string;
  pushEnabled: boolean;
  acceptUnsigned: boolean;
  jwtIssuer: string | null;
  jwtAudience: string | null;
  webhookUrl: string;
  logsUrl: string;
  commands: RegisterCommands;
  activity: {
    lastEvent: string;
    eventsPerMinute: number;
    rejected24h: number;
    lastRejection: string | null;
  };
}

/**
 * A source's pushes (the Sources page is for admins only): its URLs, what it received and refused, the commands
 * that register the webhook or a log shipper, its settings, and its secrets, shown only when asked for (or once,
 * right after they are made) and never part of the page's HTML.
 */
export function PushPanel(props: PushPanelProps) {
  const router = useRouter();
  const uid = useId();
  const [busy, setBusy] = useState<string | null>(null);
  const [status, setStatus] = useState<ActionStatus | null>(null);
  const [secrets, setSecrets] = useState<Secrets | null>(null);

  async function run(label: string, action: () => Promise<ActionStatus>) {
    setBusy(label);
    setStatus(null);
    setStatus(await action());
    setBusy(null);
    router.refresh();
  }

  const patch = (label: string, body: Record<string, unknown>, done: string) =>
    run(label, async () => {
      const r = await fetchJson<{ secrets?: Secrets }>(`/api/sources/${props.sourceId}/push`, "PATCH", body);
      if (!r.ok) return { ok: false, text: r.message };
      if (r.data.secrets) setSecrets(r.data.secrets);
      else if (body.enabled === false) setSecrets(null);
      return { ok: true, text: done };
    });

  const reveal = () =>
    run("reveal", async () => {
      const r = await fetchJson<{ secrets: Secrets }>(`/api/sources/${props.sourceId}/push/secrets`, "POST");
      if (!r.ok) return { ok: false, text: r.message };
      setSecrets(r.data.secrets);
      return { ok: true, text: "Secrets shown below. Each showing is recorded in the audit log." };
    });

  function saveSettings(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    void patch(
      "settings",
      {
        acceptUnsigned: data.get("acceptUnsigned") === "on",
        jwtIssuer: String(data.get("jwtIssuer") ?? ""),
        jwtAudience: String(data.get("jwtAudience") ?? ""),
      },
      "Push settings saved.",
    );
  }

  if (!props.pushEnabled) {
    return (
      <div data-testid="push-panel">
        <h3>Pushes</h3>
        <p className="muted">
          Off. Turn them on to receive events from a Keycloak event listener (Phase Two's ext-event-webhook or
          ext-event-http) or a log shipper, as they happen, even from realms that save no events.
        </p>
        <div className="actions">
          <button
            type="button"
            onClick={() => patch("enable", { enabled: true }, "Pushes on. Copy the secrets now.")}
            disabled={busy !== null}
            data-testid="push-enable"
          >
            {busy === "enable" ? "Turning on…" : "Take pushes"}
          </button>
        </div>
        <StatusLine status={status} />
        {secrets ? <SecretBox secrets={secrets} /> : null}
      </div>
    );
  }

  const a = props.activity;
  return (
    <div data-testid="push-panel">
      <h3>Pushes</h3>
      <dl className="kv">
        <dt>Webhook URL</dt>
        <dd>
          <code data-testid="push-webhook-url">{props.webhookUrl}</code>
        </dd>
        <dt>Log shipping URL</dt>
        <dd>
          <code>{props.logsUrl}</code>
        </dd>
        <dt>Authentication</dt>
        <dd>
          X-Keycloak-Signature (webhook secret), Bearer push token
          {props.jwtIssuer ? `, Bearer JWT of ${props.jwtIssuer}` : ""}
          {props.acceptUnsigned ? "; unsigned pushes accepted" : "; unsigned pushes refused"}
        </dd>
        <dt>Last event received</dt>
        <dd data-testid="push-last-event">{a.lastEvent}</dd>
        <dt>Events per minute</dt>
        <dd>{a.eventsPerMinute} (last 5 minutes)</dd>
        <dt>Rejected pushes</dt>
        <dd data-testid="push-rejected">
          {a.rejected24h} in the last 24 hours{a.lastRejection ? `; last: ${a.lastRejection}` : ""}
        </dd>
      </dl>
      <div className="actions">
        <button type="button" onClick={reveal} disabled={busy !== null} data-testid="push-reveal">
          {busy === "reveal" ? "Loading…" : "Show secrets"}
        </button>
        <button
          type="button"
          onClick={() =>
            patch(
              "renew",
              { renewSecrets: true },
              "New secrets made: the old ones no longer work. Copy them now.",
            )
          }
          disabled={busy !== null}
        >
          {busy === "renew" ? "Renewing…" : "Renew secrets"}
        </button>
        <button
          type="button"
          onClick={() => patch("disable", { enabled: false }, "Pushes off: every push is now refused.")}
          disabled={busy !== null}
        >
          Turn pushes off
        </button>
      </div>
      <StatusLine status={status} testId="push-status" />
      {secrets ? <SecretBox secrets={secrets} /> : null}
      <details>
        <summary>Register the webhook with kcadm.sh (HMAC)</summary>
        <pre data-testid="push-kcadm">{props.commands.kcadm}</pre>
      </details>
      <details>
        <summary>Register the webhook with curl</summary>
        <pre>{props.commands.curl}</pre>
      </details>
      <details>
        <summary>Register the webhook with a realm-signed JWT instead of a secret</summary>
        <pre>{props.commands.kcadmBearer}</pre>
        <p className="muted">Set this source's realm issuer and audience below to match.</p>
      </details>
      <details>
        <summary>Ship the server log with Vector</summary>
        <pre>{props.commands.vector}</pre>
      </details>
      <details>
        <summary>Ship the server log with Fluent Bit</summary>
        <pre>{props.commands.fluentBit}</pre>
      </details>
      <details>
        <summary>Send a log file once with curl</summary>
        <pre>{props.commands.curlLogs}</pre>
      </details>
      <form className="filters" onSubmit={saveSettings} data-testid="push-settings">
        <div className="field">
          <label htmlFor={`${uid}-iss`}>Realm issuer (for Bearer JWTs)</label>
          <input
            id={`${uid}-iss`}
            name="jwtIssuer"
            defaultValue={props.jwtIssuer ?? ""}
            placeholder="https://sso.example.com/realms/acme"
          />
        </div>
        <div className="field">
          <label htmlFor={`${uid}-aud`}>JWT audience</label>
          <input id={`${uid}-aud`} name="jwtAudience" defaultValue={props.jwtAudience ?? ""} />
        </div>
        <div className="field">
          <label htmlFor={`${uid}-unsigned`}>
            <input
              id={`${uid}-unsigned`}
              type="checkbox"
              name="acceptUnsigned"
              defaultChecked={props.acceptUnsigned}
            />{" "}
            Accept unsigned pushes
          </label>
        </div>
        <div className="actions">
          <button type="submit" disabled={busy !== null}>
            {busy === "settings" ? "Saving…" : "Save push settings"}
          </button>
        </div>
      </form>
    </div>
  );
}

function SecretBox({ secrets }: { secrets: Secrets }) {
  return (
    <pre data-testid="push-secrets">
      {`export WEBHOOK_SECRET='${secrets.webhookSecret}'\nexport PUSH_TOKEN='${secrets.pushToken}'`}
    </pre>
  );
}

/** Adds a source fed only by pushes; its secrets are shown once, right after. */
export function PushSourceForm() {
  const router = useRouter();
  const uid = useId();
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<ActionStatus | null>(null);
  const [secrets, setSecrets] = useState<Secrets | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get("name") ?? "");
    setBusy(true);
    const r = await fetchJson<{ secrets: Secrets }>("/api/sources/push", "POST", { name });
    setBusy(false);
    if (!r.ok) {
      setStatus({ ok: false, text: r.message });
      return;
    }
    setSecrets(r.data.secrets);
    setStatus({
      ok: true,
      text: `Push source "${name}" added. Copy its secrets now; its URLs are in its card.`,
    });
    form.reset();
    router.refresh();
  }

  return (
    <form className="filters" onSubmit={submit} data-testid="add-push-source-form">
      <div className="field">
        <label htmlFor={`${uid}-name`}>Name</label>
        <input id={`${uid}-name`} name="name" required />
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Adding…" : "Add push source"}
        </button>
      </div>
      <StatusLine status={status} testId="push-source-status" />
      {secrets ? <SecretBox secrets={secrets} /> : null}
    </form>
  );
}
