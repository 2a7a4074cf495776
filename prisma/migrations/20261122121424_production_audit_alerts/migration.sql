-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "ip_address" TEXT,
    "details" JSONB,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_webhooks" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "url_cipher" TEXT NOT NULL,
    "format" TEXT NOT NULL DEFAULT 'generic',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "cooldown_sec" INTEGER NOT NULL DEFAULT 900,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_webhooks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_deliveries" (
    "id" BIGSERIAL NOT NULL,
    "webhook_id" UUID NOT NULL,
    "pattern_id" UUID NOT NULL,
    "trigger" TEXT NOT NULL,
    "event_count" INTEGER NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "sent_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL,
    "http_status" INTEGER,
    "error" TEXT,

    CONSTRAINT "alert_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_log_time_idx" ON "audit_log"("time");

-- CreateIndex
CREATE UNIQUE INDEX "alert_webhooks_name_key" ON "alert_webhooks"("name");

-- CreateIndex
CREATE INDEX "alert_deliveries_webhook_id_pattern_id_sent_at_idx" ON "alert_deliveries"("webhook_id", "pattern_id", "sent_at");

-- CreateIndex
CREATE UNIQUE INDEX "alert_deliveries_webhook_id_dedupe_key_key" ON "alert_deliveries"("webhook_id", "dedupe_key");

-- AddForeignKey
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "alert_webhooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;
