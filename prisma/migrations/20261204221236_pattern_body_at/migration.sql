-- AlterTable
ALTER TABLE "patterns" ADD COLUMN     "body_at" TIMESTAMPTZ(3);
