import type { LiveCheckContext } from "@/lib/diagnose/checks/check-types";
import type { PublicUrl } from "@/lib/fixes/public-url";
import type { ClientRepresentation } from "@/lib/keycloak/representations";
import type { EvidenceValue } from "@/lib/queries/patterns/pattern-evidence";

/** One line of a fix page's evidence: a kind of value and the values seen, with how many failures carried each. */
export interface EvidenceRow {
  key: string;
  label: string;
  /** count null: not counted over the failures (read from Keycloak now, or from the newest failures only). */
  values: { value: string; count: number | null }[];
}

/** The keys a fix page shows, in page order, with their labels. user_agent and IP addresses are left out. */
const LABELS: [string, string][] = [
  ["required_role", "Required role"],
  ["required_audience", "Audience the API requires"],
  ["required_scope", "Scope the API requires"],
  ["audience", "Audience requested"],
  ["subject_token_client_id", "Client of the subject token"],
  ["redirect_uri", "Requested redirect URI"],
  ["origin", "Browser origin"],
  ["scope", "Requested scope"],
  ["token_azp", "Failing token: azp"],
  ["token_aud", "Failing token: aud"],
  ["token_scope", "Failing token: scope"],
  ["token_role", "Failing token: roles"],
  ["token_iss", "Failing token: iss (issuer seen)"],
  ["requested_issuer", "Requested issuer"],
  ["permission", "Permission requested"],
  ["endpoint", "Endpoint"],
  ["type", "Event type"],
  ["error", "Error"],
  ["reason", "Reason"],
  ["status", "HTTP status"],
  ["grant_type", "Grant type"],
  ["auth_method", "Authentication method"],
  ["client_auth_method", "Client authentication"],
  ["host", "Host"],
];

/** `client:role` / `realm:role` as the page says it. */
function roleText(value: string): string {
  const at = value.lastIndexOf(":");
  const owner = value.slice(0, at);
  const role = value.slice(at + 1);
  return owner === "realm" ? `realm role ${role}` : `client role ${role} of ${owner}`;
}

/**
 * The evidence a fix page shows: what the failures carried (counted), the values the checks were built from
 * that the counts do not hold (the origin of a Referer, the role an admin REST path needs, the client found by
 * the origin), and what Keycloak holds now for comparison (the client's registered redirect URIs and web origins,
 * the realm's public URL).
 */
export function evidenceRows(
  values: readonly EvidenceValue[],
  context: LiveCheckContext,
  client: ClientRepresentation | null,
  publicUrl: PublicUrl | null,
): EvidenceRow[] {
  const rows: EvidenceRow[] = [];
  const push = (key: string, label: string, list: { value: string; count: number | null }[]) => {
    if (list.length > 0) rows.push({ key, label, values: list });
  };
  if (context.clientFoundBy && context.clientId) {
    push("client", "Client (found by the browser origin)", [
      { value: `${context.clientId}: ${context.clientFoundBy}`, count: null },
    ]);
  }
  for (const [key, label] of LABELS) {
    const seen: EvidenceRow["values"] = values
      .filter(([k]) => k === key)
      .map(([, v, n]) => ({ value: key.endsWith("_role") ? roleText(v) : v, count: n }));
    if (key === "required_role" && seen.length === 0 && context.role) {
      const owner = context.roleClientId;
      seen.push({
        value: `${owner ? `client role ${context.role} of ${owner}` : `realm role ${context.role}`} (what the refused call needs)`,
        count: null,
      });
    }
    if (key === "origin") {
      for (const origin of context.origins ?? []) {
        if (!seen.some((s) => s.value === origin)) seen.push({ value: origin, count: null });
      }
    }
    push(key, label, seen);
    if (key === "redirect_uri" && client && seen.length > 0) {
      push(
        "registered_redirect_uris",
        `Registered redirect URIs of ${client.clientId} (now)`,
        (client.redirectUris ?? []).map((value) => ({ value, count: null })),
      );
    }
    if (key === "origin" && client && seen.length > 0) {
      push(
        "web_origins",
        `Web origins of ${client.clientId} (now)`,
        (client.webOrigins?.length ? client.webOrigins : ["(none)"]).map((value) => ({ value, count: null })),
      );
    }
  }
  const audiences = values.filter(([k]) => k === "audience" || k === "required_audience").map(([, v]) => v);
  if (context.audience && !audiences.includes(context.audience)) {
    // A refused token exchange: the exchanging client must be in aud of the subject token's client's tokens.
    push("needed_audience", `Audience ${context.clientId ?? "the client"}'s tokens must carry`, [
      { value: `${context.audience} (the client exchanging them)`, count: null },
    ]);
  }
  if (publicUrl)
    push("public_url", `Public URL (${publicUrl.from})`, [{ value: publicUrl.url, count: null }]);
  return rows;
}
