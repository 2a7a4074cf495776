-- AlterTable
ALTER TABLE "realms" ADD COLUMN     "client_ids" JSONB;
