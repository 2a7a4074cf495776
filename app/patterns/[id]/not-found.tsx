import { NotFoundState } from "@/app/_components/not-found-state";

export default function PatternNotFound() {
  return (
    <NotFoundState title="Unknown pattern">
      No pattern has this id: it may have been merged into another or removed by retention. The Patterns page
      lists the current ones.
    </NotFoundState>
  );
}
