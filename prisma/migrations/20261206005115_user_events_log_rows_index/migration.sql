-- The server-log rows of user_events (origin 'log'), for the writer's search of the log rows that API or pushed
-- events replace (lib/ingest/write/write-events.ts). Created on the partitioned table, so each day's tiers get
-- their own (realmwatch_event_partition copies the parent's indexes to every new day); partial, so a write of
-- API or pushed events does not maintain it. On an installation with a large history this reads each table once
-- while it holds writes back.
CREATE INDEX "user_events_log_rows_idx" ON "user_events"("source_id", "realm", "time") WHERE (origin = 'log');
