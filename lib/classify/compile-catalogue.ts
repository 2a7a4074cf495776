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

export interface CompiledRule {
  rule: Rule;
  specificity: number;
  order: number;
  /** Checks every constraint the index does not already guarantee. */
  test: (facts: Facts) => boolean;
}

export interface CompiledCatalogue {
  /** Rules that can match this type and error (error "" = none), most specific first. */
  candidates(type: string, error: string): readonly CompiledRule[];
  readonly size: number;
}

const CACHE_LIMIT = 4096;
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
    const compiled: CompiledRule = {
      rule,
      order,
      specificity: ruleSpecificity(rule.match),
      test: compileTest(rule),
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

  const cache = new Map<string, Map<string, readonly CompiledRule[]>>();
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

  return {
    size: rules.length,
    candidates(type, error) {
      const forType = cache.get(type);
      const hit = forType?.get(error);
      if (hit !== undefined) return hit;
      const list = merge(type, error);
      if (cached < CACHE_LIMIT) {
        if (forType === undefined) cache.set(type, new Map([[error, list]]));
        else forType.set(error, list);
        cached++;
      }
      return list;
    },
  };
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
  if (m.origin !== undefined) {
    const origins = new Set<string>(typeof m.origin === "string" ? [m.origin] : m.origin);
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
    if (methods !== null && !methods.has(typeof h.method === "string" ? h.method.toUpperCase() : ""))
      return false;
    if (path !== undefined && !(typeof h.path === "string" && path.test(h.path))) return false;
    if (origin !== undefined && (h.origin != null && h.origin !== "") !== origin) return false;
    return true;
  };
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
