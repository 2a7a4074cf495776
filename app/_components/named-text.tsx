import type { AdminShown } from "@/lib/screens/names/load-names";
import { type NamedPart, shortId } from "@/lib/screens/names/named-parts";
import type { SuspectView } from "@/lib/screens/patterns/name-patterns";

const KIND_LABEL: Record<string, string> = {
  client: "Client",
  user: "User",
  role: "Role",
  mapper: "Protocol mapper",
  "client-scope": "Client scope",
  group: "Group",
};

/** An id as people read it: its name when known, else its first characters; the full id on hover either way. */
export function NamedId({ id, kind, name }: { id: string; kind?: string | null; name: string | null }) {
  const label = `${(kind && KIND_LABEL[kind]) ?? "Id"} id ${id}`;
  return name !== null ? (
    <span className="named" title={label}>
      {name}
    </span>
  ) : (
    <span className="id" title={label}>
      {shortId(id)}
    </span>
  );
}

/** Text whose ids are shown by name (see lib/screens/names/named-parts.ts). */
export function NamedText({ parts }: { parts: readonly NamedPart[] }) {
  return (
    <>
      {parts.map((p, i) =>
        "text" in p ? (
          p.text
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one text, in a fixed order
          <NamedId key={i} id={p.id} kind={p.kind} name={p.name} />
        ),
      )}
    </>
  );
}

/** Who made an admin change: their username, else their id shortened, with the realm they sign in to on hover. */
export function AdminName({ admin }: { admin: AdminShown | null }) {
  if (!admin) return <span className="muted">—</span>;
  const title = `${admin.id ? `Admin user id ${admin.id}` : "Admin"}${admin.realm ? ` in realm ${admin.realm}` : ""}`;
  return admin.name !== null || admin.id === null ? (
    <span className="named" title={title} data-testid="admin-name">
      {admin.name ?? "unknown admin"}
    </span>
  ) : (
    <span className="id" title={`${title}; no username known yet`} data-testid="admin-name">
      {shortId(admin.id)}
    </span>
  );
}

/** A suspected admin change in one line: what changed, how, and who changed it. */
export function SuspectSummary({ suspect }: { suspect: SuspectView }) {
  return (
    <>
      <NamedText parts={suspect.summary} />
      {suspect.by ? (
        <>
          {" by "}
          {suspect.by.name === null && suspect.by.id !== null ? "admin " : ""}
          <AdminName admin={suspect.by} />
        </>
      ) : null}
    </>
  );
}
