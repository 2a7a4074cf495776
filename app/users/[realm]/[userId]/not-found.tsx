import { NotFoundState } from "@/app/_components/not-found-state";

export default function UserNotFound() {
  return (
    <NotFoundState title="Unknown user">
      No event, name or admin change of this user was ever read in this realm: the id may be mistyped, from
      another realm, or its events may be older than the retention period.
    </NotFoundState>
  );
}
