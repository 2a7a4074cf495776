import { isOpaqueUserId, openOpaqueUserId } from "@/lib/auth/opaque-id";
import { type Role, roleAtLeast } from "@/lib/auth/roles";
import { AppError } from "@/lib/server/errors";

/**
 * What viewers may ask for. A filter by a person would confirm who hides behind a masked value ("is m••• marco?"
 * answered by filtering on marco), so viewers name users only by the opaque ids realmwatch's own links carry, and
 * never filter by address. Opaque ids are opened for every role (a link a viewer shared still works for an analyst).
 */
export function userRef(value: string, role: Role): string {
  if (isOpaqueUserId(value)) {
    const id = openOpaqueUserId(value);
    if (!id)
      throw new AppError(
        "bad_request",
        "This user link is not valid (it was made with another key, or altered).",
      );
    return id;
  }
  if (!roleAtLeast(role, "analyst")) {
    throw new AppError(
      "forbidden",
      "Viewers open a user only from realmwatch's own links; a user id, username or e-mail needs the analyst role.",
    );
  }
  return value;
}

/** Refuses, for viewers, a filter that names a person or an address. */
export function refuseIdentifyingFilter(role: Role, name: string, value: string | null | undefined): void {
  if (value && !roleAtLeast(role, "analyst")) {
    throw new AppError(
      "forbidden",
      `Viewers cannot filter by ${name}: it would tell who is behind a masked value.`,
    );
  }
}
