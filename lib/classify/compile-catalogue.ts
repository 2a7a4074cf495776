import { CONDITIONS } from "@/lib/classify/conditions";
import {
  type DetailMatch,
  type HttpMatch,
  matchesText,
  type ResponseMatch,
  type Rule,
  ruleSpecificity,
} from "@/lib/classify/rule";
import type { Facts } from "@/lib/classify/types";
import { ORIGINS } from "@/lib/keycloak/types";

export interface CompiledRule {
  rule: Rule;
  specificity: number;
  order: number;
  /** Checks every constraint the index does not already guarantee. */
  test: (facts: Facts) => boolean;
  /** The origins the rule accepts (null: any); test() checks this first. */
  origins: ReadonlySet<unknown> | null;
  /**
   * Whether test() surely refuses an input without `http`, and the statuses it accepts (null: any), when
   * no check before the HTTP one can throw (a type pattern may, on odd input): only then may a candidate
   * list leave the rule out without changing any answer.
   */
  needsHttp: boolean;
  statuses: ReadonlySet<unknown> | null;
}

export interface CompiledCatalogue {
  /** Rules that can match this type and error (error "" = none), most specific first. */
  candidates(type: string, error: string): readonly CompiledRule[];
  /**
   * The same list without the rules that would refuse this origin or HTTP status at once: an access-log
   * denial met all forty HTTP rules, most of them for another status or another origin.
   */
  candidatesFor(type: string, error: string, origin: unknown, http: unknown): readonly CompiledRule[];
  readonly size: number;
}

const CACHE_LIMIT = 4096;
/** Origin and status pairs kept per type and error; hostile statuses beyond it are filtered uncached. */
const SHAPE_LIMIT = 64;
const ORIGIN_INDEX = new Map<unknown, number>(ORIGINS.map((origin, i) => [origin, i + 1]));
const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const READ_METHODS = new Set(["GET", "HEAD"]);

/**
 * Turns the catalogue into an index by exact type and error, so an event only meets the rules that can
 * match it, and precompiles each rule's remaining constraints into one closure. Candidate lists are cached
 * per (type, error); unbounded hostile type names fall back to an uncached merge.
 */
export function compileCatalogue(rules: readonly Rule[]): CompiledCatalogue {
  const byTypeAndError = new Map<string, Map<string, CompiledRule[]>>();
  const byType = new Map<string, CompiledRule[]>();
  const byError = new Map<string, CompiledRule[]>();
  const anywhere: CompiledRule[] = [];
  const seen = new Set<string>();

  rules.forEach((rule, order) => {
    if (seen.has(rule.id)) throw new Error(`Duplicate rule id ${rule.id}`);
    seen.add(rule.id);
    assertStatelessPatterns(rule);
    assertPlainStatuses(rule);
    const m = rule.match;
    const httpFirst = m.http !== undefined && !(m.type instanceof RegExp);
    const compiled: CompiledRule = {
      rule,
      order,
      specificity: ruleSpecificity(m),
      test: compileTest(rule),
      origins: m.origin === undefined ? null : new Set(typeof m.origin === "string" ? [m.origin] : m.origin),
      needsHttp: httpFirst,
      statuses:
        httpFirst && m.http?.status !== undefined
          ? new Set(typeof m.http.status === "number" ? [m.http.status] : m.http.status)
          : null,
    };
    const types = exactValues(rule.match.type);
    const errors = rule.match.error === null ? [""] : exactValues(rule.match.error);
    if (types !== null && errors !== null) {
      for (const type of types) {
        let inner = byTypeAndError.get(type);
        if (inner === undefined) {
          inner = new Map();
          byTypeAndError.set(type, inner);
        }
        for (const error of errors) push(inner, error, compiled);
      }
    } else if (types !== null) {
      for (const type of types) push(byType, type, compiled);
    } else if (errors !== null) {
      for (const error of errors) push(byError, error, compiled);
    } else {
      anywhere.push(compiled);
    }
  });

  interface Entry {
    all: readonly CompiledRule[];
    /** Keyed by shapeKey(). */
    byShape: Map<number, readonly CompiledRule[]>;
  }
  const cache = new Map<string, Map<string, Entry>>();
  let cached = 0;

  const merge = (type: string, error: string): CompiledRule[] => {
    const list = [
      ...(byTypeAndError.get(type)?.get(error) ?? []),
      ...(byType.get(type) ?? []),
      ...(byError.get(error) ?? []),
      ...anywhere,
    ];
    return list.sort((a, b) => b.specificity - a.specificity || a.order - b.order);
  };

  const entry = (type: string, error: string): Entry => {
    const forType = cache.get(type);
    const hit = forType?.get(error);
    if (hit !== undefined) return hit;
    const made: Entry = { all: merge(type, error), byShape: new Map() };
    if (cached < CACHE_LIMIT) {
      if (forType === undefined) cache.set(type, new Map([[error, made]]));
      else forType.set(error, made);
      cached++;
    }
    return made;
  };

  return {
    size: rules.length,
    candidates(type, error) {
      return entry(type, error).all;
    },
    candidatesFor(type, error, origin, http) {
      const { all, byShape } = entry(type, error);
      const status = http == null ? undefined : (http as { status?: unknown }).status;
      const key = shapeKey(origin, http != null, status);
      const hit = byShape.get(key);
      if (hit !== undefined) return hit;
      const list = all.filter((c) => admits(c, origin, http != null, status));
      if (byShape.size < SHAPE_LIMIT) byShape.set(key, list);
      return list;
    },
  };
}

/**
 * One number per (origin, has HTTP, status) for which admits() gives the same answers: the origin's index
 * (0 for any unknown origin, which no rule names), then 0 without HTTP, the status + 2 for integers
 * 0-998, and 1 for any other status (no rule names one).
 */
function shapeKey(origin: unknown, hasHttp: boolean, status: unknown): number {
  const statusPart = !hasHttp
    ? 0
    : typeof status === "number" && Number.isInteger(status) && status >= 0 && status < 999
      ? status + 2
      : 1;
  return (ORIGIN_INDEX.get(origin) ?? 0) * 1024 + statusPart;
}

/** False only when the rule's test would refuse the input at once (see CompiledRule). */
function admits(c: CompiledRule, origin: unknown, hasHttp: boolean, status: unknown): boolean {
  if (c.origins !== null && !c.origins.has(origin)) return false;
  if (c.needsHttp && !hasHttp) return false;
  return c.statuses === null || !hasHttp || c.statuses.has(status);
}

function push<K>(map: Map<K, CompiledRule[]>, key: K, rule: CompiledRule): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [rule]);
  else list.push(rule);
}

function exactValues(
  value: string | readonly string[] | RegExp | null | undefined,
): readonly string[] | null {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value;
  return null;
}

function compileTest(rule: Rule): (facts: Facts) => boolean {
  const m = rule.match;
  const checks: ((f: Facts) => boolean)[] = [];
  if (typeof m.origin === "string") {
    const origin = m.origin;
    checks.push((f) => f.input.origin === origin);
  } else if (m.origin !== undefined) {
    const origins = new Set<string>(m.origin);
    checks.push((f) => origins.has(f.input.origin));
  }
  if (m.type instanceof RegExp) {
    const pattern = m.type;
    checks.push((f) => pattern.test(f.input.type));
  }
  if (m.reason === null) checks.push((f) => f.reason === null);
  else if (m.reason !== undefined) {
    const reason = m.reason;
    checks.push((f) => matchesText(f.reason, reason));
  }
  for (const [key, expected] of Object.entries(m.details ?? {})) checks.push(detailCheck(key, expected));
  if (m.http !== undefined) checks.push(httpCheck(m.http));
  if (m.report !== undefined) {
    const verdicts = new Set<string>(typeof m.report === "string" ? [m.report] : m.report);
    checks.push((f) => f.report !== null && verdicts.has(f.report.verdict));
  }
  if (m.condition !== undefined) checks.push(CONDITIONS[m.condition].test);
  if (m.response !== undefined) checks.push(responseCheck(m.response));

  if (checks.length === 0) return () => true;
  if (checks.length === 1) return checks[0] as (f: Facts) => boolean;
  return (f) => {
    for (const check of checks) if (!check(f)) return false;
    return true;
  };
}

function detailCheck(key: string, expected: DetailMatch): (f: Facts) => boolean {
  if (typeof expected === "object" && "present" in expected) {
    return (f) => {
      const value = f.input.details?.[key];
      return typeof value === "string" && value !== "";
    };
  }
  return (f) => {
    const value = f.input.details?.[key];
    return typeof value === "string" && matchesText(value, expected);
  };
}

function httpCheck(http: HttpMatch): (f: Facts) => boolean {
  const statuses =
    http.status === undefined ? null : new Set(typeof http.status === "number" ? [http.status] : http.status);
  const methods =
    http.method === undefined
      ? null
      : http.method === "read"
        ? READ_METHODS
        : http.method === "write"
          ? WRITE_METHODS
          : new Set(http.method);
  const { path, origin } = http;
  return (f) => {
    const h = f.input.http;
    if (h == null) return false;
    if (statuses !== null && !statuses.has(h.status)) return false;
    if (methods !== null && !methods.has(typeof h.method === "string" ? upperCase(h.method) : ""))
      return false;
    if (path !== undefined && !(typeof h.path === "string" && path.test(h.path))) return false;
    if (origin !== undefined && (h.origin != null && h.origin !== "") !== origin) return false;
    return true;
  };
}

let lastMethod = "";
let lastUpperCase = "";

/**
 * The method in upper case, remembered for the next call: the HTTP rules of one denial all ask for it, and
 * a new upper-case string per rule was a quarter of the time of classifying a denial (measured, V8 12).
 */
function upperCase(method: string): string {
  if (method !== lastMethod) {
    lastUpperCase = method.toUpperCase();
    lastMethod = method;
  }
  return lastUpperCase;
}

function responseCheck(response: ResponseMatch): (f: Facts) => boolean {
  const errors =
    response.error === undefined
      ? null
      : new Set<string>(typeof response.error === "string" ? [response.error] : response.error);
  const { description, message } = response;
  return (f) => {
    const r = f.input.response;
    if (r == null) return false;
    if (errors !== null && !(typeof r.error === "string" && errors.has(r.error))) return false;
    if (description !== undefined && !matchesText(r.description, description)) return false;
    if (message !== undefined && !matchesText(r.message, message)) return false;
    return true;
  };
}

/** shapeKey() puts every status outside 0-998 in one group, so no rule may name one. */
function assertPlainStatuses(rule: Rule): void {
  const status = rule.match.http?.status;
  const statuses = status === undefined ? [] : typeof status === "number" ? [status] : status;
  for (const s of statuses) {
    if (!Number.isInteger(s) || s < 0 || s >= 999)
      throw new Error(`Rule ${rule.id}: an HTTP status must be an integer from 0 to 998`);
  }
}

/** A global or sticky RegExp keeps state between test() calls: one event would change the next verdict. */
function assertStatelessPatterns(rule: Rule): void {
  const patterns: unknown[] = [
    rule.match.type,
    rule.match.reason,
    rule.match.http?.path,
    rule.match.response?.description,
    rule.match.response?.message,
    ...Object.values(rule.match.details ?? {}),
  ];
  for (const p of patterns) {
    if (p instanceof RegExp && (p.global || p.sticky))
      throw new Error(`Rule ${rule.id}: patterns must not use the g or y flag`);
  }
}
