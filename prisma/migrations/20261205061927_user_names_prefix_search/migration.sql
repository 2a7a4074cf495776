-- CreateIndex
CREATE INDEX "user_names_username_prefix_idx" ON "user_names"("username" text_pattern_ops);

-- CreateIndex
CREATE INDEX "user_names_email_prefix_idx" ON "user_names"("email" text_pattern_ops);
