-- Check-ins during the pilot: offered after a plan, sent only after the user said yes. One row
-- per check-in, unique per plan and week, so a restart neither loses nor doubles one. `sent` is
-- set in the same transaction that claims it, so two processes never send the same one; one
-- that fell due while the bot was down is claimed (and sent) once, late.
CREATE TABLE checkins (
    id            INTEGER PRIMARY KEY,
    user_key      TEXT NOT NULL REFERENCES users (key) ON DELETE CASCADE,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    week          INTEGER NOT NULL,      -- weeks after the plan
    last          INTEGER NOT NULL CHECK (last IN (0, 1)),  -- the last one asks the effects survey
    due           TEXT NOT NULL,         -- ISO 8601, UTC
    sent          TEXT,                  -- claimed for sending; NULL while waiting
    UNIQUE (assessment_id, week)
);
CREATE INDEX checkins_waiting ON checkins (due) WHERE sent IS NULL;

-- What the user answered at a check-in: how the pilot goes ('status'), and each effect of the
-- survey. One answer a question: a double tap or a redelivery changes nothing.
CREATE TABLE checkin_answers (
    checkin_id INTEGER NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
    question   TEXT NOT NULL,
    answer     TEXT NOT NULL,
    answered   TEXT NOT NULL,
    PRIMARY KEY (checkin_id, question)
) WITHOUT ROWID;

-- Telegram said the user blocked the bot (a 403, or a my_chat_member update): nothing more is
-- sent until they write again.
ALTER TABLE users ADD COLUMN blocked TEXT;

-- When the user last wrote or pressed anything: a user silent for longer than the retention
-- period (ADVISER_RETENTION_DAYS) is removed with everything about them.
ALTER TABLE users ADD COLUMN last_seen TEXT;
