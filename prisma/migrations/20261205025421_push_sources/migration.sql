-- AlterTable
ALTER TABLE "sources" ADD COLUMN     "push_accept_unsigned" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "push_jwt_audience" TEXT,
ADD COLUMN     "push_jwt_issuer" TEXT,
ADD COLUMN     "push_secret_cipher" TEXT,
ADD COLUMN     "push_token_cipher" TEXT,
ADD COLUMN     "push_token_hash" TEXT;

-- CreateTable
CREATE TABLE "push_minutes" (
    "source_id" UUID NOT NULL,
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "accepted" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "last_event_at" TIMESTAMPTZ(3),
    "last_rejected_at" TIMESTAMPTZ(3),
    "last_reject_reason" TEXT,

    CONSTRAINT "push_minutes_pkey" PRIMARY KEY ("source_id","minute")
);

-- CreateIndex
CREATE INDEX "push_minutes_minute_idx" ON "push_minutes"("minute");
