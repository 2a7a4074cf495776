import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { idParams } from "@/lib/server/query-params";
import { testSource } from "@/lib/sources/test-source";

export const dynamic = "force-dynamic";

/** POST /api/sources/<id>/test: authenticate and read each realm's events configuration; changes nothing. */
export const POST = route({ params: idParams }, async ({ params }) => ({
  result: await testSource(getSql(), params.id),
}));
