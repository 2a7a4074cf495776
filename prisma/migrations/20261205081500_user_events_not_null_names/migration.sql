-- PostgreSQL 18 names NOT NULL constraints, uniquely within the schema: the partitioned user_events was created
-- while the old table still held "user_events_<column>_not_null", so its own took a "1" suffix. Give them the
-- names a fresh install has. Earlier PostgreSQL keeps no NOT NULL constraints in pg_constraint: nothing to do.
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
