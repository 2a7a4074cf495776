import { parseRepresentation, roleNames } from "@/lib/analytics/admin-representation";
import type { AdminTimelineEntry } from "@/lib/analytics/queries/admin-timeline";
import { ADMIN_CHANGE_TEXT } from "@/lib/explorer/admin-change-text";

/** One admin change in words: what kind, which roles (for role mappings), and Keycloak's own fields. */
export function AdminChangeLine({ entry }: { entry: AdminTimelineEntry }) {
  const roles = entry.kind.startsWith("user-role-mapping")
    ? roleNames(parseRepresentation(entry.representation))
    : [];
  return (
    <>
      <strong>{ADMIN_CHANGE_TEXT[entry.kind]}</strong>
      {roles.length > 0 ? `: ${roles.join(", ")}` : ""}{" "}
      <span className="muted">
        ({entry.operationType} {entry.resourceType ?? ""} <code>{entry.resourcePath ?? ""}</code>
        {entry.authUserId ? `, by admin ${entry.authUserId}` : ""})
      </span>
    </>
  );
}
