import type { PersonalKind } from "@/lib/auth/personal-data";
import { type Role, roleAtLeast } from "@/lib/auth/roles";

/**
 * Personal values as a role may see them: analysts and admins see them whole; viewers see enough to tell
 * values apart in a chart (the first character of a name, the network of an address) and nothing more.
 */
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
