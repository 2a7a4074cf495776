import { LoadingState } from "@/app/_components/loading-state";

export default function Loading() {
  return <LoadingState what="events" />;
}
