import type { Metadata } from "next";
import { Suspense } from "react";
import { TimeZoneSync } from "@/app/_components/time-zone-sync";
import { getSql } from "@/lib/db/sql";
import { loadEventCheckContext } from "@/lib/diagnose/event-check-context";
import { loadPatternCheckContext } from "@/lib/diagnose/pattern-check-context";
import { type TokenPrefill, tokenPrefillOf } from "@/lib/diagnose/token-prefill";
import { isTimeZone } from "@/lib/time/zoned-time";
import { TokenAnalyzer } from "./token-analyzer";

export const metadata: Metadata = { title: "Token analyzer" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

/** The requirements the failures carried, read on the server from the stored pattern or event the link names. */
async function prefill(query: Record<string, string | string[] | undefined>): Promise<TokenPrefill | null> {
  const pattern = one(query.pattern);
  const event = one(query.event);
  const source = one(query.source);
  try {
    if (pattern && UUID.test(pattern)) {
      return tokenPrefillOf(await loadPatternCheckContext(getSql(), pattern), { pattern });
    }
    if (event && event.length <= 255 && source && UUID.test(source)) {
      return tokenPrefillOf(await loadEventCheckContext(getSql(), event, source), { event, source });
    }
  } catch {
    // An unknown or expired pattern or event: the form starts empty.
  }
  return null;
}

/** GET /token: why would this access token be refused? Decoded in the browser; the token is not sent anywhere. */
export default async function TokenPage({ searchParams }: { searchParams: SearchParams }) {
  const query = await searchParams;
  const initial = await prefill(query);
  const tz = one(query.tz);
  const timeZone = tz && isTimeZone(tz) ? tz : "UTC";
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Token analyzer</h1>
          <p className="muted">
            Paste an access token (or its payload) and what the API requires. It is decoded in this browser
            tab, never sent to realmwatch's server, stored or logged. The signature is not verified.
          </p>
          {initial ? (
            <p data-testid="token-prefilled">
              Realm <code>{initial.realm}</code>: the requirements below are what the failures carried.
            </p>
          ) : null}
        </div>
      </div>
      <Suspense>
        <TimeZoneSync />
      </Suspense>
      <TokenAnalyzer initial={initial} timeZone={timeZone} />
    </>
  );
}
