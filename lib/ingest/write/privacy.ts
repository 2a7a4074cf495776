import { NON_PERSONAL_DETAILS } from "@/lib/auth/personal-data";
import type { AdminEventRow, UserEventRow } from "@/lib/keycloak/event-rows";
import { hashUsername } from "@/lib/retention/hash-username";
import { type RetentionConfig, readRetentionConfig } from "@/lib/retention/retention-config";
import { truncateIp } from "@/lib/retention/truncate-ip";
import { derivedKey } from "@/lib/server/secret-box";

/**
 * The privacy options, applied to every user and admin event before it is stored (REALMWATCH_TRUNCATE_IP: keep
 * the /24 or /48 network; REALMWATCH_HASH_USERNAMES: a keyed hash, so one user still groups together).
 * Classification has already run on the full values; the ids (fingerprints) were also computed before, so
 * re-reads still dedupe.
 *
 * What counts as personal is an allow-list, not a list of known names (NON_PERSONAL_DETAILS, which the viewer
 * boundary also uses): every other `details` key, including those of newer Keycloaks, is hashed. Free text that quoted a personal value (the
 * evidence line, an admin representation) gets the same replacement as the field it came from.
 */

/** Kept keys whose text may quote a personal value (Keycloak's reason texts, a log line's detail). */
const FREE_TEXT_DETAILS = new Set(["reason", "detail"]);

/** URL-valued keys: their query values are personal unless the parameter is a protocol one. */
const URL_DETAILS = new Set(["redirect_uri", "referer", "query", "path"]);
const PROTOCOL_PARAMS = new Set([
  "client_id",
  "response_type",
  "response_mode",
  "scope",
  "redirect_uri",
  "state",
  "nonce",
  "code_challenge",
  "code_challenge_method",
  "prompt",
  "ui_locales",
  "kc_action",
  "kc_idp_hint",
  "grant_type",
  "session_state",
  "iss",
]);

export interface PrivacyFilters {
  user: (row: UserEventRow) => void;
  admin: (row: AdminEventRow) => void;
}

/** The filters for the process's settings, or null when both options are off. */
export function privacyFilters(config: RetentionConfig = readRetentionConfig()): PrivacyFilters | null {
  if (!config.truncateIp && !config.hashUsernames) return null;
  return makePrivacyFilters(config, config.hashUsernames ? derivedKey("username-hash") : null);
}

/** Pure: the settings and the hash key are given (tests pass their own). */
export function makePrivacyFilters(
  config: Pick<RetentionConfig, "truncateIp" | "hashUsernames">,
  key: Buffer | string | null,
): PrivacyFilters {
  const hash = (value: string) => (key ? (hashUsername(value, key) ?? "") : value);
  const ip = (value: string | null) => (config.truncateIp && value ? truncateIp(value) : value);

  /** Replaces, in free text, each personal value with what the field it came from now holds. */
  const rewrite = (text: string | null, swaps: Map<string, string>) => {
    if (!text || swaps.size === 0) return text;
    let out = text;
    // Longest first, so that "anna.smith@x" is replaced before "anna".
    for (const [from, to] of [...swaps].sort((a, b) => b[0].length - a[0].length)) {
      if (from.length >= 2) out = out.split(from).join(to);
    }
    return out;
  };

  const details = (given: Record<string, string> | null, swaps: Map<string, string>) => {
    if (!given || !key) return given;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(given)) {
      if (URL_DETAILS.has(k)) out[k] = hashQueryValues(v, hash, swaps);
      else if (!NON_PERSONAL_DETAILS.has(k)) {
        out[k] = hash(v);
        swaps.set(v, out[k]);
      }
    }
    // Then the kept keys, once every personal value is known: Keycloak's reason texts may quote one.
    for (const [k, v] of Object.entries(given)) {
      if (!(k in out)) out[k] = FREE_TEXT_DETAILS.has(k) ? (rewrite(v, swaps) ?? v) : v;
    }
    return Object.fromEntries(Object.keys(given).map((k) => [k, out[k] ?? ""]));
  };

  return {
    user(row) {
      const swaps = new Map<string, string>();
      if (row.ipAddress) {
        const cut = ip(row.ipAddress);
        if (cut !== row.ipAddress) swaps.set(row.ipAddress, cut ?? "");
        row.ipAddress = cut;
      }
      if (key && row.username) {
        const hashed = hash(row.username);
        swaps.set(row.username, hashed);
        row.username = hashed;
      }
      row.details = details(row.details, swaps);
      row.evidence = rewrite(row.evidence, swaps);
    },
    admin(row) {
      const swaps = new Map<string, string>();
      if (row.authIpAddress) {
        const cut = ip(row.authIpAddress);
        if (cut !== row.authIpAddress) swaps.set(row.authIpAddress, cut ?? "");
        row.authIpAddress = cut;
      }
      row.details = details(row.details, swaps);
      if (key && row.representation) row.representation = hashRepresentation(row.representation, hash);
      row.representation = rewrite(row.representation, swaps);
    },
  };
}

/** The fields of a UserRepresentation (and of its federated identities) that hold a person's name. */
const PERSONAL_REPRESENTATION_FIELDS =
  /"(username|email|firstName|lastName|userName|identityProviderIdentity)"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;

/**
 * A representation's personal fields hashed in place, by pattern rather than by parsing: Keycloak may have cut
 * the representation, which then is not valid JSON, and the rest of the text stays byte for byte as stored.
 */
function hashRepresentation(text: string, hash: (v: string) => string): string {
  return text.replace(
    PERSONAL_REPRESENTATION_FIELDS,
    (_, field: string, colon: string, value: string) => `"${field}"${colon}"${hash(unescapeJson(value))}"`,
  );
}

function unescapeJson(value: string): string {
  try {
    return JSON.parse(`"${value}"`) as string;
  } catch {
    return value;
  }
}

/** A URL or query string with each non-protocol parameter's value hashed (login_hint=anna@x, username=…). */
function hashQueryValues(value: string, hash: (v: string) => string, swaps: Map<string, string>): string {
  const q = value.indexOf("?");
  const isQueryOnly = !value.includes("/") && value.includes("=");
  if (q < 0 && !isQueryOnly) return value;
  const head = isQueryOnly ? "" : value.slice(0, q + 1);
  const query = isQueryOnly ? value : value.slice(q + 1);
  const parts = query.split("&").map((pair) => {
    const eq = pair.indexOf("=");
    if (eq < 0) return pair;
    const name = pair.slice(0, eq);
    if (PROTOCOL_PARAMS.has(decodeSafe(name).toLowerCase())) return pair;
    const raw = pair.slice(eq + 1);
    if (!raw) return pair;
    const hashed = hash(decodeSafe(raw));
    swaps.set(raw, hashed);
    swaps.set(decodeSafe(raw), hashed);
    return `${name}=${encodeURIComponent(hashed)}`;
  });
  return head + parts.join("&");
}

function decodeSafe(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return value;
  }
}
