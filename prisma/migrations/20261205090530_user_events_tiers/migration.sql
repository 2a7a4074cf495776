-- Tiered retention: each day of user_events is itself split by is_failure into two tables, its failures
-- (user_events_p20261205_f) and its successes (user_events_p20261205_s), so that retention drops a day's
-- successes after a few days (REALMWATCH_SUCCESS_RETENTION_DAYS) and its failures much later, each by dropping a
-- whole table. What the dropped rows said of each user is kept in user_days first (lib/retention/).
-- A key of a partitioned table holds every partitioning column: the primary key gains is_failure.
-- Prisma cannot describe partitioning, so this part is written by hand; the drift test checks the result.

-- A day: the partitioned day table and its two tiers, each tier with the parent's key and indexes named after
-- it (user_events_p20261205_s_pkey), so a plan names the index it uses. A day whose tier is missing (its
-- successes dropped by retention, then a late import of old successes) gets that tier back. Attaching takes only
-- a SHARE UPDATE EXCLUSIVE lock on the parent, so reads and writes of other days go on.
CREATE OR REPLACE FUNCTION realmwatch_event_partition(parent regclass, day date) RETURNS text
LANGUAGE plpgsql AS $fn$
DECLARE
  nsp text;
  base text;
  part text;
  qpart text;
  leaf text;
  qleaf text;
  tier record;
  pk text;
  ix record;
BEGIN
  SELECT n.nspname, c.relname INTO nsp, base
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = parent;
  part := base || '_p' || to_char(day, 'YYYYMMDD');
  qpart := format('%I.%I', nsp, part);
  IF to_regclass(qpart) IS NOT NULL AND to_regclass(format('%I.%I', nsp, part || '_f')) IS NOT NULL
     AND to_regclass(format('%I.%I', nsp, part || '_s')) IS NOT NULL THEN
    RETURN part;
  END IF;
  -- Two writers may need the same day at once: one creates it, the other waits and finds it.
  PERFORM pg_advisory_xact_lock(hashtext('realmwatch:partition:' || qpart));
  SELECT pg_get_constraintdef(k.oid) INTO pk FROM pg_constraint k WHERE k.conrelid = parent AND k.contype = 'p';
  FOR tier IN SELECT * FROM (VALUES ('_f', true), ('_s', false)) AS t(suffix, failure) LOOP
    leaf := part || tier.suffix;
    qleaf := format('%I.%I', nsp, leaf);
    CONTINUE WHEN to_regclass(qleaf) IS NOT NULL;
    EXECUTE format('CREATE TABLE %s (LIKE %s INCLUDING DEFAULTS)', qleaf, parent);
    IF pk IS NOT NULL THEN
      EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', qleaf, leaf || '_pkey', pk);
    END IF;
    FOR ix IN
      SELECT c.relname, pg_get_indexdef(i.indexrelid) AS def
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = parent AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
    LOOP
      EXECUTE regexp_replace(ix.def, '^CREATE (UNIQUE )?INDEX \S+ ON ONLY \S+ ',
                             format('CREATE \1INDEX %I ON %s ', replace(ix.relname, base, leaf), qleaf));
    END LOOP;
    IF to_regclass(qpart) IS NOT NULL THEN
      EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s FOR VALUES IN (%L)', qpart, qleaf, tier.failure);
    END IF;
  END LOOP;
  IF to_regclass(qpart) IS NULL THEN
    EXECUTE format('CREATE TABLE %s (LIKE %s INCLUDING DEFAULTS) PARTITION BY LIST (is_failure)', qpart, parent);
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I.%I FOR VALUES IN (true)', qpart, nsp, part || '_f');
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I.%I FOR VALUES IN (false)', qpart, nsp, part || '_s');
    -- The day's own (partitioned) key and indexes are made here, each adopting its tiers' twins.
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s FOR VALUES FROM (%L) TO (%L)', parent, qpart,
                   day::timestamp AT TIME ZONE 'UTC', (day + 1)::timestamp AT TIME ZONE 'UTC');
  END IF;
  RETURN part;
END
$fn$;

-- The events of the previous layout move into the new one. Its key and indexes go first (from every day at
-- once), and its tables are renamed, so their names are free for the new days.
ALTER TABLE "user_events" DROP CONSTRAINT "user_events_pkey";
DROP INDEX "user_events_realm_user_id_time_idx";
DROP INDEX "user_events_failures_realm_client_time_idx";
DROP INDEX "user_events_failures_cause_time_idx";
DROP INDEX "user_events_failures_time_idx";
DROP INDEX "user_events_unlinked_copies_idx";
DROP INDEX "user_events_failures_refused_idx";
DROP INDEX "user_events_failures_tokenless_idx";
ALTER TABLE "user_events" RENAME TO "user_events_untiered";
DO $$
DECLARE
  p record;
BEGIN
  FOR p IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
           WHERE i.inhparent = 'user_events_untiered'::regclass LOOP
    EXECUTE format('ALTER TABLE %I RENAME TO %I', p.relname, p.relname || '_untiered');
  END LOOP;
END
$$;

CREATE TABLE "user_events" (LIKE "user_events_untiered" INCLUDING DEFAULTS) PARTITION BY RANGE ("time");
ALTER TABLE "user_events" ADD CONSTRAINT "user_events_pkey" PRIMARY KEY ("source_id", "realm", "time", "id", "is_failure");
CREATE INDEX "user_events_realm_user_id_time_idx" ON "user_events"("realm", "user_id", "time");
CREATE INDEX "user_events_failures_realm_client_time_idx" ON "user_events"("realm", "client_id", "time") WHERE (is_failure);
CREATE INDEX "user_events_failures_cause_time_idx" ON "user_events"("cause", "time") WHERE (is_failure);
CREATE INDEX "user_events_failures_time_idx" ON "user_events"("time") WHERE (is_failure);
CREATE INDEX "user_events_unlinked_copies_idx" ON "user_events"("source_id", "realm", "time") WHERE (copy_of IS NULL AND origin IN ('access-log', 'report'));
CREATE INDEX "user_events_failures_refused_idx" ON "user_events"("realm", "time") WHERE (is_failure AND (origin = 'report' OR (details ->> 'audience') IS NOT NULL));
CREATE INDEX "user_events_failures_tokenless_idx" ON "user_events"("realm", "time") WHERE (is_failure AND origin = 'access-log' AND client_id IS NULL);

-- The days the old tables held (read from their names, not from their rows).
DO $$
DECLARE
  p record;
BEGIN
  FOR p IN SELECT substring(c.relname FROM '_p(\d{8})_untiered$') AS day
           FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
           WHERE i.inhparent = 'user_events_untiered'::regclass LOOP
    PERFORM realmwatch_event_partition('user_events'::regclass, to_date(p.day, 'YYYYMMDD'));
  END LOOP;
END
$$;

INSERT INTO "user_events" SELECT * FROM "user_events_untiered" ORDER BY "source_id", "realm", "time", "id";
DROP TABLE "user_events_untiered" CASCADE;

-- PostgreSQL 18 names NOT NULL constraints uniquely within the schema: made beside the old table, the new one's
-- took a '1' suffix. Give them the names a fresh install has (earlier versions keep no such constraints).
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN
    SELECT conname FROM pg_constraint
    WHERE conrelid = 'user_events'::regclass AND contype = 'n' AND conname ~ '^user_events_.*_not_null[0-9]+$'
  LOOP
    EXECUTE format('ALTER TABLE "user_events" RENAME CONSTRAINT %I TO %I', c.conname,
                   regexp_replace(c.conname, '[0-9]+$', ''));
  END LOOP;
END
$$;

-- What retention keeps of a user's expired events.
CREATE TABLE "user_days" (
    "realm" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "source_id" UUID NOT NULL,
    "successes" INTEGER NOT NULL DEFAULT 0,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "last_success" TIMESTAMPTZ(3),
    "last_login" TIMESTAMPTZ(3),
    "last_failure" TIMESTAMPTZ(3),
    "last_temporary_lockout" TIMESTAMPTZ(3),
    "last_permanent_lockout" TIMESTAMPTZ(3),
    "last_denied_locked" TIMESTAMPTZ(3),
    "by_cause" JSONB,

    CONSTRAINT "user_days_pkey" PRIMARY KEY ("realm","user_id","day","source_id")
);

CREATE INDEX "user_days_day_idx" ON "user_days"("day");
