-- AlterTable
ALTER TABLE "patterns" ADD COLUMN     "affected_clients" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "evidence_values" JSONB,
ADD COLUMN     "failures_24h" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'acute';

-- CreateTable
CREATE TABLE "entity_names" (
    "source_id" UUID NOT NULL,
    "realm" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "seen_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "entity_names_pkey" PRIMARY KEY ("source_id","realm","kind","id")
);
