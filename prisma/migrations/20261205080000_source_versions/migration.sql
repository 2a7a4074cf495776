-- CreateTable
CREATE TABLE "source_versions" (
    "source_id" UUID NOT NULL,
    "detected_at" TIMESTAMPTZ(3) NOT NULL,
    "version" TEXT NOT NULL,
    "previous" TEXT,

    CONSTRAINT "source_versions_pkey" PRIMARY KEY ("source_id","detected_at")
);

-- AddForeignKey
ALTER TABLE "source_versions" ADD CONSTRAINT "source_versions_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;
