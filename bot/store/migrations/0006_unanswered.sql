-- The questions the adviser could not answer, for the content editors (the operator's report
-- groups and counts them). Stored without the user's identity, and only these: nothing here
-- says who asked. Which is also why /delete cannot find them.
CREATE TABLE unanswered (
    lang     TEXT NOT NULL,
    question TEXT NOT NULL,              -- as written, cut at 300 characters
    outcome  TEXT NOT NULL,              -- 'out_of_scope', 'suggest' or 'referral'
    at       TEXT NOT NULL
);
