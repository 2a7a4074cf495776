-- CreateIndex
CREATE INDEX "rollup_hour_failures_cover_idx" ON "rollup_hour"("bucket", "source_id", "realm", "client_id", "cause", "failures") WHERE (failures > 0);
