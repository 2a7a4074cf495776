-- admin_events becomes partitioned by month (UTC) on "time", as user_events is by day: retention drops whole
-- months instead of deleting rows (admin events are few, kept a year by default: a month per table keeps the
-- tables a query opens to about thirteen). A key of a partitioned table holds its partitioning column, so the key
-- becomes (source_id, realm, time, id): an id always comes with the same time (Keycloak's event, or a fingerprint
-- that includes the time), and the writer checks ids under its lock (lib/ingest/write/write-events.ts). Its
-- (source_id, realm, time) prefix replaces the time index; a change is also found by its id alone. Prisma cannot
-- describe partitioning, so this migration is written by hand; the drift test checks the result.
--
-- There is no default partition: realmwatch creates each month itself (ahead of time at start and on the
-- retention timer, and any other month a write needs) with realmwatch_month_partition below, which creates the
-- month's table with the parent's key and indexes named after it, then attaches it (ATTACH takes only a SHARE
-- UPDATE EXCLUSIVE lock on the parent, so reads and writes of other months go on).

CREATE FUNCTION realmwatch_month_partition(parent regclass, month date) RETURNS text
LANGUAGE plpgsql AS $fn$
DECLARE
  nsp text;
  base text;
  part text;
  qpart text;
  first date;
  pk text;
  ix record;
BEGIN
  SELECT n.nspname, c.relname INTO nsp, base
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = parent;
  first := date_trunc('month', month)::date;
  part := base || '_p' || to_char(first, 'YYYYMM');
  qpart := format('%I.%I', nsp, part);
  IF to_regclass(qpart) IS NOT NULL THEN
    RETURN part;
  END IF;
  -- Two writers may need the same month at once: one creates it, the other waits and finds it.
  PERFORM pg_advisory_xact_lock(hashtext('realmwatch:partition:' || qpart));
  IF to_regclass(qpart) IS NOT NULL THEN
    RETURN part;
  END IF;
  EXECUTE format('CREATE TABLE %s (LIKE %s INCLUDING DEFAULTS)', qpart, parent);
  SELECT pg_get_constraintdef(k.oid) INTO pk FROM pg_constraint k WHERE k.conrelid = parent AND k.contype = 'p';
  IF pk IS NOT NULL THEN
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', qpart, part || '_pkey', pk);
  END IF;
  FOR ix IN
    SELECT c.relname, pg_get_indexdef(i.indexrelid) AS def
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE i.indrelid = parent AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
  LOOP
    EXECUTE regexp_replace(ix.def, '^CREATE (UNIQUE )?INDEX \S+ ON ONLY \S+ ',
                           format('CREATE \1INDEX %I ON %s ', replace(ix.relname, base, part), qpart));
  END LOOP;
  EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s FOR VALUES FROM (%L) TO (%L)', parent, qpart,
                 first::timestamp AT TIME ZONE 'UTC', (first + interval '1 month')::timestamp AT TIME ZONE 'UTC');
  RETURN part;
END
$fn$;

-- The rows of the unpartitioned table move into the new one; its names are freed first.
ALTER TABLE "admin_events" RENAME TO "admin_events_unpartitioned";
ALTER TABLE "admin_events_unpartitioned" DROP CONSTRAINT "admin_events_pkey";
DROP INDEX "admin_events_source_id_realm_time_idx";
DROP INDEX "admin_events_source_id_realm_resource_path_idx";

CREATE TABLE "admin_events" (LIKE "admin_events_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("time");
ALTER TABLE "admin_events" ADD CONSTRAINT "admin_events_pkey" PRIMARY KEY ("source_id", "realm", "time", "id");
CREATE INDEX "admin_events_source_id_realm_id_idx" ON "admin_events"("source_id", "realm", "id");
CREATE INDEX "admin_events_source_id_realm_resource_path_idx" ON "admin_events"("source_id", "realm", "resource_path");

DO $$
DECLARE
  m date;
BEGIN
  FOR m IN SELECT DISTINCT date_trunc('month', "time" AT TIME ZONE 'UTC')::date FROM "admin_events_unpartitioned" LOOP
    PERFORM realmwatch_month_partition('admin_events'::regclass, m);
  END LOOP;
END
$$;

INSERT INTO "admin_events" SELECT * FROM "admin_events_unpartitioned" ORDER BY "source_id", "realm", "time", "id";
DROP TABLE "admin_events_unpartitioned";

-- PostgreSQL 18 names NOT NULL constraints uniquely within the schema: made beside the old table, the new one's
-- took a '1' suffix. Give them the names a fresh install has (earlier versions keep no such constraints).
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN
    SELECT conname FROM pg_constraint
    WHERE conrelid = 'admin_events'::regclass AND contype = 'n' AND conname ~ '^admin_events_.*_not_null[0-9]+$'
  LOOP
    EXECUTE format('ALTER TABLE "admin_events" RENAME CONSTRAINT %I TO %I', c.conname,
                   regexp_replace(c.conname, '[0-9]+$', ''));
  END LOOP;
END
$$;
