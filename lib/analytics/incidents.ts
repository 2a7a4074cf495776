import type { PatternKind, PatternStatus, ScopeKind } from "@/lib/analytics/patterns";

/**
 * Incident detection: which stretches of an hourly failure series are one problem, from its first abnormal hour
 * to its last, acute or chronic. Pure and causal: what is decided about an hour depends only on that hour and the
 * ones before it, so running detection once over a backfilled history and running it every hour as time passes
 * find the same incidents.
 *
 * A series is one cause in one scope (a client, the failures with no client in a realm, one user). An hour is
 * *elevated* when its failures are more than the scope's usual share of its traffic explains: for most causes the
 * usual share is zero (a misconfiguration has no "normal" level), for ambient causes (wrong passwords, ended
 * sessions, expired tokens, unclassified) it is the share the previous days showed.
 *
 * Elevated hours form a *run*. A run does not end at a quiet night: it ends only on evidence that the failures
 * stopped while the traffic they would hit continued. After the run's last elevated hour every quiet hour adds
 * the failures the run's rate predicts for that hour's traffic (rate x traffic); once 5 predicted failures did not
 * happen (a chance of e^-5, under 1%, if the problem were still there) the run is over; against the scope's own
 * requests the evidence of each request that went through is -ln(1 - p), p the share of them that failed during
 * the run, so a handful of successes after a run in which every attempt failed is enough. The traffic is the
 * scope's requests of the failing kind (TOKEN_EXCHANGE with TOKEN_EXCHANGE_ERROR, ...), so a gateway whose
 * service account logs in all night does not end a token-exchange incident that only fails in office hours.
 * Where Keycloak stores no successes of that kind (USER_INFO_REQUEST, PERMISSION_TOKEN are not saved by default,
 * access-log and report denials carry no successes) the realm's activity stands in, hour of the day by hour of
 * the day, weekdays apart from weekends (UTC): the run's own days say how many failures came per unit of activity
 * at 10:00 on a weekday or at 10:00 on a Saturday, so a night or a weekend morning the run never failed in
 * predicts nothing. The activity is the realm's successes above the least it had in an hour over the week before,
 * which is its machine traffic (service accounts that log in day and night): that goes on when people stop, so a
 * reporting job used in office hours, quiet on a Sunday morning while service accounts still log in, is not over;
 * for the same reason weekends are learnt apart. Quiet hours weigh less than their expected failures (see
 * quietEvidence). A scope with no traffic at all gives no evidence: a run then lasts until 7 days pass without a
 * failure.
 *
 * A run becomes a pattern when it is acute (an hour with at least 10 failures, 4 spreads and 1.5x above the
 * usual) or sustained (at least 12 failures above the usual in 4 or more hours over at least 6 hours, and at
 * least 4 a day over its whole span: a steady stream that never spikes, "chronic"). Until it is one, 16 hours
 * without a failure end it (stray failures do not pile up into a stream over weeks). It starts at its first
 * elevated hour, except that a few stray failures (2 at most) followed by 6 quiet hours are not its start. Its
 * status: resolved once the run is over, after 24 hours without a failure (the documented quiet time), or, for a
 * user's lockout or wrong passwords, once that user logged in after the last failure (endsOnLogin); the same
 * pattern reopens if failures come back within 6 hours of its end, or before any evidence that it stopped.
 */
export const INCIDENT_SETTINGS = {
  hourMs: 3_600_000,
  /** Predicted failures that did not happen: the evidence that a run is over. */
  evidence: 5,
  /** Quiet hours after which a pattern shows as resolved without evidence. */
  quietHours: 24,
  /** A run with no evidence either way ends after this long without a failure. */
  maxGapHours: 7 * 24,
  /** A pattern whose failures return this soon after its end reopens. */
  reopenHours: 6,
  acuteMinFailures: 10,
  acuteScore: 4,
  acuteRatio: 1.5,
  /** An hour is elevated above an ambient share when a count that high has under this chance (Poisson). */
  elevatedP: 0.001,
  chronicMinExcess: 12,
  chronicMinHours: 4,
  chronicMinSpanHours: 6,
  /** The floor of a chronic stream: failures per day over the run's span. */
  chronicMinPerDay: 4,
  /** A run that is not a pattern yet ends after this many hours without a failure, evidence or not. */
  candidateGapHours: 16,
  /** Leading stray failures: at most this many, followed by at least strayGapHours quiet hours. */
  strayMaxFailures: 2,
  strayGapHours: 6,
  /** Ambient shares: days of history kept (their median is the usual share) and the least traffic a day must have. */
  ambientDays: 7,
  ambientMinDayTraffic: 20,
  /** The realm's machine traffic: the least it had in an hour over this many hours (its activity is above it). */
  activityFloorHours: 7 * 24,
} as const;

export type IncidentSettings = { [K in keyof typeof INCIDENT_SETTINGS]: number };

export interface IncidentSeries {
  sourceId: string;
  realm: string;
  cause: string;
  scopeKind: ScopeKind;
  /** clientId, user id, or "" for a realm's failures that name no client. */
  scopeValue: string;
  /** Start of the hour of failures[0]. */
  start: number;
  /** Failures per hour; null where unknown (an event gap, or before the realm's history begins). */
  failures: readonly (number | null)[];
  /** The scope's requests of the failing kind per hour, failures included; null where unknown. */
  traffic: readonly (number | null)[];
  /**
   * The realm's successful events per hour: the stand-in reference where `traffic` holds nothing but failures.
   * Successes only: another incident's failures in the same realm (a lockout flood at night) must not make this
   * series' quiet hours look like evidence that its own problem stopped.
   */
  realmTraffic?: readonly (number | null)[];
  /** Failures that every realm has at some share of its traffic (wrong passwords...). */
  ambient: boolean;
  /** Only acute runs become patterns (persistent ones are left to narrower series). */
  acuteOnly: boolean;
  /**
   * A persistent run is a pattern only when at least this share of the scope's traffic in it failed (0: any).
   * One user's wrong passwords are a problem when most of their attempts fail, not at the usual few percent.
   */
  chronicMinShare?: number;
  /**
   * A login of the scope's user after its last failure ends it once an hour without a failure followed: a locked
   * account that logs in again is unlocked, a user who mistyped and then got in is through (the per-account causes;
   * a login says nothing of a missing role). Hours cannot show it: the lockout and the login that follows it often
   * share one.
   */
  endsOnLogin?: { lastLogin: number | null; lastFailure: number | null };
}

export interface DetectedIncident {
  sourceId: string;
  realm: string;
  cause: string;
  scopeKind: ScopeKind;
  scopeValue: string;
  kind: PatternKind;
  /** Start of the first elevated hour. */
  from: number;
  /** Start of the last elevated hour. */
  lastHour: number;
  /** End of the last elevated hour, or now while it is in progress. */
  to: number;
  status: PatternStatus;
  /** Failures in the run's hours. */
  failures: number;
  /** The largest hourly score (robust z against the usual share). */
  peakScore: number;
  /** Failures an hour the usual share explains, at the peak. */
  baseline: number;
  /** The most failures in one hour. */
  peakFailures: number;
  /** Hours with failures in the run. */
  elevatedHours: number;
  /** Failures in the 24 hours before now (the impact ranking). */
  failures24h: number;
}

interface Sums {
  failures: number;
  /** Failures above the usual share (all of them where the usual share is zero). */
  excess: number;
  /** The scope's own traffic of the failing kind, failures included. */
  own: number;
  /** Failures and the realm's activity by slot: the hour of the day (UTC), weekend days' hours 24 on. */
  failuresAt: number[];
  activityAt: number[];
}

interface Hour {
  failures: number;
  excess: number;
  own: number;
  /** The realm's activity (realmActivity). */
  activity: number;
  hourOfDay: number;
  /** The hour of the day on a weekday, 24 + the hour of the day on a Saturday or a Sunday (UTC). */
  slot: number;
}

interface Run {
  startIdx: number;
  lastIdx: number;
  /** Sums over the run's hours up to and including its last elevated hour. */
  sums: Sums;
  /** The same sums over every hour seen so far (they become `sums` at the next elevated hour). */
  pending: Sums;
  elevated: number;
  acute: boolean;
  peakScore: number;
  peakFailures: number;
  baseline: number;
  isPattern: boolean;
  /** Predicted failures that did not happen since the last elevated hour. */
  quiet: number;
}

const zero = (): Sums => ({
  failures: 0,
  excess: 0,
  own: 0,
  failuresAt: new Array(SLOTS).fill(0),
  activityAt: new Array(SLOTS).fill(0),
});

/**
 * The realm's activity each hour: its traffic above the least it had in an hour over the `window` hours up to it
 * (known hours only; a sliding minimum), 0 where unknown.
 */
function realmActivity(realm: readonly (number | null)[] | undefined, n: number, window: number): number[] {
  const out = new Array<number>(n).fill(0);
  if (!realm) return out;
  /** Indices of the window's known hours whose traffic rises from the front: the front is the least. */
  const least: number[] = [];
  for (let i = 0; i < n; i++) {
    while (least.length > 0 && least[0]! <= i - window) least.shift();
    const v = realm[i];
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    while (least.length > 0 && (realm[least[least.length - 1]!] as number) >= v) least.pop();
    least.push(i);
    out[i] = Math.max(0, v - (realm[least[0]!] as number));
  }
  return out;
}

/** Slots of the stand-in's rates: 24 hours of a weekday, then 24 of a weekend day. */
const SLOTS = 48;
const DAY_MS = 86_400_000;

/** The hour of the day (UTC) of an hour's start, and its slot (a Saturday's or Sunday's hours from 24 on). */
function slotOf(hourStart: number): { hourOfDay: number; slot: number } {
  const hourOfDay = Math.floor((hourStart % DAY_MS) / 3_600_000);
  // 1970-01-01 was a Thursday: (days + 4) % 7 is 0 on a Sunday, 6 on a Saturday.
  const weekday = (Math.floor(hourStart / DAY_MS) + 4) % 7;
  return { hourOfDay, slot: weekday === 0 || weekday === 6 ? 24 + hourOfDay : hourOfDay };
}

const copy = (x: Sums): Sums => ({ ...x, failuresAt: [...x.failuresAt], activityAt: [...x.activityAt] });

/** The incidents of each series as of `now` (the end of the data), oldest first; series may come one at a time. */
export function detectIncidents(
  series: Iterable<IncidentSeries>,
  now: number,
  settings: Partial<IncidentSettings> = {},
): DetectedIncident[] {
  const s: IncidentSettings = { ...INCIDENT_SETTINGS, ...settings };
  const found: DetectedIncident[] = [];
  // The series of one realm that start at the same hour share its traffic array (incident-series.ts): its
  // activity is computed once for them, in this call.
  const activities = new Map<readonly (number | null)[], Map<number, number[]>>();
  const activityOf = (realm: readonly (number | null)[] | undefined, n: number) => {
    if (!realm) return realmActivity(realm, n, s.activityFloorHours);
    let byLength = activities.get(realm);
    if (!byLength) {
      byLength = new Map();
      activities.set(realm, byLength);
    }
    let activity = byLength.get(n);
    if (!activity) {
      activity = realmActivity(realm, n, s.activityFloorHours);
      byLength.set(n, activity);
    }
    return activity;
  };
  for (const one of series) for (const f of detectSeries(one, now, s, activityOf)) found.push(f);
  return found;
}

/** A series that is not ambient expects no failures. */
const NO_USUAL_SHARE = { share: 0, base: "own" } as const;

function detectSeries(
  series: IncidentSeries,
  now: number,
  s: IncidentSettings,
  activityOf: (realm: readonly (number | null)[] | undefined, n: number) => readonly number[],
): DetectedIncident[] {
  const n = Math.min(series.failures.length, Math.max(0, Math.ceil((now - series.start) / s.hourMs)));
  if (n === 0) return [];
  const usual = series.ambient ? new AmbientShare(s) : null;
  const activity = activityOf(series.realmTraffic, n);
  const found: DetectedIncident[] = [];
  let run: Run | null = null;
  /** The last run that became a pattern and ended: failures within reopenHours reopen it. */
  let previous: Run | null = null;

  for (let i = 0; i < n; i++) {
    const f = series.failures[i];
    if (f === null || f === undefined || !Number.isFinite(f) || f < 0) continue;
    const own = series.traffic[i] ?? 0;
    const realm = series.realmTraffic?.[i] ?? 0;
    const usualNow = usual ? usual.share() : NO_USUAL_SHARE;
    // The usual share learns from hours outside incidents only: an incident never becomes its own baseline.
    const { hourOfDay, slot } = slotOf(series.start + i * s.hourMs);
    if (!run) usual?.push(f, own, realm);
    // Days end at midnight UTC, wherever the read began: a refresh that replays from a later hour sees the same days.
    if (hourOfDay === 23) usual?.endDay();
    if (usualNow === null) continue; // an ambient series with no usual share yet: nothing to judge against
    const expected = usualNow.share * (usualNow.base === "own" ? own : realm);
    const score = (f - expected) / Math.sqrt(Math.max(expected, 1));
    const elevated = f >= 1 && (expected <= 0 || poissonTail(f, expected) < s.elevatedP);
    // Most hours of most series are neither in a run nor elevated: nothing more to do (or to allocate) for them.
    if (!elevated && !run) continue;
    const acute = f >= s.acuteMinFailures && score >= s.acuteScore && f >= s.acuteRatio * expected;
    const hour: Hour = {
      failures: f,
      excess: Math.max(0, f - expected),
      own,
      activity: activity[i]!,
      hourOfDay,
      slot,
    };

    if (elevated) {
      if (!run && previous && i - previous.lastIdx - 1 < s.reopenHours) {
        found.pop(); // the pattern emitted when it ended reopens
        run = previous;
      }
      previous = null;
      run ??= newRun(i);
      const r: Run = run;
      add(r.pending, hour);
      r.sums = copy(r.pending);
      r.lastIdx = i;
      r.elevated++;
      r.quiet = 0;
      r.acute ||= acute;
      if (r.elevated === 1 || score > r.peakScore) {
        r.peakScore = score;
        r.baseline = expected;
      }
      r.peakFailures = Math.max(r.peakFailures, f);
      if (!r.isPattern) {
        if (!series.ambient) trimStrays(r, series, activity, s);
        r.isPattern = becomesPattern(r, series, s);
      }
      continue;
    }
    if (!run) continue;
    const r: Run = run;
    add(r.pending, hour);
    r.quiet += quietEvidence(r, hour, series.ambient);
    const gap = i - r.lastIdx;
    if (r.quiet >= s.evidence || gap >= s.maxGapHours || (!r.isPattern && gap >= s.candidateGapHours)) {
      if (r.isPattern) {
        found.push(toIncident(series, r, "resolved", n, now, s));
        previous = r;
      }
      run = null;
    }
  }
  const open: Run | null = run;
  if (open?.isPattern) {
    const quietHours = (now - (series.start + (open.lastIdx + 1) * s.hourMs)) / s.hourMs;
    const login = series.endsOnLogin;
    const loggedIn =
      login?.lastLogin != null &&
      login.lastFailure != null &&
      login.lastLogin > login.lastFailure &&
      login.lastFailure < series.start + (open.lastIdx + 1) * s.hourMs &&
      now - login.lastFailure >= s.hourMs;
    const status =
      quietHours >= s.quietHours || loggedIn ? "resolved" : open.lastIdx > open.startIdx ? "ongoing" : "open";
    found.push(toIncident(series, open, status, n, now, s));
  }
  return found;
}

/**
 * The failures the run's rate predicts for a quiet hour: against the scope's own traffic of the failing kind
 * (requests that now succeed), and, while the run has shown no success of its kind at all (every such request
 * failed, or Keycloak stores no successes of it), against the realm's traffic at the same hour of the day: the
 * run's failures per unit of realm activity at that hour, learnt from its own days and never above its rate over
 * all its hours, weighed as a geometric count (ln(1 + mean)). An hour of the day the run has not been through yet
 * predicts nothing, so the first night of a problem that fails only in office hours does not end it. The result is
 * evidence, in the unit of the threshold (5: under 1% that the failures would all have stayed away).
 */
function quietEvidence(r: Run, hour: Hour, ambient: boolean): number {
  const failed = ambient ? r.sums.excess : r.sums.failures;
  // Each request of the failing kind that went through is evidence -ln(1 - p), p being the share of such
  // requests that failed during the run: a few successes after a run in which every attempt failed weigh a lot.
  const p = r.sums.own > 0 ? Math.min(failed / r.sums.own, 0.99) : 0;
  let predicted = -Math.log(1 - p) * hour.own;
  const noSuccesses = r.sums.own <= r.sums.failures;
  const activityAt = r.sums.activityAt[hour.slot]!;
  if (!ambient && noSuccesses && activityAt > 0) {
    // A slot's rate rests on a few days, often on a handful of failures against little activity (2 failures in a
    // quiet Saturday hour): never above the run's rate over all its hours, so one noisy hour does not end it.
    let activity = 0;
    for (const a of r.sums.activityAt) activity += a;
    const slotRate = r.sums.failuresAt[hour.slot]! / activityAt;
    // The activity says how many of the run's requests to expect only roughly (they come from a few people or jobs,
    // in bursts): a quiet hour weighs as a count whose rate could lie anywhere around its mean (a geometric count,
    // -ln P(0) = ln(1 + mean)), so a night of small expectations does not add up to an end the way busy hours do.
    predicted += Math.log1p(Math.min(slotRate, r.sums.failures / activity) * hour.activity);
  }
  return predicted;
}

function add(into: Sums, hour: Hour): void {
  into.failures += hour.failures;
  into.excess += hour.excess;
  into.own += hour.own;
  into.failuresAt[hour.slot]! += hour.failures;
  into.activityAt[hour.slot]! += hour.activity;
}

function subtract(from: Sums, part: Sums): void {
  from.failures -= part.failures;
  from.excess -= part.excess;
  from.own -= part.own;
  for (let h = 0; h < SLOTS; h++) {
    from.failuresAt[h]! -= part.failuresAt[h]!;
    from.activityAt[h]! -= part.activityAt[h]!;
  }
}

function newRun(i: number): Run {
  return {
    startIdx: i,
    lastIdx: i,
    sums: zero(),
    pending: zero(),
    elevated: 0,
    acute: false,
    peakScore: 0,
    peakFailures: 0,
    baseline: 0,
    isPattern: false,
    quiet: 0,
  };
}

function becomesPattern(r: Run, series: IncidentSeries, s: IncidentSettings): boolean {
  if (r.acute) return true;
  if (series.acuteOnly) return false;
  const minShare = series.chronicMinShare ?? 0;
  if (minShare > 0 && r.sums.failures < minShare * r.sums.own) return false;
  const span = r.lastIdx - r.startIdx + 1;
  return (
    r.sums.excess >= s.chronicMinExcess &&
    r.elevated >= s.chronicMinHours &&
    span >= s.chronicMinSpanHours &&
    r.sums.excess >= (s.chronicMinPerDay * span) / 24
  );
}

/**
 * A few stray failures followed by a long quiet stretch are not where the problem began (a series whose usual
 * share is zero: every failure hour is elevated).
 */
function trimStrays(r: Run, series: IncidentSeries, activity: readonly number[], s: IncidentSettings): void {
  for (;;) {
    let strays = 0;
    let prev = -1;
    let next = -1;
    for (let i = r.startIdx; i <= r.lastIdx; i++) {
      const f = series.failures[i] ?? 0;
      if (f <= 0) continue;
      if (prev >= 0 && i - prev - 1 >= s.strayGapHours) {
        next = i;
        break;
      }
      strays += f;
      if (strays > s.strayMaxFailures) return;
      prev = i;
    }
    if (next < 0) return;
    const dropped = zero();
    let elevated = 0;
    for (let i = r.startIdx; i < next; i++) {
      const f = series.failures[i];
      if (f === null || f === undefined) continue;
      if (f > 0) elevated++;
      add(dropped, {
        failures: f,
        excess: f,
        own: series.traffic[i] ?? 0,
        activity: activity[i]!,
        ...slotOf(series.start + i * s.hourMs),
      });
    }
    r.startIdx = next;
    r.elevated -= elevated;
    subtract(r.sums, dropped);
    subtract(r.pending, dropped);
  }
}

function toIncident(
  series: IncidentSeries,
  r: Run,
  status: PatternStatus,
  n: number,
  now: number,
  s: IncidentSettings,
): DetectedIncident {
  let recent = 0;
  const from24 = Math.max(0, n - 24);
  for (let i = Math.max(from24, r.startIdx); i <= Math.min(n - 1, r.lastIdx); i++)
    recent += series.failures[i] ?? 0;
  const lastHour = series.start + r.lastIdx * s.hourMs;
  return {
    sourceId: series.sourceId,
    realm: series.realm,
    cause: series.cause,
    scopeKind: series.scopeKind,
    scopeValue: series.scopeValue,
    kind: r.acute ? "acute" : "chronic",
    from: series.start + r.startIdx * s.hourMs,
    lastHour,
    to: Math.min(lastHour + s.hourMs, now),
    status,
    failures: r.sums.failures,
    peakScore: Math.round(r.peakScore * 100) / 100,
    baseline: Math.round(r.baseline * 1000) / 1000,
    peakFailures: r.peakFailures,
    elevatedHours: r.elevated,
    failures24h: status === "resolved" && lastHour < series.start + from24 * s.hourMs ? 0 : recent,
  };
}

/**
 * The usual failure share of an ambient series, from the days before: the median of the last 7 daily shares
 * (days with enough traffic), so that an incident lasting under half the week does not become its own baseline.
 * The share is of the scope's own traffic of the failing kind when it holds successes, else of the realm's
 * traffic (Keycloak saves no REFRESH_TOKEN or USER_INFO_REQUEST successes by default), or when the scope's own
 * days are too quiet to give a share. Null until a first day with enough traffic is complete.
 */
class AmbientShare {
  private readonly days: { failures: number; own: number; realm: number }[] = [];
  private day = { failures: 0, own: 0, realm: 0 };
  private hours = 0;
  /**
   * The share as of the last closed day: asked every hour, it changes only at endDay (computed each hour, its
   * filter, map and sort were most of what an hourly refresh allocated).
   */
  private known: { share: number; base: "own" | "realm" } | null | undefined;
  constructor(private readonly s: IncidentSettings) {}

  share(): { share: number; base: "own" | "realm" } | null {
    if (this.known === undefined) this.known = this.compute();
    return this.known;
  }

  private compute(): { share: number; base: "own" | "realm" } | null {
    if (this.days.length === 0) return null;
    let failures = 0;
    let own = 0;
    for (const d of this.days) {
      failures += d.failures;
      own += d.own;
    }
    const bases: ("own" | "realm")[] = own >= 1.5 * failures && own > 0 ? ["own", "realm"] : ["realm"];
    for (const base of bases) {
      const shares = this.days
        .filter((d) => d[base] >= this.s.ambientMinDayTraffic)
        .map((d) => Math.min(1, d.failures / d[base]))
        .sort((a, b) => a - b);
      if (shares.length > 0) return { share: shares[Math.floor((shares.length - 1) / 2)]!, base };
    }
    return null;
  }

  push(failures: number, own: number, realm: number): void {
    this.day.failures += failures;
    this.day.own += own;
    this.day.realm += realm;
    this.hours++;
  }

  /** Closes the day (at midnight UTC); a day with under 12 usable hours is left out. */
  endDay(): void {
    if (this.hours >= 12) {
      this.days.push(this.day);
      if (this.days.length > this.s.ambientDays) this.days.shift();
      this.known = undefined;
    }
    this.day = { failures: 0, own: 0, realm: 0 };
    this.hours = 0;
  }
}

/** P(X >= k) for X ~ Poisson(lambda): exact sum for small means, a normal approximation for large ones. */
export function poissonTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  if (lambda > 100) {
    const z = (k - 0.5 - lambda) / Math.sqrt(lambda);
    return 0.5 * erfc(z / Math.SQRT2);
  }
  let term = Math.exp(-lambda);
  let below = term;
  for (let i = 1; i < k; i++) {
    term *= lambda / i;
    below += term;
    if (term < 1e-16 && i > lambda) break;
  }
  return Math.max(0, 1 - below);
}

/** Complementary error function (Numerical Recipes' erfcc, relative error under 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** scopeValue of a realm-wide pattern: the failures of every client of the realm ("" is those naming none). */
export const ALL_CLIENTS = "*";

export const REALM_WIDE = {
  /** Clients hit by incidents of one cause that began within `withinHours` of each other. */
  minClients: 3,
  withinHours: 2,
} as const;

/**
 * One problem that hits many clients at once (a hostname or proxy change, a rotated realm key) is one realm-wide
 * incident, not one per client: incidents of one cause in one realm, from client series, that begin within two
 * hours of each other in at least three clients are merged into a pattern of the realm's every client (the
 * failures naming no client included). Causes that hit one account at a time are not merged.
 */
export function mergeRealmWide(
  found: readonly DetectedIncident[],
  perAccount: ReadonlySet<string>,
  s: { hourMs: number } = INCIDENT_SETTINGS,
): DetectedIncident[] {
  const groups = new Map<string, DetectedIncident[]>();
  const out: DetectedIncident[] = [];
  for (const f of found) {
    if (f.scopeKind === "user" || perAccount.has(f.cause)) {
      out.push(f);
      continue;
    }
    const key = JSON.stringify([f.sourceId, f.realm, f.cause]);
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const members of groups.values()) {
    const sorted = [...members].sort((a, b) => a.from - b.from);
    let cluster: DetectedIncident[] = [];
    const flush = () => {
      const clients = new Set(cluster.filter((c) => c.scopeKind === "client").map((c) => c.scopeValue));
      if (clients.size >= REALM_WIDE.minClients) out.push(merge(cluster));
      else out.push(...cluster);
      cluster = [];
    };
    for (const f of sorted) {
      if (cluster.length > 0 && f.from - cluster[0]!.from > REALM_WIDE.withinHours * s.hourMs) flush();
      cluster.push(f);
    }
    if (cluster.length > 0) flush();
  }
  return out.sort((a, b) => a.from - b.from);
}

function merge(cluster: readonly DetectedIncident[]): DetectedIncident {
  const first = cluster[0]!;
  const open = cluster.filter((c) => c.status !== "resolved");
  const last = cluster.reduce((a, b) => (b.lastHour > a.lastHour ? b : a));
  const peak = cluster.reduce((a, b) => (b.peakScore > a.peakScore ? b : a));
  return {
    ...first,
    scopeKind: "realm",
    scopeValue: ALL_CLIENTS,
    kind: cluster.some((c) => c.kind === "acute") ? "acute" : "chronic",
    from: Math.min(...cluster.map((c) => c.from)),
    lastHour: last.lastHour,
    to: Math.max(...cluster.map((c) => c.to)),
    status: open.length === 0 ? "resolved" : open.some((c) => c.status === "ongoing") ? "ongoing" : "open",
    failures: cluster.reduce((sum, c) => sum + c.failures, 0),
    peakScore: peak.peakScore,
    baseline: cluster.reduce((sum, c) => sum + c.baseline, 0),
    peakFailures: cluster.reduce((sum, c) => sum + c.peakFailures, 0),
    elevatedHours: Math.max(...cluster.map((c) => c.elevatedHours)),
    failures24h: cluster.reduce((sum, c) => sum + c.failures24h, 0),
  };
}
