import { ADMIN_CHANGE_TEXT } from "@/lib/analytics/admin-change-text";
import { parseRepresentation, roleNames } from "@/lib/analytics/admin-representation";
import type { AdminTimelineView } from "@/lib/screens/events/admin-event-view";
import { AdminName, NamedText } from "./named-text";

/** One admin change in words: what kind, which roles (for role mappings), what it touched by name, and who. */
export function AdminChangeLine({ entry }: { entry: AdminTimelineView }) {
  const roles = entry.kind.startsWith("user-role-mapping")
    ? roleNames(parseRepresentation(entry.representation))
    : [];
  return (
    <>
      <strong>{ADMIN_CHANGE_TEXT[entry.kind]}</strong>
      {roles.length > 0 ? `: ${roles.join(", ")}` : ""}
      {entry.admin ? (
        <>
          {" by "}
          {entry.admin.name === null && entry.admin.id !== null ? "admin " : ""}
          <AdminName admin={entry.admin} />
        </>
      ) : null}{" "}
      <span className="muted">
        ({entry.operationType} {entry.resourceType ?? ""}{" "}
        <code title={entry.resourcePath ?? undefined}>
          <NamedText parts={entry.resource} />
        </code>
        )
      </span>
    </>
  );
}
