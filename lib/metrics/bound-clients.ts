/**
 * Keeps label cardinality bounded: the `limit` clients with the most denials keep their own series, every
 * other client's counts are summed into client "other". Ties break by client id, so the set is stable between
 * scrapes with equal counts.
 */
export interface DenialRow {
  realm: string;
  cause: string;
  clientId: string;
  denials: number;
}

export const OTHER_CLIENTS = "other";

export function boundClients(rows: readonly DenialRow[], limit: number): DenialRow[] {
  const perClient = new Map<string, number>();
  for (const r of rows) perClient.set(r.clientId, (perClient.get(r.clientId) ?? 0) + r.denials);
  const kept = new Set(
    [...perClient.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, limit)
      .map(([client]) => client),
  );
  const merged = new Map<string, DenialRow>();
  for (const r of rows) {
    const clientId = kept.has(r.clientId) ? r.clientId : OTHER_CLIENTS;
    const key = JSON.stringify([r.realm, r.cause, clientId]);
    const row = merged.get(key) ?? { realm: r.realm, cause: r.cause, clientId, denials: 0 };
    row.denials += r.denials;
    merged.set(key, row);
  }
  return [...merged.values()];
}
