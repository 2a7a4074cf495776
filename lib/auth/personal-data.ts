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
