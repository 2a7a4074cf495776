/**
 * A user as people know them: the username (already masked for the viewer's role), the id on hover, linking
 * to the user's page. Without a username (a deleted user, an event without one) the id is shown.
 */
export function UserLink({
  realm,
  userId,
  username,
}: {
  realm: string;
  userId: string | null;
  username: string | null;
}) {
  if (!userId) return username ? <span>{username}</span> : <span className="muted">—</span>;
  return (
    <a href={`/users/${encodeURIComponent(realm)}/${encodeURIComponent(userId)}`} title={`User id ${userId}`}>
      {username ?? userId}
    </a>
  );
}

export function ClientLink({ realm, clientId }: { realm: string; clientId: string | null }) {
  if (!clientId) return <span className="muted">—</span>;
  return <a href={`/clients/${encodeURIComponent(realm)}/${encodeURIComponent(clientId)}`}>{clientId}</a>;
}
