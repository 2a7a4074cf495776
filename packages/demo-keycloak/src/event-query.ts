import { localDayTimeToEpoch, parseLegacyDay, parseModernDate } from "./event-dates";
import { type HttpError, httpError, NOT_FOUND, UNCAUGHT_SERVER_ERROR } from "./keycloak-errors";
import { EVENT_TYPE_NAMES, OPERATION_TYPES, RESOURCE_TYPES } from "./keycloak-vocabulary";

export type ServerMode = "modern" | "legacy";

/** A parsed events or admin-events query: what the JPA query would select, before paging. */
export interface EventQuerySpec {
  /** Inclusive bounds in epoch milliseconds. */
  from: number | null;
  to: number | null;
  order: "asc" | "desc";
  first: number;
  /** Negative: no limit. */
  max: number;
  /** Exact matches on store columns. */
  equals: Array<{ column: string; value: string }>;
  /** `column IN (...)`. */
  anyOf: Array<{ column: string; values: string[] }>;
  /** SQL LIKE on a column. */
  like: Array<{ column: string; pattern: string }>;
}

export interface QueryContext {
  mode: ServerMode;
  /** The JVM time zone legacy servers parse day strings in. */
  serverTimeZone: string;
}

/** Constants.DEFAULT_MAX_RESULTS. */
const DEFAULT_MAX_RESULTS = 100;
const JAVA_INT = /^[+-]?\d{1,10}$/;

function parseJavaInt(value: string): number | null {
  if (!JAVA_INT.test(value)) return null;
  const n = Number(value);
  return n >= -2147483648 && n <= 2147483647 ? n : null;
}

/** JAX-RS binds `first` and `max` before the resource method runs; a non-integer is its generic 404. */
export function parsePaging(params: URLSearchParams): { first: number; max: number } | HttpError {
  const rawFirst = params.get("first");
  const rawMax = params.get("max");
  const first = rawFirst === null ? 0 : parseJavaInt(rawFirst);
  const max = rawMax === null ? DEFAULT_MAX_RESULTS : parseJavaInt(rawMax);
  if (first === null || max === null) return NOT_FOUND;
  // PaginationUtils.paginateQuery applies first and max only when >= 0.
  return { first: Math.max(0, first), max };
}

function dateBounds(
  params: URLSearchParams,
  ctx: QueryContext,
  legacyToIsDayStart: boolean,
): { from: number | null; to: number | null } | HttpError {
  const rawFrom = params.get("dateFrom");
  const rawTo = params.get("dateTo");
  if (ctx.mode === "modern") {
    let from: number | null = null;
    let to: number | null = null;
    if (rawFrom !== null) {
      from = parseModernDate(rawFrom, "start");
      if (from === null)
        return httpError(
          400,
          "Invalid value for 'dateFrom', expected format is yyyy-MM-dd or an Epoch timestamp",
        );
    }
    if (rawTo !== null) {
      to = parseModernDate(rawTo, "end");
      if (to === null)
        return httpError(
          400,
          "Invalid value for 'dateTo', expected format is yyyy-MM-dd or an Epoch timestamp",
        );
    }
    return { from, to };
  }
  let from: number | null = null;
  let to: number | null = null;
  if (rawFrom !== null) {
    const day = parseLegacyDay(rawFrom);
    if (!day) return httpError(400, "Invalid value for 'Date(From)', expected format is yyyy-MM-dd");
    from = localDayTimeToEpoch(ctx.serverTimeZone, day);
  }
  if (rawTo !== null) {
    const day = parseLegacyDay(rawTo);
    if (!day) return httpError(400, "Invalid value for 'Date(To)', expected format is yyyy-MM-dd");
    // Old JpaEventQuery.toDate set 23:59:59.999 of the local day; old JpaAdminEventQuery.toTime kept the
    // local midnight, so an admin-events dateTo excluded the day it named.
    to = legacyToIsDayStart
      ? localDayTimeToEpoch(ctx.serverTimeZone, day)
      : localDayTimeToEpoch(ctx.serverTimeZone, day, { h: 23, mi: 59, s: 59, ms: 999 });
  }
  return { from, to };
}

function direction(params: URLSearchParams, ctx: QueryContext): "asc" | "desc" | HttpError {
  // Before 26.2 the parameter did not exist: it is ignored and results are always newest-first.
  if (ctx.mode === "legacy") return "desc";
  const raw = params.get("direction");
  if (raw === null || raw === "desc") return "desc";
  if (raw === "asc") return "asc";
  return httpError(400, "Invalid value for sortDirection, expected value is asc or desc");
}

function enumValues(
  params: URLSearchParams,
  key: string,
  allowed: ReadonlySet<string>,
): string[] | HttpError {
  const values = params.getAll(key);
  for (const v of values) if (!allowed.has(v)) return UNCAUGHT_SERVER_ERROR;
  return values;
}

function equalsFilters(params: URLSearchParams, pairs: ReadonlyArray<readonly [string, string]>) {
  const out: EventQuerySpec["equals"] = [];
  for (const [param, column] of pairs) {
    const v = params.get(param);
    if (v !== null) out.push({ column, value: v });
  }
  return out;
}

/**
 * GET /admin/realms/{realm}/events, after the realm and the caller's role were checked. The checks run
 * in Keycloak's order: the `type` values, then dateFrom, dateTo, then direction.
 */
export function parseUserEventQuery(
  params: URLSearchParams,
  paging: { first: number; max: number },
  ctx: QueryContext,
): EventQuerySpec | HttpError {
  const types = enumValues(params, "type", EVENT_TYPE_NAMES);
  if (!Array.isArray(types)) return types;
  const dates = dateBounds(params, ctx, false);
  if ("status" in dates) return dates;
  const order = direction(params, ctx);
  if (typeof order !== "string") return order;
  return {
    ...dates,
    order,
    ...paging,
    equals: equalsFilters(params, [
      ["client", "clientId"],
      ["user", "userId"],
      ["ipAddress", "ipAddress"],
    ]),
    anyOf: types.length > 0 ? [{ column: "type", values: types }] : [],
    like: [],
  };
}

/** GET /admin/realms/{realm}/admin-events, same order of checks. */
export function parseAdminEventQuery(
  params: URLSearchParams,
  paging: { first: number; max: number },
  ctx: QueryContext,
): EventQuerySpec | HttpError {
  const operationTypes = enumValues(params, "operationTypes", OPERATION_TYPES);
  if (!Array.isArray(operationTypes)) return operationTypes;
  const resourceTypes = enumValues(params, "resourceTypes", RESOURCE_TYPES);
  if (!Array.isArray(resourceTypes)) return resourceTypes;
  const dates = dateBounds(params, ctx, true);
  if ("status" in dates) return dates;
  const order = direction(params, ctx);
  if (typeof order !== "string") return order;
  const anyOf: EventQuerySpec["anyOf"] = [];
  if (operationTypes.length > 0) anyOf.push({ column: "operationType", values: operationTypes });
  if (resourceTypes.length > 0) anyOf.push({ column: "resourceType", values: resourceTypes });
  const resourcePath = params.get("resourcePath");
  return {
    ...dates,
    order,
    ...paging,
    equals: equalsFilters(params, [
      ["authRealm", "authRealmId"],
      ["authClient", "authClientId"],
      ["authUser", "authUserId"],
      ["authIpAddress", "authIpAddress"],
    ]),
    anyOf,
    // JpaAdminEventQuery.resourcePath: `*` becomes `%` in a LIKE.
    like:
      resourcePath === null ? [] : [{ column: "resourcePath", pattern: resourcePath.replaceAll("*", "%") }],
  };
}
