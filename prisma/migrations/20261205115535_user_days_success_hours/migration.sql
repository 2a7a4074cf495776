-- A user's successes by UTC hour of the day, kept when the raw successes expire: incident detection reads a user's
-- hourly traffic from them (lib/patterns/incident-series.ts). Days summarized before this column existed keep
-- their daily count only.
ALTER TABLE "user_days" ADD COLUMN     "success_hours" JSONB;

-- Adds two JSON objects of counts key by key ({"a": 1} + {"a": 2, "b": 1} = {"a": 3, "b": 1}): how user_days
-- merges its failures by cause and successes by hour when a day is summarized in several passes.
CREATE OR REPLACE FUNCTION realmwatch_jsonb_add(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE
    WHEN a IS NULL THEN b
    WHEN b IS NULL THEN a
    ELSE (SELECT jsonb_object_agg(k, n)
          FROM (SELECT k, sum(v::bigint) AS n
                FROM (SELECT * FROM jsonb_each_text(a) UNION ALL SELECT * FROM jsonb_each_text(b)) AS both_(k, v)
                GROUP BY k) AS summed)
  END
$fn$;
