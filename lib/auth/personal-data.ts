import { type Role, roleAtLeast } from "@/lib/auth/roles";

/**
 * Every personal value the dashboard shows or returns (usernames, e-mails, IP addresses, user ids) passes
 * through here with the viewer's role: viewers see enough to tell values apart in a chart (`a•••`,
 * `203.0.x.x`) and nothing more; analysts and admins see the values. Pure: the role is an argument, which the
 * screen loaders get from the page or route that knows the viewer.
 */
export type PersonalKind = "username" | "email" | "ip" | "user-id";

export function maskPersonal(
  value: string | null | undefined,
  kind: PersonalKind,
  role: Role,
): string | null {
  if (value === null || value === undefined) return null;
  if (roleAtLeast(role, "analyst")) return value;
  return MASKS[kind](value);
}

const MASKS: Record<PersonalKind, (value: string) => string> = {
  username: (v) => `${[...v][0] ?? ""}•••`,
  email: (v) => {
    const at = v.lastIndexOf("@");
    return at > 0 ? `${[...v][0] ?? ""}•••@${v.slice(at + 1)}` : `${[...v][0] ?? ""}•••`;
  },
  ip: maskIp,
  "user-id": (v) => `${v.slice(0, 4)}•••`,
};

function maskIp(v: string): string {
  const v4 = v.match(/^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/);
  if (v4) return `${v4[1]}.${v4[2]}.x.x`;
  if (v.includes(":")) {
    const groups = v.split(":").filter((g) => g !== "");
    return `${groups.slice(0, 2).join(":")}:•••`;
  }
  return "•••";
}

/** Event `details` keys that hold personal data, and what they hold. */
export const PERSONAL_DETAILS: Readonly<Record<string, PersonalKind>> = {
  username: "username",
  email: "email",
  previous_email: "email",
  updated_email: "email",
  first_name: "username",
  last_name: "username",
  previous_first_name: "username",
  updated_first_name: "username",
  previous_last_name: "username",
  updated_last_name: "username",
  identity_provider_identity: "username",
  impersonator: "username",
  refresh_token_sub: "user-id",
};

/** Event details with their personal values masked for the role. */
export function maskPersonalDetails(
  details: Record<string, string> | null,
  role: Role,
): Record<string, string> | null {
  if (!details) return null;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(details)) {
    const kind = PERSONAL_DETAILS[key];
    out[key] = kind ? (maskPersonal(value, kind, role) ?? "") : value;
  }
  return out;
}

/**
 * The `details` keys that Keycloak (org.keycloak.events.Details) or realmwatch writes and that cannot hold a
 * person's name or address: the allow-list of the privacy options (lib/ingest/write/privacy.ts) and of what
 * viewers see (lib/auth/viewer-boundary.ts). Any other key, including those of newer Keycloaks, is personal.
 */
export const NON_PERSONAL_DETAILS: ReadonlySet<string> = new Set([
  // org.keycloak.events.Details
  "custom_required_action",
  "action",
  "code_id",
  "redirect_uri",
  "response_type",
  "response_mode",
  "grant_type",
  "auth_type",
  "auth_method",
  "identity_provider",
  "register_method",
  "remember_me",
  "token_id",
  "refresh_token_id",
  "refresh_token_type",
  "validate_access_token",
  "updated_refresh_token_id",
  "node_host",
  "reason",
  "revoked_client",
  "audience",
  "requested_audience",
  "permission",
  "scope",
  "requested_issuer",
  "restart_after_timeout",
  "consent",
  "impersonator_realm",
  "client_auth_method",
  "signature_required",
  "signature_algorithm",
  "client_registration_policy",
  "x509_cert_serial_number",
  "x509_cert_issuer_distinguished_name",
  "credential_type",
  "selected_credential_id",
  "not_before",
  // written by realmwatch: access-log and report rows, the classifier's own notes
  "method",
  "path",
  "status",
  "host",
  "origin",
  "user_agent",
  "access_log",
  "client_from",
  "required",
  "token_claims",
  "detail",
]);
