-- The first schema: users, their assessments, the answers given, and the plans made.
-- Where a user is in an assessment is not stored: it is the first step without a final answer.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The key that signs button tokens, so that a forged press is recognised. Made once, here.
INSERT INTO meta (key, value) VALUES ('button_key', lower(hex(randomblob(16))));

CREATE TABLE users (
    key      TEXT PRIMARY KEY,              -- namespaced by adapter: 'tg:123', 'cli:local'
    language TEXT NOT NULL CHECK (language IN ('en', 'fi')),
    created  TEXT NOT NULL                  -- ISO 8601, UTC
) WITHOUT ROWID;

CREATE TABLE assessments (
    id        INTEGER PRIMARY KEY,
    user_key  TEXT NOT NULL REFERENCES users (key) ON DELETE CASCADE,
    started   TEXT NOT NULL,
    finished  TEXT,                         -- set when the last step was answered
    abandoned TEXT,                         -- set by /reset or "start over"; kept as history
    paused    INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1))
);
CREATE INDEX assessments_by_user ON assessments (user_key, id);

CREATE TABLE answers (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    step          TEXT NOT NULL,            -- a question id, or 'importance:<dimension id>'
    choices       TEXT NOT NULL,            -- option ids separated by spaces (several for multi)
    final         INTEGER NOT NULL CHECK (final IN (0, 1)),  -- 0: a multi-choice selection in progress, or reopened by "back"
    answered_at   TEXT NOT NULL,
    PRIMARY KEY (assessment_id, step)
) WITHOUT ROWID;

CREATE TABLE plans (
    assessment_id INTEGER PRIMARY KEY REFERENCES assessments (id) ON DELETE CASCADE,
    created       TEXT NOT NULL,
    content       TEXT NOT NULL             -- JSON: what is needed to show the plan again
);
