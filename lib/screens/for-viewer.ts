import type { Role } from "@/lib/auth/roles";
import { forViewer } from "@/lib/auth/viewer-boundary";
import { getSql } from "@/lib/db/sql";
import { type Settled, settle } from "@/lib/server/settle";

/**
 * For pages: a loader's result through the viewer boundary (lib/auth/viewer-boundary.ts), the same one the API's
 * answers pass (route()), then settled for the page's banner. Every page shows loaded data only through this.
 */
export function settleFor<T>(role: Role, loading: Promise<T>): Promise<Settled<T>> {
  return settle(loading.then((value) => forViewer(value, role, getSql)));
}
