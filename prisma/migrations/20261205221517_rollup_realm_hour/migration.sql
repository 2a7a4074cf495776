-- CreateTable
CREATE TABLE "rollup_realm_hour" (
    "source_id" UUID NOT NULL,
    "realm" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "events" INTEGER NOT NULL,
    "failures" INTEGER NOT NULL,

    CONSTRAINT "rollup_realm_hour_pkey" PRIMARY KEY ("source_id","realm","bucket")
);

-- CreateIndex
CREATE INDEX "rollup_hour_type_cover_idx" ON "rollup_hour"("source_id", "realm", "type", "bucket", "client_id", "events", "failures") WHERE (events > failures);

-- An existing installation's realm hours, from the hours it holds (written by hand: Prisma generates no data step).
INSERT INTO "rollup_realm_hour" ("source_id", "realm", "bucket", "events", "failures")
SELECT "source_id", "realm", "bucket", sum("events")::int, sum("failures")::int
FROM "rollup_hour"
GROUP BY "source_id", "realm", "bucket";
