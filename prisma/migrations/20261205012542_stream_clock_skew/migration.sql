-- AlterTable
ALTER TABLE "sync_streams" ADD COLUMN     "clock_skew_ms" INTEGER;
