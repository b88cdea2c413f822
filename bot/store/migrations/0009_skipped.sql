-- A check-in still waiting when a later one of the same plan falls due (the bot was down, the
-- user blocked it for a while) is skipped: the user gets the later one only, not two at once
-- with the earlier one's "2 weeks since your plan" weeks late.
ALTER TABLE checkins ADD COLUMN skipped TEXT;
