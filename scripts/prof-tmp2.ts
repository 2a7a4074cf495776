import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { createSql } from "@/lib/db/sql";

const db = await startEmbeddedPostgres({
  dataDir: ".data/bench-query",
  port: 54349,
  database: "realmwatch_bench",
});
const sql = createSql(db.url, 4);
const q = async (name: string, text: string) => {
  const t = performance.now();
  const r = await sql.unsafe(text);
  console.log(name, Math.round(performance.now() - t), "ms", r.length);
};
const range = `bucket >= '2026-03-02T12:00:00Z' and bucket < '2026-06-30T13:00:00Z'`;
await q(
  "failure cells",
  `with cells as (select source_id, realm, cause, client_id, bucket, sum(failures)::int as failures from rollup_hour where failures > 0 and ${range} group by 1,2,3,4,5) select count(*) from cells`,
);
await q(
  "kinds",
  `select source_id, realm, cause, client_id, array_agg(distinct type) from rollup_hour where failures > 0 and ${range} group by 1,2,3,4`,
);
await q(
  "realm traffic",
  `select source_id, realm, bucket, sum(events) from rollup_hour where ${range} group by 1,2,3`,
);
await q("rollup_hour rows", `select count(*) from rollup_hour`);
await q(
  "user cells",
  `with failures as (select source_id, realm, cause, user_id, floor(extract(epoch from time) / 3600) as at from user_events where is_failure and cause = any('{user-credentials,user-state}') and user_id is not null) , c as (select source_id, realm, cause, user_id from failures group by 1,2,3,4 having count(*) >= 8) select count(*) from c`,
);
await q(
  "first bucket",
  `select realm, (select min(bucket) from rollup_hour h where h.realm = r.realm) from (select distinct realm from rollup_hour) r`,
);
await sql.end();
await db.stop();
