import postgres from "postgres";
import { getEnv } from "@/lib/server/env";

/**
 * The postgres.js client for bulk writes (COPY) and analytics SQL. One per process, created here only.
 * Values are always bound through tagged templates; never build SQL text from input.
 */
let client: postgres.Sql | undefined;

export function getSql(): postgres.Sql {
  if (client) return client;
  const url = getEnv().DATABASE_URL;
  if (!url)
    throw new Error("DATABASE_URL is not set: start realmwatch with `npm start`, which provides one.");
  client = createSql(url);
  return client;
}

export function createSql(url: string, max = 10): postgres.Sql {
  return postgres(url, {
    max,
    onnotice: () => {},
    connection: { application_name: "realmwatch" },
    // bigint counts come back as strings by default; realmwatch's counts fit in a JS number.
    types: { bigint: postgres.BigInt },
    transform: { undefined: null },
  });
}

export async function closeSql(): Promise<void> {
  const c = client;
  client = undefined;
  await c?.end({ timeout: 5 });
}
