-- DropIndex
DROP INDEX "user_events_realm_client_id_time_idx";

-- DropIndex
DROP INDEX "user_events_cause_time_idx";

-- DropIndex
DROP INDEX "user_events_catalogue_version_idx";

-- CreateIndex
CREATE INDEX "user_events_failures_realm_client_time_idx" ON "user_events"("realm", "client_id", "time") WHERE (is_failure);

-- CreateIndex
CREATE INDEX "user_events_failures_cause_time_idx" ON "user_events"("cause", "time") WHERE (is_failure);

-- CreateIndex
CREATE INDEX "user_events_failures_time_idx" ON "user_events"("time") WHERE (is_failure);

-- CreateIndex
CREATE INDEX "rollup_hour_bucket_idx" ON "rollup_hour"("bucket");
