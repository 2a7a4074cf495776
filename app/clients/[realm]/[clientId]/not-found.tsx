import { NotFoundState } from "@/app/_components/not-found-state";

export default function ClientNotFound() {
  return (
    <NotFoundState title="Unknown client">
      No event of this client id was ever read in this realm, and the realm's sources do not name it: the id
      may be mistyped or from another realm.
    </NotFoundState>
  );
}
