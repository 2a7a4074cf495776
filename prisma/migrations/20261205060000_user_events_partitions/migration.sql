-- user_events becomes partitioned by day (UTC) on "time", which its primary key already holds: retention drops
-- whole days instead of deleting rows, and a time-bounded read only opens the days it covers. Prisma cannot
-- describe partitioning, so this migration is written by hand; the columns, keys and indexes stay exactly those
-- of schema.prisma (the drift test compares the partitioned parent with the table Prisma would build).
--
-- There is no default partition: realmwatch creates each day's partition itself (ahead of time at start and on
-- the retention timer, and for any other day a write needs) with realmwatch_event_partition below, which
-- creates the day's table with its key and indexes, then attaches it (ATTACH takes only a SHARE UPDATE
-- EXCLUSIVE lock on the parent, so reads and writes of other days go on).

CREATE FUNCTION realmwatch_event_partition(parent regclass, day date) RETURNS text
LANGUAGE plpgsql AS $fn$
DECLARE
  nsp text;
  base text;
  part text;
  qpart text;
  pk text;
  ix record;
BEGIN
  SELECT n.nspname, c.relname INTO nsp, base
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = parent;
  part := base || '_p' || to_char(day, 'YYYYMMDD');
  qpart := format('%I.%I', nsp, part);
  IF to_regclass(qpart) IS NOT NULL THEN
    RETURN part;
  END IF;
  -- Two writers may need the same day at once: one creates it, the other waits and finds it.
  PERFORM pg_advisory_xact_lock(hashtext('realmwatch:partition:' || qpart));
  BEGIN
    EXECUTE format('CREATE TABLE %s (LIKE %s INCLUDING DEFAULTS)', qpart, parent);
  EXCEPTION WHEN duplicate_table OR unique_violation THEN
    RETURN part;
  END;
  SELECT pg_get_constraintdef(k.oid) INTO pk FROM pg_constraint k WHERE k.conrelid = parent AND k.contype = 'p';
  IF pk IS NOT NULL THEN
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', qpart, part || '_pkey', pk);
  END IF;
  -- The parent's other indexes, named after the day's table (user_events_p20261205_failures_time_idx), so a
  -- plan names the index it uses.
  FOR ix IN
    SELECT c.relname, pg_get_indexdef(i.indexrelid) AS def
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE i.indrelid = parent AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
  LOOP
    EXECUTE regexp_replace(ix.def, '^CREATE (UNIQUE )?INDEX \S+ ON ONLY \S+ ',
                           format('CREATE \1INDEX %I ON %s ', replace(ix.relname, base, part), qpart));
  END LOOP;
  EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s FOR VALUES FROM (%L) TO (%L)', parent, qpart,
                 day::timestamp AT TIME ZONE 'UTC', (day + 1)::timestamp AT TIME ZONE 'UTC');
  RETURN part;
END
$fn$;

-- The rows of the unpartitioned table move into the new one; its names are freed first.
ALTER TABLE "user_events" RENAME TO "user_events_unpartitioned";
ALTER TABLE "user_events_unpartitioned" DROP CONSTRAINT "user_events_pkey";
DROP INDEX "user_events_realm_user_id_time_idx";
DROP INDEX "user_events_failures_realm_client_time_idx";
DROP INDEX "user_events_failures_cause_time_idx";
DROP INDEX "user_events_failures_time_idx";
DROP INDEX "user_events_unlinked_copies_idx";
DROP INDEX "user_events_failures_refused_idx";
DROP INDEX "user_events_failures_tokenless_idx";

-- Fixed-width columns first, widest first, so no row pays alignment padding between them.
CREATE TABLE "user_events" (
    "time" TIMESTAMPTZ(3) NOT NULL,
    "ingested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source_id" UUID NOT NULL,
    "confidence" REAL,
    "catalogue_version" INTEGER,
    "http_status" SMALLINT,
    "is_failure" BOOLEAN NOT NULL,
    "realm" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "realm_id" TEXT,
    "client_id" TEXT,
    "user_id" TEXT,
    "session_id" TEXT,
    "ip_address" TEXT,
    "error" TEXT,
    "details" JSONB,
    "username" TEXT,
    "cause" TEXT,
    "rule_id" TEXT,
    "evidence" TEXT,
    "origin" TEXT NOT NULL DEFAULT 'api',
    "http_method" TEXT,
    "http_path" TEXT,
    "copy_of" TEXT,

    CONSTRAINT "user_events_pkey" PRIMARY KEY ("source_id","realm","time","id")
) PARTITION BY RANGE ("time");

CREATE INDEX "user_events_realm_user_id_time_idx" ON "user_events"("realm", "user_id", "time");
CREATE INDEX "user_events_failures_realm_client_time_idx" ON "user_events"("realm", "client_id", "time") WHERE (is_failure);
CREATE INDEX "user_events_failures_cause_time_idx" ON "user_events"("cause", "time") WHERE (is_failure);
CREATE INDEX "user_events_failures_time_idx" ON "user_events"("time") WHERE (is_failure);
CREATE INDEX "user_events_unlinked_copies_idx" ON "user_events"("source_id", "realm", "time") WHERE (copy_of IS NULL AND origin IN ('access-log', 'report'));
CREATE INDEX "user_events_failures_refused_idx" ON "user_events"("realm", "time") WHERE (is_failure AND (origin = 'report' OR (details ->> 'audience') IS NOT NULL));
CREATE INDEX "user_events_failures_tokenless_idx" ON "user_events"("realm", "time") WHERE (is_failure AND origin = 'access-log' AND client_id IS NULL);

DO $$
DECLARE
  d date;
BEGIN
  FOR d IN SELECT DISTINCT ("time" AT TIME ZONE 'UTC')::date FROM "user_events_unpartitioned" LOOP
    PERFORM realmwatch_event_partition('user_events'::regclass, d);
  END LOOP;
END
$$;

INSERT INTO "user_events" ("time", "ingested_at", "source_id", "confidence", "catalogue_version", "http_status",
                           "is_failure", "realm", "id", "type", "realm_id", "client_id", "user_id", "session_id",
                           "ip_address", "error", "details", "username", "cause", "rule_id", "evidence", "origin",
                           "http_method", "http_path", "copy_of")
SELECT "time", "ingested_at", "source_id", "confidence", "catalogue_version", "http_status", "is_failure", "realm",
       "id", "type", "realm_id", "client_id", "user_id", "session_id", "ip_address", "error", "details", "username",
       "cause", "rule_id", "evidence", "origin", "http_method", "http_path", "copy_of"
FROM "user_events_unpartitioned"
ORDER BY "source_id", "realm", "time", "id";

DROP TABLE "user_events_unpartitioned";
