-- AlterTable
ALTER TABLE "sync_streams" ADD COLUMN     "aged_until" TIMESTAMPTZ(3);
