-- DropIndex
DROP INDEX "user_events_source_id_realm_time_idx";

-- AlterTable
ALTER TABLE "user_events" DROP CONSTRAINT "user_events_pkey",
ADD CONSTRAINT "user_events_pkey" PRIMARY KEY ("source_id", "realm", "time", "id");
