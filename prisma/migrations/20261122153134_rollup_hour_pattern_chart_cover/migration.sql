-- DropIndex
DROP INDEX "rollup_hour_source_id_realm_cause_bucket_idx";

-- CreateIndex
CREATE INDEX "rollup_hour_source_id_realm_cause_bucket_client_id_failures_idx" ON "rollup_hour"("source_id", "realm", "cause", "bucket", "client_id", "failures");
