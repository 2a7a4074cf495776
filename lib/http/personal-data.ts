/**
 * Every personal value the dashboard shows or returns (usernames, e-mails, IP addresses, user ids) passes
 * through here, so masking by role is one edit in one place.
 */
export type PersonalKind = "username" | "email" | "ip" | "user-id";

export function showPersonal(value: string | null | undefined, _kind: PersonalKind): string | null {
  return value ?? null;
}

/** Event `details` keys that hold personal data, and what they hold. */
const PERSONAL_DETAILS: Record<string, PersonalKind> = {
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

/** Event details with their personal values passed through showPersonal. */
export function showPersonalDetails(details: Record<string, string> | null): Record<string, string> | null {
  if (!details) return null;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(details)) {
    const kind = PERSONAL_DETAILS[key];
    out[key] = kind ? (showPersonal(value, kind) ?? "") : value;
  }
  return out;
}
