import { NotFoundState } from "@/app/_components/not-found-state";

/** Any unknown address, and an overview or list asked for a realm realmwatch has never seen. */
export default function NotFound() {
  return (
    <NotFoundState title="Not found">
      realmwatch knows no such page or realm. A realm is known once a source lists it or one of its events was
      read; check the address, or the Sources page.
    </NotFoundState>
  );
}
