-- Deliveries already applied, by the adapter's own key ('tg:<update_id>'): Telegram delivers an
-- update again after a restart before its offset was confirmed, and a webhook retries; the key
-- is recorded in the same transaction as the update's effect, so a redelivery changes nothing
-- and sends nothing. Kept two days (far beyond Telegram's 24 hours), then pruned.
CREATE TABLE handled_updates (
    key TEXT PRIMARY KEY,
    at  TEXT NOT NULL                        -- ISO 8601, UTC
) WITHOUT ROWID;
CREATE INDEX handled_updates_by_time ON handled_updates (at);
