import { CAUSE_IDS, CAUSES } from "@/lib/classify/causes";
import { ORIGINS } from "@/lib/keycloak/types";
import { OPERATION_TYPES } from "@/lib/queries/events/admin-event-filter";
import type { RealmOption, SourceOption } from "@/lib/queries/list-realm-options";
import { RangeFields } from "./range-fields";
import { RealmFields } from "./realm-fields";

interface FilterProps {
  params: URLSearchParams;
  timeZone: string;
  options: { sources: SourceOption[]; realms: RealmOption[] };
}

const ORIGIN_LABELS: Record<(typeof ORIGINS)[number], string> = {
  api: "Keycloak API",
  log: "Event log",
  "access-log": "Access log",
  report: "Resource-server report",
};

/**
 * The user-event filters as a plain GET form: every filter lands in the URL, works without JavaScript, and the
 * fields show what was typed even when it was rejected.
 */
export function UserEventFilters({ params, timeZone, options }: FilterProps) {
  const v = (key: string) => params.getAll(key).join(", ");
  const origins = new Set(params.getAll("origin").flatMap((o) => o.split(",")));
  return (
    <form method="get" action="/events" className="filters" data-testid="event-filters">
      <input type="hidden" name="tz" value={timeZone} />
      <RealmFields {...options} sourceId={params.get("source")} realm={params.get("realm")} />
      <div className="field">
        <label htmlFor="f-type">Event types</label>
        <input
          id="f-type"
          name="type"
          defaultValue={v("type")}
          placeholder="LOGIN_ERROR, CLIENT_LOGIN_ERROR"
        />
      </div>
      <div className="field">
        <label htmlFor="f-error">Error</label>
        <input id="f-error" name="error" defaultValue={v("error")} placeholder="invalid_user_credentials" />
      </div>
      <div className="field">
        <label htmlFor="f-cause">Cause</label>
        <select id="f-cause" name="cause" defaultValue={params.get("cause") ?? ""}>
          <option value="">Any cause</option>
          {CAUSE_IDS.map((id) => (
            <option key={id} value={id}>
              {CAUSES[id].title}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-client">Client</label>
        <input id="f-client" name="client" defaultValue={v("client")} placeholder="clientId" />
      </div>
      <div className="field">
        <label htmlFor="f-user">User</label>
        <input id="f-user" name="user" defaultValue={v("user")} aria-describedby="f-user-hint" />
        <span className="hint" id="f-user-hint">
          Id, username or e-mail, past ones too; several separated by commas.
        </span>
      </div>
      <div className="field">
        <label htmlFor="f-ip">IP address</label>
        <input id="f-ip" name="ip" defaultValue={v("ip")} />
      </div>
      <div className="field">
        <label htmlFor="f-outcome">Outcome</label>
        <select id="f-outcome" name="outcome" defaultValue={params.get("outcome") ?? "all"}>
          <option value="all">All events</option>
          <option value="failures">Failures only</option>
        </select>
      </div>
      <RangeFields params={params} timeZone={timeZone} />
      <fieldset>
        <legend>Origin</legend>
        {ORIGINS.map((o) => (
          <label key={o} className="check">
            <input type="checkbox" name="origin" value={o} defaultChecked={origins.has(o)} />
            {ORIGIN_LABELS[o]}
          </label>
        ))}
      </fieldset>
      <div className="actions">
        <button type="submit" className="primary">
          Apply filters
        </button>
        <a href={`/events?tz=${encodeURIComponent(timeZone)}`}>Reset</a>
      </div>
    </form>
  );
}

export function AdminEventFilters({ params, timeZone, options }: FilterProps) {
  const v = (key: string) => params.getAll(key).join(", ");
  const operations = new Set(params.getAll("operation").flatMap((o) => o.split(",")));
  return (
    <form method="get" action="/events" className="filters" data-testid="admin-event-filters">
      <input type="hidden" name="tab" value="admin" />
      <input type="hidden" name="tz" value={timeZone} />
      <RealmFields {...options} sourceId={params.get("source")} realm={params.get("realm")} />
      <div className="field">
        <label htmlFor="f-resource-type">Resource types</label>
        <input
          id="f-resource-type"
          name="resourceType"
          defaultValue={v("resourceType")}
          placeholder="USER, CLIENT"
        />
      </div>
      <div className="field">
        <label htmlFor="f-resource-path">Resource path</label>
        <input
          id="f-resource-path"
          name="resourcePath"
          defaultValue={v("resourcePath")}
          placeholder="users/<id>*"
          aria-describedby="f-resource-path-hint"
        />
        <span className="hint" id="f-resource-path-hint">
          * matches anything, as in Keycloak.
        </span>
      </div>
      <div className="field">
        <label htmlFor="f-auth-user">Admin user id</label>
        <input id="f-auth-user" name="authUser" defaultValue={v("authUser")} />
      </div>
      <div className="field">
        <label htmlFor="f-auth-ip">Admin IP address</label>
        <input id="f-auth-ip" name="authIp" defaultValue={v("authIp")} />
      </div>
      <RangeFields params={params} timeZone={timeZone} />
      <fieldset>
        <legend>Operation</legend>
        {OPERATION_TYPES.map((o) => (
          <label key={o} className="check">
            <input type="checkbox" name="operation" value={o} defaultChecked={operations.has(o)} />
            {o}
          </label>
        ))}
      </fieldset>
      <div className="actions">
        <button type="submit" className="primary">
          Apply filters
        </button>
        <a href={`/events?tab=admin&tz=${encodeURIComponent(timeZone)}`}>Reset</a>
      </div>
    </form>
  );
}
