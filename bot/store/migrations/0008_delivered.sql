-- A check-in is first claimed (`sent`: when a process took it to send) and then delivered
-- (`delivered`: when Telegram accepted it, or the terminal showed it). A claim still
-- undelivered after the lease (repository.CLAIM_LEASE) belonged to a process that was stopped
-- with it still queued: it is claimed again, so a restart loses none.
ALTER TABLE checkins ADD COLUMN delivered TEXT;
UPDATE checkins SET delivered = sent WHERE sent IS NOT NULL;
DROP INDEX checkins_waiting;
CREATE INDEX checkins_undelivered ON checkins (due) WHERE delivered IS NULL;
