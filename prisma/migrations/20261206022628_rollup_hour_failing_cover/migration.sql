-- Pattern detection's read of each failing cause's client hours (lib/patterns/incident-series.ts), index-only.
-- Partial: only the hours with failures. On an installation with a large history this reads rollup_hour once
-- while it holds writes back (1.7 s at 100 million events, 79 MB).
-- CreateIndex
CREATE INDEX "rollup_hour_failing_cover_idx" ON "rollup_hour"("source_id", "realm", "cause", "bucket", "client_id", "type", "failures") WHERE (failures > 0);
