import { route } from "@/lib/auth/route";

export const dynamic = "force-dynamic";

/** Liveness: the process serves requests. Touches nothing else, so a slow database never gets it restarted. */
export const GET = route({}, () => ({ status: "live" }));
