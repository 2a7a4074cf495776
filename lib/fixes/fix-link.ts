import { fixPath, isCauseId } from "@/lib/classify/causes";

export interface FixLinkContext {
  cause: string | null | undefined;
  realm?: string | null;
  clientId?: string | null;
  userId?: string | null;
  role?: string | null;
  audience?: string | null;
  pattern?: string | null;
  /** A stored failure (an event page's link): the page reads what it carried. */
  event?: string | null;
  source?: string | null;
}

/**
 * The guided fix page of a cause, filled in: `/fixes/<cause>?realm=..&client=..&user=..&pattern=..` (or
 * `&event=..&source=..` from one stored failure). Null for a
 * missing or unknown cause id (an event classified by a newer catalogue, or not classified yet).
 */
export function fixLink(ctx: FixLinkContext): string | null {
  if (!ctx.cause || !isCauseId(ctx.cause)) return null;
  const p = new URLSearchParams();
  const put = (key: string, value: string | null | undefined) => {
    if (value) p.set(key, value);
  };
  put("realm", ctx.realm);
  put("client", ctx.clientId);
  put("user", ctx.userId);
  put("role", ctx.role);
  put("audience", ctx.audience);
  put("pattern", ctx.pattern);
  put("event", ctx.event);
  put("source", ctx.source);
  const q = p.toString();
  return q ? `${fixPath(ctx.cause)}?${q}` : fixPath(ctx.cause);
}
