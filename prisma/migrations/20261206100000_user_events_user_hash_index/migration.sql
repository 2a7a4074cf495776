-- A user's events are found through a hash of their user id, not the id itself (lib/db/user-hash.ts): the index
-- (realm, user_id, time) was the largest of user_events, 102 bytes a stored event of 606 (`npm run bench --
-- ingest`), since Keycloak's user ids are 36-character UUIDs and a sync's COPY inserts them at random places.
-- (hashtext(user_id), time) keys are 12 bytes. Written by hand: Prisma cannot describe an index on an
-- expression (schema.prisma says so where the index was). Every day's partition gets it from the parent
-- (realmwatch_event_partition copies the parent's indexes). On an installation with a large history this
-- builds the new index over every stored event while it holds writes back.
CREATE INDEX "user_events_user_hash_time_idx" ON "user_events" (hashtext("user_id"), "time");
DROP INDEX "user_events_realm_user_id_time_idx";
