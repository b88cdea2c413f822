-- An assessment started from an earlier one's answers ("change only what changed") names it:
-- its questions show the earlier answer and offer to keep the rest. NULL: started afresh.
ALTER TABLE assessments ADD COLUMN started_from INTEGER REFERENCES assessments (id) ON DELETE SET NULL;
