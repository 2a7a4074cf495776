-- AlterTable
ALTER TABLE "user_events" ADD COLUMN     "copy_of" TEXT;

-- CreateIndex
CREATE INDEX "user_events_unlinked_copies_idx" ON "user_events"("source_id", "realm", "time") WHERE (copy_of IS NULL AND origin IN ('access-log', 'report'));
