-- The topic of the user's last answered question (its id, never their words), so that a
-- follow-up such as "what about internal stuff?" is read in the same thread.
ALTER TABLE users ADD COLUMN last_topic TEXT;
ALTER TABLE users ADD COLUMN last_topic_at TEXT;  -- ISO 8601, UTC
