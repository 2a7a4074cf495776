-- CreateIndex
CREATE INDEX "user_events_failures_refused_idx" ON "user_events"("realm", "time") WHERE (is_failure AND (origin = 'report' OR (details ->> 'audience') IS NOT NULL));

-- CreateIndex
CREATE INDEX "user_events_failures_tokenless_idx" ON "user_events"("realm", "time") WHERE (is_failure AND origin = 'access-log' AND client_id IS NULL);
