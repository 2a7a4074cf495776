-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "sources" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'api',
    "server_url" TEXT,
    "auth_realm" TEXT NOT NULL DEFAULT 'master',
    "client_id" TEXT,
    "secret_ciphertext" TEXT,
    "realms" TEXT[] DEFAULT ARRAY['*']::TEXT[],
    "sync_mode" TEXT NOT NULL DEFAULT 'auto',
    "detected_version" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "report_key_hash" TEXT,
    "report_key_cipher" TEXT,
    "status" TEXT NOT NULL DEFAULT 'new',
    "status_message" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sources_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "realms" (
    "source_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "keycloak_id" TEXT,
    "events_enabled" BOOLEAN,
    "admin_events_enabled" BOOLEAN,
    "admin_events_details" BOOLEAN,
    "enabled_event_types" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "events_expiration_sec" INTEGER,
    "admin_events_expiration_sec" INTEGER,
    "events_listeners" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "config_checked_at" TIMESTAMPTZ(3),
    "config_error" TEXT,

    CONSTRAINT "realms_pkey" PRIMARY KEY ("source_id","name")
);

-- CreateTable
CREATE TABLE "user_events" (
    "source_id" UUID NOT NULL,
    "realm" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "type" TEXT NOT NULL,
    "realm_id" TEXT,
    "client_id" TEXT,
    "user_id" TEXT,
    "session_id" TEXT,
    "ip_address" TEXT,
    "error" TEXT,
    "details" JSONB,
    "is_failure" BOOLEAN NOT NULL,
    "username" TEXT,
    "cause" TEXT,
    "rule_id" TEXT,
    "confidence" REAL,
    "evidence" TEXT,
    "catalogue_version" INTEGER,
    "origin" TEXT NOT NULL DEFAULT 'api',
    "http_method" TEXT,
    "http_path" TEXT,
    "http_status" SMALLINT,
    "ingested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "user_events_pkey" PRIMARY KEY ("source_id","realm","id")
);

-- CreateTable
CREATE TABLE "admin_events" (
    "source_id" UUID NOT NULL,
    "realm" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "realm_id" TEXT,
    "auth_realm_id" TEXT,
    "auth_client_id" TEXT,
    "auth_user_id" TEXT,
    "auth_ip_address" TEXT,
    "operation_type" TEXT NOT NULL,
    "resource_type" TEXT,
    "resource_path" TEXT,
    "representation" TEXT,
    "error" TEXT,
    "details" JSONB,
    "origin" TEXT NOT NULL DEFAULT 'api',
    "ingested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "admin_events_pkey" PRIMARY KEY ("source_id","realm","id")
);

-- CreateTable
CREATE TABLE "sync_streams" (
    "source_id" UUID NOT NULL,
    "realm" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "mode" TEXT,
    "cursor_time" TIMESTAMPTZ(3),
    "last_event_time" TIMESTAMPTZ(3),
    "last_success_at" TIMESTAMPTZ(3),
    "last_attempt_at" TIMESTAMPTZ(3),
    "status" TEXT NOT NULL DEFAULT 'idle',
    "status_message" TEXT,
    "events_total" BIGINT NOT NULL DEFAULT 0,
    "pages_total" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sync_streams_pkey" PRIMARY KEY ("source_id","realm","kind")
);

-- CreateTable
CREATE TABLE "event_gaps" (
    "id" BIGSERIAL NOT NULL,
    "source_id" UUID NOT NULL,
    "realm" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "from_time" TIMESTAMPTZ(3) NOT NULL,
    "to_time" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "detected_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_gaps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_runs" (
    "id" BIGSERIAL NOT NULL,
    "source_id" UUID,
    "realm" TEXT,
    "kind" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "status" TEXT NOT NULL DEFAULT 'running',
    "events_read" BIGINT NOT NULL DEFAULT 0,
    "events_inserted" BIGINT NOT NULL DEFAULT 0,
    "pages" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "message" TEXT,
    "report" JSONB,

    CONSTRAINT "ingest_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user_names" (
    "source_id" UUID NOT NULL,
    "realm" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "email" TEXT,
    "first_seen" TIMESTAMPTZ(3) NOT NULL,
    "last_seen" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "user_names_pkey" PRIMARY KEY ("source_id","realm","user_id","username")
);

-- CreateTable
CREATE TABLE "rollup_minute" (
    "source_id" UUID NOT NULL,
    "realm" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "type" TEXT NOT NULL,
    "error" TEXT NOT NULL,
    "cause" TEXT NOT NULL,
    "client_id" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "events" INTEGER NOT NULL,
    "failures" INTEGER NOT NULL,

    CONSTRAINT "rollup_minute_pkey" PRIMARY KEY ("source_id","realm","bucket","type","error","cause","client_id","origin")
);

-- CreateTable
CREATE TABLE "rollup_hour" (
    "source_id" UUID NOT NULL,
    "realm" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "type" TEXT NOT NULL,
    "error" TEXT NOT NULL,
    "cause" TEXT NOT NULL,
    "client_id" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "events" INTEGER NOT NULL,
    "failures" INTEGER NOT NULL,

    CONSTRAINT "rollup_hour_pkey" PRIMARY KEY ("source_id","realm","bucket","type","error","cause","client_id","origin")
);

-- CreateTable
CREATE TABLE "rollup_day" (
    "source_id" UUID NOT NULL,
    "realm" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "type" TEXT NOT NULL,
    "error" TEXT NOT NULL,
    "cause" TEXT NOT NULL,
    "client_id" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "events" INTEGER NOT NULL,
    "failures" INTEGER NOT NULL,

    CONSTRAINT "rollup_day_pkey" PRIMARY KEY ("source_id","realm","bucket","type","error","cause","client_id","origin")
);

-- CreateTable
CREATE TABLE "patterns" (
    "id" UUID NOT NULL,
    "source_id" UUID NOT NULL,
    "realm" TEXT NOT NULL,
    "cause" TEXT NOT NULL,
    "scope_kind" TEXT NOT NULL,
    "scope_value" TEXT NOT NULL,
    "client_id" TEXT,
    "user_id" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "first_seen" TIMESTAMPTZ(3) NOT NULL,
    "last_seen" TIMESTAMPTZ(3) NOT NULL,
    "event_count" INTEGER NOT NULL,
    "affected_users" INTEGER NOT NULL,
    "peak_score" DOUBLE PRECISION,
    "baseline" DOUBLE PRECISION,
    "sample_event_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "suspected_changes" JSONB,
    "evidence" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "patterns_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "report_nonces" (
    "source_id" UUID NOT NULL,
    "nonce" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "report_nonces_pkey" PRIMARY KEY ("source_id","nonce")
);

-- CreateTable
CREATE TABLE "app_state" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "app_state_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "sources_name_key" ON "sources"("name");

-- CreateIndex
CREATE INDEX "realms_keycloak_id_idx" ON "realms"("keycloak_id");

-- CreateIndex
CREATE INDEX "user_events_source_id_realm_time_idx" ON "user_events"("source_id", "realm", "time");

-- CreateIndex
CREATE INDEX "user_events_realm_user_id_time_idx" ON "user_events"("realm", "user_id", "time");

-- CreateIndex
CREATE INDEX "user_events_realm_client_id_time_idx" ON "user_events"("realm", "client_id", "time");

-- CreateIndex
CREATE INDEX "user_events_cause_time_idx" ON "user_events"("cause", "time");

-- CreateIndex
CREATE INDEX "user_events_catalogue_version_idx" ON "user_events"("catalogue_version");

-- CreateIndex
CREATE INDEX "admin_events_source_id_realm_time_idx" ON "admin_events"("source_id", "realm", "time");

-- CreateIndex
CREATE INDEX "admin_events_source_id_realm_resource_path_idx" ON "admin_events"("source_id", "realm", "resource_path");

-- CreateIndex
CREATE INDEX "event_gaps_source_id_realm_kind_from_time_idx" ON "event_gaps"("source_id", "realm", "kind", "from_time");

-- CreateIndex
CREATE INDEX "ingest_runs_source_id_started_at_idx" ON "ingest_runs"("source_id", "started_at");

-- CreateIndex
CREATE INDEX "user_names_realm_username_idx" ON "user_names"("realm", "username");

-- CreateIndex
CREATE INDEX "user_names_realm_email_idx" ON "user_names"("realm", "email");

-- CreateIndex
CREATE INDEX "rollup_minute_realm_bucket_idx" ON "rollup_minute"("realm", "bucket");

-- CreateIndex
CREATE INDEX "rollup_hour_realm_bucket_idx" ON "rollup_hour"("realm", "bucket");

-- CreateIndex
CREATE INDEX "rollup_day_realm_bucket_idx" ON "rollup_day"("realm", "bucket");

-- CreateIndex
CREATE INDEX "patterns_status_last_seen_idx" ON "patterns"("status", "last_seen");

-- CreateIndex
CREATE INDEX "patterns_source_id_realm_last_seen_idx" ON "patterns"("source_id", "realm", "last_seen");

-- CreateIndex
CREATE UNIQUE INDEX "patterns_source_id_realm_cause_scope_kind_scope_value_first_key" ON "patterns"("source_id", "realm", "cause", "scope_kind", "scope_value", "first_seen");

-- CreateIndex
CREATE INDEX "report_nonces_received_at_idx" ON "report_nonces"("received_at");

-- AddForeignKey
ALTER TABLE "realms" ADD CONSTRAINT "realms_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_streams" ADD CONSTRAINT "sync_streams_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;
