import type { KeycloakSession } from "@/lib/keycloak/session";

export type StreamKind = "user" | "admin";

/** Query of GET /admin/realms/{realm}/events or /admin-events (keycloak-events.md section 1). */
export interface PageQuery {
  /** Epoch-ms string (26.2+) or yyyy-MM-dd. Inclusive. */
  dateFrom?: string;
  dateTo?: string;
  first: number;
  max: number;
  /** 26.2+ only. */
  direction?: "asc" | "desc";
}

/**
 * One page of events through the admin client. The client types `dateFrom` of admin events as a Date and would
 * send Date.toString(), which Keycloak rejects, and has no `direction`: both are passed as plain strings, which
 * the client forwards to the query string for GET requests.
 */
export async function fetchEventPage(
  session: KeycloakSession,
  realm: string,
  kind: StreamKind,
  q: PageQuery,
): Promise<Record<string, unknown>[]> {
  const params: Record<string, unknown> = { realm, first: q.first, max: q.max };
  if (q.dateFrom !== undefined) params.dateFrom = q.dateFrom;
  if (q.dateTo !== undefined) params.dateTo = q.dateTo;
  if (q.direction) params.direction = q.direction;
  const what = `GET /admin/realms/${realm}/${kind === "user" ? "events" : "admin-events"}`;
  const page = await session.call(
    what,
    (admin) =>
      kind === "user"
        ? admin.realms.findEvents(params as Parameters<typeof admin.realms.findEvents>[0])
        : admin.realms.findAdminEvents(
            params as unknown as Parameters<typeof admin.realms.findAdminEvents>[0],
          ),
    { realm, role: "view-events" },
  );
  if (!Array.isArray(page)) throw new Error(`${what} did not return a JSON array.`);
  return page as unknown as Record<string, unknown>[];
}
