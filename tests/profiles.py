"""Eight firms as different as the owners who try the adviser, as complete answers for tests.

Each maps a step key to the chosen option ids, as the engine stores answers (see companies.py).
A question the firm is not asked (a one-person firm's staff questions) is simply absent.
"""

from __future__ import annotations

from tests.companies import B2B, CAFE, Answers, importance_answers

# A three-person café with no social media at all: companies.py's café. Its answers to questions
# a firm on no social media is not asked are never shown to it, and count for nothing.
CAFE_NONE: Answers = CAFE

# A hairdresser working alone, already on Facebook and Instagram, posting now and then.
HAIRDRESSER_SOLO: Answers = {
    "size": ("solo",),
    "confidential": ("no",),
    "customers": ("consumers",),
    "channels": ("facebook", "instagram"),
    "pu_goal": ("vague",),
    "pr_where": ("guess",),
    "pr_regular": ("now_and_then",),
    "pr_feedback": ("if_seen",),
    "pe_leaders": ("sometimes",),
    "ru_rules": ("unspoken",),
    "ru_pitfalls": ("heard",),
    "me_time": ("feeling",),
    "me_effects": ("gut",),
    **importance_answers(
        purpose="somewhat",
        presence="crucial",
        people="somewhat",
        rules="somewhat",
        measuring="a_lot",
    ),
}

# A 15-person accounting firm with confidential client data, on LinkedIn a little, rules talked
# over but not written, and rules crucial to it.
ACCOUNTING: Answers = {
    "size": ("small",),
    "confidential": ("yes",),
    "customers": ("businesses",),
    "channels": ("linkedin",),
    "pu_goal": ("vague",),
    "pu_shared": ("differ",),
    "pr_where": ("guess",),
    "pr_regular": ("now_and_then",),
    "pr_feedback": ("if_seen",),
    "in_info": ("email",),
    "in_docs": ("folder",),
    "in_ideas": ("coffee",),
    "pe_skills": ("one_or_two",),
    "pe_young": ("not_really",),
    "pe_leaders": ("read",),
    "pe_change": ("boss",),
    "ru_rules": ("talked",),
    "ru_owner": ("whoever",),
    "ru_pitfalls": ("heard",),
    "me_time": ("no_idea",),
    "me_effects": ("gut",),
    **importance_answers(
        purpose="somewhat",
        presence="a_lot",
        internal="somewhat",
        people="somewhat",
        rules="crucial",
        measuring="somewhat",
    ),
}

# A 40-person engineering firm selling to businesses, with an internal network nobody uses:
# companies.py's B2B firm.
ENGINEERING: Answers = B2B

# A 120-person manufacturer taking Teams into use; production staff work without computers.
MANUFACTURER: Answers = {
    "size": ("medium",),
    "confidential": ("no",),
    "customers": ("businesses",),
    "channels": ("internal",),
    "pu_goal": ("unsure",),
    "pu_shared": ("shrug",),
    "pr_where": ("no_idea",),
    "in_info": ("word",),
    "in_docs": ("paper",),
    "in_ideas": ("nowhere",),
    "pe_skills": ("unsure",),
    "pe_young": ("not_really",),
    "pe_leaders": ("not_us",),
    "pe_change": ("wall",),
    "ru_rules": ("nothing",),
    "ru_owner": ("nobody",),
    "ru_pitfalls": ("not_thought",),
    "me_time": ("no_idea",),
    **importance_answers(
        purpose="somewhat",
        presence="not_now",
        internal="crucial",
        people="crucial",
        rules="a_lot",
        measuring="somewhat",
    ),
}

# A firm strong on every dimension: written rules with named owners, tracked figures, video.
STRONG: Answers = {
    "size": ("small",),
    "confidential": ("no",),
    "customers": ("both",),
    "channels": ("facebook", "instagram", "linkedin", "video", "internal"),
    "pu_goal": ("written",),
    "pu_shared": ("same",),
    "pr_where": ("there",),
    "pr_regular": ("planned",),
    "pr_feedback": ("use_it",),
    "in_info": ("shared",),
    "in_docs": ("together",),
    "in_ideas": ("acted_on",),
    "pe_skills": ("everyone",),
    "pe_young": ("lead",),
    "pe_leaders": ("example",),
    "pe_change": ("anyone",),
    "ru_rules": ("written",),
    "ru_owner": ("named",),
    "ru_pitfalls": ("prepared",),
    "me_time": ("set_aside",),
    "me_effects": ("tracked",),
    **importance_answers(
        purpose="somewhat",
        presence="a_lot",
        internal="somewhat",
        people="somewhat",
        rules="somewhat",
        measuring="a_lot",
    ),
}

# A 25-person service firm whose customers are fine as they are: the pilot is inside the firm.
INTERNAL_ONLY: Answers = {
    "size": ("small",),
    "confidential": ("no",),
    "customers": ("both",),
    "channels": ("facebook", "internal"),
    "pu_goal": ("one_aim",),
    "pu_shared": ("roughly",),
    "pr_where": ("there",),
    "pr_regular": ("weekly",),
    "pr_feedback": ("within_day",),
    "in_info": ("unused",),
    "in_docs": ("folder",),
    "in_ideas": ("coffee",),
    "pe_skills": ("most",),
    "pe_young": ("ask_help",),
    "pe_leaders": ("read",),
    "pe_change": ("boss",),
    "ru_rules": ("talked",),
    "ru_owner": ("one_keen",),
    "ru_pitfalls": ("know",),
    "me_time": ("roughly",),
    "me_effects": ("some_figures",),
    **importance_answers(
        purpose="somewhat",
        presence="not_now",
        internal="crucial",
        people="a_lot",
        rules="somewhat",
        measuring="somewhat",
    ),
}

# An 8-person exporter selling to businesses abroad, already on LinkedIn with product videos.
EXPORTER: Answers = {
    "size": ("micro",),
    "confidential": ("no",),
    "customers": ("businesses",),
    "channels": ("linkedin", "video"),
    "pu_goal": ("one_aim",),
    "pu_shared": ("roughly",),
    "pr_where": ("there",),
    "pr_regular": ("weekly",),
    "pr_feedback": ("within_day",),
    "in_info": ("group_chat",),
    "in_docs": ("folder",),
    "in_ideas": ("collected",),
    "pe_skills": ("most",),
    "pe_young": ("ask_help",),
    "pe_leaders": ("sometimes",),
    "pe_change": ("try",),
    "ru_rules": ("unspoken",),
    "ru_owner": ("one_keen",),
    "ru_pitfalls": ("know",),
    "me_time": ("roughly",),
    "me_effects": ("gut",),
    **importance_answers(
        purpose="somewhat",
        presence="crucial",
        internal="not_now",
        people="somewhat",
        rules="somewhat",
        measuring="a_lot",
    ),
}

PROFILES: dict[str, Answers] = {
    "cafe_none": CAFE_NONE,
    "hairdresser_solo": HAIRDRESSER_SOLO,
    "accounting": ACCOUNTING,
    "engineering": ENGINEERING,
    "manufacturer": MANUFACTURER,
    "strong": STRONG,
    "internal_only": INTERNAL_ONLY,
    "exporter": EXPORTER,
}
