import { ORIGINS } from "@/lib/keycloak/types";
import { OPERATION_TYPES } from "@/lib/queries/events/admin-event-filter";
import {
  CauseField,
  CheckGroup,
  FilterActions,
  FilterForm,
  type FilterProps,
  SelectField,
  TextField,
} from "./filter-fields";
import { RangeFields } from "./range-fields";
import { RealmFields } from "./realm-fields";

const ORIGIN_LABELS: Record<(typeof ORIGINS)[number], string> = {
  api: "Keycloak API",
  log: "Event log",
  "access-log": "Access log",
  report: "Resource-server report",
};

const ORIGIN_CHOICES = ORIGINS.map((o) => ({ value: o, label: ORIGIN_LABELS[o] }));
const OPERATION_CHOICES = OPERATION_TYPES.map((o) => ({ value: o, label: o }));
const OUTCOME_CHOICES = [
  { value: "all", label: "All events" },
  { value: "failures", label: "Failures only" },
];

/** A filter that may repeat in the URL, shown as one comma-separated value. */
const many = (params: URLSearchParams, key: string) => params.getAll(key).join(", ");

/**
 * The user-event filters as a plain GET form: every filter lands in the URL, works without JavaScript, and the
 * fields show what was typed even when it was rejected.
 */
export function UserEventFilters({ params, timeZone, options }: FilterProps) {
  const v = (key: string) => many(params, key);
  return (
    <FilterForm action="/events" testId="event-filters" timeZone={timeZone}>
      <RealmFields {...options} sourceId={params.get("source")} realm={params.get("realm")} />
      <TextField
        name="type"
        label="Event types"
        value={v("type")}
        placeholder="LOGIN_ERROR, CLIENT_LOGIN_ERROR"
      />
      <TextField name="error" label="Error" value={v("error")} placeholder="invalid_user_credentials" />
      <CauseField params={params} />
      <TextField
        name="client"
        label="Client"
        value={v("client")}
        placeholder="clientId"
        hint="A client id, its start or any part of 3+ characters; several separated by commas."
      />
      <TextField
        name="user"
        label="User"
        value={v("user")}
        hint="An id, or a username or e-mail (past ones too) as a whole, its start or any part of 3+ characters; several separated by commas."
      />
      <TextField name="ip" label="IP address" value={v("ip")} />
      <SelectField
        name="outcome"
        label="Outcome"
        value={params.get("outcome") ?? "all"}
        choices={OUTCOME_CHOICES}
      />
      <RangeFields params={params} timeZone={timeZone} />
      <CheckGroup legend="Origin" name="origin" params={params} choices={ORIGIN_CHOICES} />
      <FilterActions submit="Apply filters" reset={`/events?tz=${encodeURIComponent(timeZone)}`} />
    </FilterForm>
  );
}

export function AdminEventFilters({ params, timeZone, options }: FilterProps) {
  const v = (key: string) => many(params, key);
  return (
    <FilterForm action="/events" testId="admin-event-filters" timeZone={timeZone} hidden={{ tab: "admin" }}>
      <RealmFields {...options} sourceId={params.get("source")} realm={params.get("realm")} />
      <TextField
        name="resourceType"
        label="Resource types"
        value={v("resourceType")}
        placeholder="USER, CLIENT"
      />
      <TextField
        name="resourcePath"
        label="Resource path"
        value={v("resourcePath")}
        placeholder="users/<id>*"
        hint="* matches anything, as in Keycloak."
      />
      <TextField name="authUser" label="Admin user id" value={v("authUser")} />
      <TextField name="authIp" label="Admin IP address" value={v("authIp")} />
      <RangeFields params={params} timeZone={timeZone} />
      <CheckGroup legend="Operation" name="operation" params={params} choices={OPERATION_CHOICES} />
      <FilterActions submit="Apply filters" reset={`/events?tab=admin&tz=${encodeURIComponent(timeZone)}`} />
    </FilterForm>
  );
}
