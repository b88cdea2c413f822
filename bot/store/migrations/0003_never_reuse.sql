-- Assessment ids are never given out twice: a button shown for an assessment that was deleted
-- must not act on a new one that happens to get the same id. The highest id ever given is kept
-- here (SQLite would reuse the highest id after a delete).
INSERT INTO meta (key, value) SELECT 'last_assessment_id', coalesce(max(id), 0) FROM assessments;

-- The "yes, delete everything" button carries this one-time code: it works once, for the
-- confirmation it was shown with, and never after.
ALTER TABLE users ADD COLUMN delete_code TEXT;
