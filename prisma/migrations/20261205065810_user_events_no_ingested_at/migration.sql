-- Nothing reads when a row was stored (its time and the ingest runs say enough): 8 bytes of every event.
-- AlterTable
ALTER TABLE "user_events" DROP COLUMN "ingested_at";
