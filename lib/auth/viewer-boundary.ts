import type postgres from "postgres";
import { OPAQUE_PREFIX, opaqueUserId } from "@/lib/auth/opaque-id";
import { maskPersonal, NON_PERSONAL_DETAILS, type PersonalKind } from "@/lib/auth/personal-data";
import { type Role, roleAtLeast } from "@/lib/auth/roles";

/**
 * The one boundary between stored data and what a viewer (the role below analyst) receives: every JSON answer
 * of the API (route()) and every page's loaded data pass through `forViewer`, whatever loader produced them.
 * Loaders may mask fields themselves (maskPersonal); this is what holds when one forgets, or when a value is
 * hidden in text. For a viewer:
 * - fields are judged by name against lists of what holds a user id (replaced by an opaque, reversible id),
 *   a name, an e-mail or an address (masked), and what viewers never get (representations, query strings,
 *   referers, user agents); of an event's `details` only the allow-listed keys (NON_PERSONAL_DETAILS) are shown;
 * - every other string is scrubbed: e-mail addresses and full IP addresses anywhere, user ids seen in this
 *   answer, the names of those users and any known username of the answer's realms (one indexed lookup of the
 *   words of the answer in user_names), and the value after "username";
 * - links have user ids in their paths and user, ip and login parameters in their queries replaced.
 * Analysts and admins get the data as it is.
 */
export async function forViewer<T>(value: T, role: Role, sql?: () => postgres.Sql): Promise<T> {
  if (roleAtLeast(role, "analyst")) return value;
  const seen = collect(value);
  // Without the database the answer could not have been loaded either; the patterns above still apply.
  if (sql)
    await Promise.resolve()
      .then(() => addKnownNames(sql(), seen))
      .catch(() => {});
  return transform(value, seen, undefined) as T;
}

/** What one answer holds that must not reach a viewer, learned before it is changed. */
interface Seen {
  userIds: Set<string>;
  names: Set<string>;
  realms: Set<string>;
  words: Set<string>;
}

const USER_ID_KEYS = new Set([
  "userid",
  "user_id",
  "authuserid",
  "sub",
  "impersonatorid",
  "refresh_token_sub",
  "targetuserid",
  "subjectuserid",
]);
const NAME_KEYS = new Set([
  "username",
  "preferred_username",
  "attemptedusername",
  "attempted_username",
  "by",
  "authusername",
  "impersonator",
  "firstname",
  "lastname",
  "first_name",
  "last_name",
  "previous_first_name",
  "updated_first_name",
  "previous_last_name",
  "updated_last_name",
  "identity_provider_identity",
  "requested_subject",
  "previous_user",
  "fullname",
  "displayname",
]);
const EMAIL_KEYS = new Set(["email", "previous_email", "updated_email"]);
const IP_KEYS = new Set([
  "ip",
  "ipaddress",
  "ip_address",
  "authipaddress",
  "auth_ip_address",
  "clientip",
  "remoteaddr",
]);
/** Never shown to viewers: they hold whatever a person typed or a browser sent. */
const HIDDEN_KEYS = new Set([
  "representation",
  "previousrepresentation",
  "query",
  "querystring",
  "referer",
  "referrer",
  "user_agent",
  "useragent",
  "token_claims",
  "x509_cert_subject_distinguished_name",
]);
const URL_KEYS = /^(href|link|url|self|path|location|.*href|.*link|.*url|.*path)$/i;
const UUID_ONE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * "users/<id>" of Admin API paths ("users/<id>/role-mappings", "/admin/realms/r/users/<id>"), anywhere in a text,
 * and realmwatch's own user links ("/users/<realm>/<id>", where the realm comes first).
 */
const USERS_PATH_G = /(^|\/)users\/([^/?#\s"'<>]+)(?:\/([^/?#\s"'<>]+))?/g;

function userPathMatch(m: RegExpMatchArray): { id: string; start: number; length: number } | null {
  const [whole, lead = "", first = "", second] = m;
  const realmwatchLink = (m.index ?? 0) === 0 && lead === "/" && second !== undefined;
  const id = realmwatchLink ? second : first;
  if (!id || id.startsWith(OPAQUE_PREFIX) || id.includes(MASKED)) return null;
  const offset = realmwatchLink ? whole.length - second.length : lead.length + "users/".length;
  return { id, start: (m.index ?? 0) + offset, length: id.length };
}

function userIdsInPaths(text: string): string[] {
  return [...text.matchAll(USERS_PATH_G)].flatMap((m) => {
    const hit = userPathMatch(m);
    return hit ? [decodeURIComponentSafe(hit.id)] : [];
  });
}

function replaceUserIdsInPaths(text: string): string {
  let out = "";
  let at = 0;
  for (const m of text.matchAll(USERS_PATH_G)) {
    const hit = userPathMatch(m);
    if (!hit) continue;
    out += text.slice(at, hit.start) + opaque(decodeURIComponentSafe(hit.id));
    at = hit.start + hit.length;
  }
  return out + text.slice(at);
}

const UUID_G = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const EMAIL_G = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const IPV4_G = /\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b/g;
const IPV6_G = /\b(?:[0-9a-f]{1,4}:){2,7}(?::|[0-9a-f]{1,4})(?::[0-9a-f]{1,4})*\b/gi;
const AFTER_USERNAME_G = /\b(username|user name)(\s*[=:]\s*|\s+)(["'“]?)([^\s"'”,;)]{2,})/gi;
/** Characters a username is made of: a known name is replaced only where it stands as a whole word of them. */
const NAME_CHAR = "[A-Za-z0-9._@+-]";
const WORD_G = /[^\s"'“”()[\]{}<>,;=:]+/g;
const MASKED = "•••";

type FieldKind = "user-id" | "username" | "email" | "ip" | "hidden" | "url" | null;

/** Keys of objects whose `id` is a user's, and of attribution groups whose `value`s are users or addresses. */
const USER_PARENTS = new Set(["by", "user", "users", "admin", "impersonator", "authuser", "actor"]);
const IP_PARENTS = new Set(["ip", "ips", "ipaddress", "addresses"]);
/** Objects keyed by user id ({ "<id>": "name" }). */
const KEYED_BY_USER = new Set(["usernames", "names", "byuser", "users"]);

/** What a field holds, from its name, the object it is in and the names of the objects around it. */
function kindOf(
  key: string | undefined,
  holder: Record<string, unknown> | undefined,
  ancestors: readonly string[],
): FieldKind {
  if (key === undefined) return null;
  const k = key.toLowerCase();
  const parent = ancestors.at(-1);
  if (USER_ID_KEYS.has(k)) return "user-id";
  if (HIDDEN_KEYS.has(k)) return "hidden";
  if (EMAIL_KEYS.has(k)) return "email";
  if (IP_KEYS.has(k)) return "ip";
  if (NAME_KEYS.has(k)) return "username";
  const aboutUser = holder?.kind === "user" || (parent !== undefined && USER_PARENTS.has(parent));
  if (k === "id" && aboutUser) return "user-id";
  if ((k === "name" || k === "label") && aboutUser) return "username";
  if (k === "value") {
    for (let i = ancestors.length - 1; i >= 0; i--) {
      const a = ancestors[i] as string;
      if (USER_PARENTS.has(a)) return "user-id";
      if (IP_PARENTS.has(a)) return "ip";
      if (a === "username" || a === "usernames") return "username";
      if (
        a === "client" ||
        a === "clients" ||
        a === "cause" ||
        a === "causes" ||
        a === "error" ||
        a === "errors"
      )
        break;
    }
  }
  if (URL_KEYS.test(k)) return "url";
  return null;
}

function collect(value: unknown): Seen {
  const seen: Seen = { userIds: new Set(), names: new Set(), realms: new Set(), words: new Set() };
  const walk = (
    v: unknown,
    key: string | undefined,
    holder: Record<string, unknown> | undefined,
    ancestors: string[],
    depth: number,
  ) => {
    if (depth > 40) return;
    if (typeof v === "string") {
      const kind = kindOf(key, holder, ancestors);
      if (kind === "user-id" && !v.startsWith(OPAQUE_PREFIX)) seen.userIds.add(v);
      else if (kind === "username" && !v.includes(MASKED) && v.length > 1) seen.names.add(v);
      else if (key === "realm") seen.realms.add(v);
      for (const id of userIdsInPaths(v)) seen.userIds.add(id);
      if (seen.words.size < 5000)
        for (const w of v.match(WORD_G) ?? []) if (w.length > 1 && w.length < 256) seen.words.add(w);
      return;
    }
    if (Array.isArray(v)) {
      // Attribution tuples: ["user", "<id>", n] and ["ip", "<address>", n].
      if (v[0] === "user" && typeof v[1] === "string") seen.userIds.add(v[1]);
      for (const x of v) walk(x, key, holder, ancestors, depth + 1);
      return;
    }
    const lowerKey = key?.toLowerCase();
    if (v instanceof Map)
      for (const [k, x] of v) walk(x, typeof k === "string" ? k : key, undefined, ancestors, depth + 1);
    else if (v instanceof Set) for (const x of v) walk(x, key, holder, ancestors, depth + 1);
    else if (isPlainObject(v)) {
      const inner = lowerKey ? [...ancestors, lowerKey] : ancestors;
      for (const [k, x] of Object.entries(v)) {
        if (lowerKey && KEYED_BY_USER.has(lowerKey) && UUID_ONE.test(k)) seen.userIds.add(k);
        walk(x, k, v, inner, depth + 1);
      }
    }
  };
  walk(value, undefined, undefined, [], 0);
  return seen;
}

/** The usernames and e-mails of the answer's users and realms that appear among its words. */
async function addKnownNames(sql: postgres.Sql, seen: Seen): Promise<void> {
  const words = [...seen.words];
  const ids = [...seen.userIds];
  const realms = [...seen.realms];
  if (words.length === 0 && ids.length === 0) return;
  const rows = await sql<{ username: string; email: string | null }[]>`
    select username, email from user_names
    where user_id = any(${ids}::text[])
       or (realm = any(${realms}::text[]) and (username = any(${words}::text[]) or email = any(${words}::text[])))
    limit 10000`;
  for (const r of rows) {
    seen.names.add(r.username);
    if (r.email) seen.names.add(r.email);
  }
}

function transform(
  v: unknown,
  seen: Seen,
  key: string | undefined,
  depth = 0,
  holder?: Record<string, unknown>,
  ancestors: string[] = [],
): unknown {
  if (depth > 40) return v;
  if (typeof v === "string") return transformString(v, seen, kindOf(key, holder, ancestors));
  if (Array.isArray(v)) {
    if ((v[0] === "user" || v[0] === "ip") && typeof v[1] === "string") {
      const out = [...v];
      out[1] = v[0] === "user" ? opaque(v[1]) : mask(v[1], "ip");
      return out.map((x, i) => (i < 2 ? x : transform(x, seen, key, depth + 1, holder, ancestors)));
    }
    return v.map((x) => transform(x, seen, key, depth + 1, holder, ancestors));
  }
  if (v instanceof Map) {
    return new Map(
      [...v].map(([k, x]) => [
        k,
        transform(x, seen, typeof k === "string" ? k : key, depth + 1, undefined, ancestors),
      ]),
    );
  }
  if (v instanceof Set)
    return new Set([...v].map((x) => transform(x, seen, key, depth + 1, holder, ancestors)));
  if (isPlainObject(v)) {
    const lowerKey = key?.toLowerCase();
    const inner = lowerKey ? [...ancestors, lowerKey] : ancestors;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const lower = k.toLowerCase();
      // An object keyed by user id ({ "<id>": "m•••" }) gets opaque keys.
      const outKey =
        (lowerKey && KEYED_BY_USER.has(lowerKey) && UUID_ONE.test(k)) || seen.userIds.has(k) ? opaque(k) : k;
      if (HIDDEN_KEYS.has(lower)) {
        out[outKey] = x === null || x === undefined ? x : MASKED;
      } else if (lower === "details" && x && typeof x === "object" && !Array.isArray(x)) {
        // Only the allow-listed keys, scrubbed like any text; every other key's value is hidden.
        out[outKey] = Object.fromEntries(
          Object.entries(x).map(([dk, dv]) => [
            dk,
            NON_PERSONAL_DETAILS.has(dk) && !HIDDEN_KEYS.has(dk.toLowerCase())
              ? transform(dv, seen, dk, depth + 2, x as Record<string, unknown>, [...inner, "details"])
              : dv === null || dv === undefined
                ? dv
                : MASKED,
          ]),
        );
      } else {
        out[outKey] = transform(x, seen, k, depth + 1, v, inner);
      }
    }
    return out;
  }
  return v;
}

function opaque(id: string): string {
  return id.includes(MASKED) ? id : opaqueUserId(id);
}

function transformString(v: string, seen: Seen, kind: FieldKind): string {
  if (kind === "user-id") return opaque(v);
  if (kind === "username") return mask(v, "username");
  if (kind === "email") return mask(v, "email");
  if (kind === "ip") return mask(v, "ip");
  if (kind === "hidden") return MASKED;
  if (kind === "url" && (v.startsWith("/") || /^https?:\/\//.test(v))) return scrubUrl(v, seen);
  return scrubText(v, seen);
}

function mask(v: string, kind: PersonalKind): string {
  return v.includes(MASKED) ? v : (maskPersonal(v, kind, "viewer") ?? MASKED);
}

/** Free text with every personal value in it replaced. */
export function scrubText(text: string, seen: Pick<Seen, "userIds" | "names">): string {
  let out = text;
  // Known names first, longest first, so that "anna.smith@x.org" goes before "anna".
  const names = [...seen.names].filter((n) => n.length > 1).sort((a, b) => b.length - a.length);
  // As whole words only (a sentence's full stop may follow): a name inside another ("hostname-admin") stays.
  for (const name of names) {
    if (!out.includes(name)) continue;
    const word = new RegExp(`(?<!${NAME_CHAR})${escapeRegExp(name)}(?![A-Za-z0-9_@+-]|\\.[A-Za-z0-9])`, "g");
    out = out.replace(word, mask(name, name.includes("@") ? "email" : "username"));
  }
  out = out.replace(EMAIL_G, (m) => mask(m, "email"));
  out = replaceUserIdsInPaths(out);
  out = out.replace(UUID_G, (m) =>
    seen.userIds.has(m) || seen.userIds.has(m.toLowerCase()) ? opaque(m) : m,
  );
  out = out.replace(IPV4_G, (m) => mask(m, "ip"));
  out = out.replace(IPV6_G, (m) => (m.split(":").length > 3 ? mask(m, "ip") : m));
  out = out.replace(
    AFTER_USERNAME_G,
    (_, word: string, sep: string, quote: string, value: string) =>
      `${word}${sep}${quote}${mask(value, "username")}`,
  );
  return out;
}

const PERSONAL_PARAMS = new Set([
  "user",
  "userid",
  "user_id",
  "username",
  "login_hint",
  "email",
  "ip",
  "authuser",
  "authip",
  "sub",
]);

/** A link with user ids in its path (/users/<realm>/<id>, admin paths users/<id>) and personal parameters replaced. */
function scrubUrl(v: string, seen: Seen): string {
  const absolute = /^https?:\/\//.test(v);
  let url: URL;
  try {
    url = new URL(v, "http://realmwatch.invalid");
  } catch {
    return scrubText(v, seen);
  }
  const segments = url.pathname.split("/");
  for (let i = 0; i < segments.length; i++) {
    const prev = segments[i - 1];
    const prev2 = segments[i - 2];
    const seg = decodeURIComponentSafe(segments[i] ?? "");
    const isUserPage = prev2 === "users" && prev !== undefined && i === 3 && segments[1] === "users";
    const isAdminUser = prev === "users" && !(i === 2 && segments[1] === "users");
    if ((isUserPage || isAdminUser || seen.userIds.has(seg)) && seg && !seg.startsWith(OPAQUE_PREFIX)) {
      segments[i] = encodeURIComponent(opaque(seg));
    } else {
      segments[i] = encodeURIComponent(scrubText(seg, seen)).replace(/%40/g, "@");
    }
  }
  url.pathname = segments.join("/");
  for (const [name, value] of [...url.searchParams]) {
    const lower = name.toLowerCase();
    if (lower === "user" || lower === "userid" || lower === "user_id" || lower === "sub")
      url.searchParams.set(name, opaque(value));
    else if (PERSONAL_PARAMS.has(lower)) url.searchParams.delete(name);
    else url.searchParams.set(name, scrubText(value, seen));
  }
  // The fragment too: the admin console routes by it (`#/<realm>/users/<id>/role-mapping`).
  const hash = url.hash ? scrubText(decodeURIComponentSafe(url.hash), seen) : "";
  const rebuilt = `${url.pathname}${url.search}${hash}`;
  return absolute ? `${url.origin}${rebuilt}` : rebuilt;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (!v || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
